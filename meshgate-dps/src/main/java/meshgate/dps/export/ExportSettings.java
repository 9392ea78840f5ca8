package meshgate.dps.export;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;

/**
 * What an export needs to know besides its records.
 *
 * @param dpsMailbox the DPS MESH mailbox the files go to
 * @param workflowId the MESH workflow id DPS expects
 * @param programmes the programmes to export, one file each, e.g. {@code [HPV, flu]}
 * @param uniqueIdUri the URI naming this service's record ids (UNIQUE_ID_URI)
 * @param zone the time zone of the date in the file name
 * @param workDir where export files are built before they are sent (deleted afterwards)
 */
public record ExportSettings(String dpsMailbox, String workflowId, List<String> programmes, String uniqueIdUri,
        ZoneId zone, Path workDir) {
    public ExportSettings {
        Objects.requireNonNull(dpsMailbox, "dpsMailbox");
        Objects.requireNonNull(workflowId, "workflowId");
        programmes = List.copyOf(programmes);
        Objects.requireNonNull(uniqueIdUri, "uniqueIdUri");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(workDir, "workDir");
    }
}
