package meshgate.client;

import java.util.Locale;

/** Where MESH says a sent message is. MESH spells these in title case (v1) or lower case (v2). */
public enum DeliveryStatus {
    UPLOADING, ACCEPTED, ACKNOWLEDGED, UNDELIVERABLE, EXPIRED, ERROR, UNKNOWN;

    public static DeliveryStatus parse(String value) {
        if (value == null) {
            return UNKNOWN;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return UNKNOWN;
        }
    }

    /** True once MESH will not change the status again. */
    public boolean isFinal() {
        return this == ACKNOWLEDGED || this == UNDELIVERABLE || this == EXPIRED || this == ERROR;
    }
}
