package meshgate.dps.tracking;

import java.util.Optional;
import meshgate.dps.export.DpsExport;
import meshgate.dps.export.ExportStatus;

/** An export whose status MESH's tracking changed, with MESH's reason for an undelivered one. */
public record StatusChange(DpsExport export, ExportStatus from, ExportStatus to, Optional<String> reason) {
    /** One line for a person: {@code DPS export (7) for programme (HPV): accepted -> acknowledged}. */
    public String describe() {
        return "DPS export (" + export.id() + ") for programme (" + export.programme() + "): " + from.text() + " -> "
                + to.text() + reason.map(r -> " (" + r + ")").orElse("");
    }
}
