package meshgate.sandbox.store;

import java.util.Locale;

/** Where a message is in its life; the lower-case name is what MESH v2 tracking reports. */
public enum MessageStatus {
    UPLOADING, ACCEPTED, ACKNOWLEDGED, UNDELIVERABLE, ERROR;

    /** {@code accepted}: the v2 spelling. */
    public String v2() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code Accepted}: the v1 spelling. */
    public String v1() {
        String lower = v2();
        return Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
    }

    /** True for the states in which the recipient may still download the message. */
    public boolean downloadable() {
        return this == ACCEPTED || this == ACKNOWLEDGED;
    }

    public boolean successful() {
        return this != UNDELIVERABLE && this != ERROR;
    }
}
