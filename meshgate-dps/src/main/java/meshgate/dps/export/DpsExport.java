package meshgate.dps.export;

import java.time.Instant;
import java.util.Optional;

/** One export file as the ledger records it (table {@code dps_exports}). */
public record DpsExport(
        long id,
        String programme,
        String filename,
        Optional<String> meshMessageId,
        ExportStatus status,
        Optional<String> statusReason,
        Optional<Instant> sentAt,
        Instant createdAt,
        Instant updatedAt,
        int recordCount) {
}
