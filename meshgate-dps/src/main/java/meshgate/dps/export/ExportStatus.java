package meshgate.dps.export;

import java.util.Locale;

/**
 * Where an export is: {@code pending} while it is built and sent, {@code accepted} once MESH took it (its records
 * then count as sent), then {@code acknowledged} when DPS collected it, or {@code undeliverable} / {@code expired}
 * when MESH gave up; {@code failed} when it could not be sent (its records go in the next export).
 */
public enum ExportStatus {
    PENDING, ACCEPTED, ACKNOWLEDGED, UNDELIVERABLE, EXPIRED, FAILED;

    /** The lower-case name kept in the ledger and shown to people. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ExportStatus parse(String text) {
        return valueOf(text.toUpperCase(Locale.ROOT));
    }

    /** True once nothing will change this export's status again. */
    public boolean isFinal() {
        return this == ACKNOWLEDGED || this == UNDELIVERABLE || this == EXPIRED || this == FAILED;
    }
}
