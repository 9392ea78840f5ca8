package meshgate.dps.tracking;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import meshgate.client.MeshClient;
import meshgate.client.MeshException;
import meshgate.gateway.metrics.MeshGateMetrics;
import meshgate.client.TrackingInfo;
import meshgate.dps.export.DpsExport;
import meshgate.dps.export.ExportLedger;
import meshgate.dps.export.ExportStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows each accepted export until DPS acknowledges it or MESH gives up on it: asks MESH for its tracking status
 * and records {@code acknowledged}, {@code undeliverable} or {@code expired} (with MESH's reason); one log line per
 * change. An export whose tracking fails is asked about again next time.
 */
public final class TrackJob {
    private static final Logger LOG = LoggerFactory.getLogger(TrackJob.class);

    private final ExportLedger ledger;
    private final MeshClient mesh;

    private final MeshGateMetrics metrics;

    public TrackJob(ExportLedger ledger, MeshClient mesh, MeshGateMetrics metrics) {
        this.metrics = metrics;
        this.ledger = ledger;
        this.mesh = mesh;
    }

    /** Tracks every export that is not final; returns the changes. */
    public List<StatusChange> run() {
        List<StatusChange> changes = new ArrayList<>();
        for (DpsExport export : ledger.withStatus(ExportStatus.ACCEPTED)) {
            if (export.meshMessageId().isEmpty()) {
                continue;
            }
            String messageId = export.meshMessageId().get();
            try {
                TrackingInfo info = mesh.track(messageId);
                ExportStatus status = statusOf(info);
                if (status != export.status()) {
                    Optional<String> reason = status == ExportStatus.ACKNOWLEDGED ? Optional.empty() : reason(info);
                    DpsExport updated = ledger.status(export.id(), status, reason.orElse(null));
                    changes.add(new StatusChange(updated, export.status(), status, reason));
                    metrics.delivered(mesh.mailbox(), status.text());
                    LOG.info("dps_export_tracked export_id={} programme={} message_id={} from={} to={}{}",
                            export.id(), export.programme(), messageId, export.status().text(), status.text(),
                            reason.map(r -> " reason=\"" + r + "\"").orElse(""));
                }
            } catch (MeshException e) {
                LOG.warn("dps_tracking_failed export_id={} message_id={} status={} reason=\"{}\"", export.id(),
                        messageId, e.httpStatus(), e.getMessage());
            }
        }
        return changes;
    }

    static ExportStatus statusOf(TrackingInfo info) {
        return switch (info.status()) {
            case ACKNOWLEDGED -> ExportStatus.ACKNOWLEDGED;
            case UNDELIVERABLE, ERROR -> ExportStatus.UNDELIVERABLE;
            case EXPIRED -> ExportStatus.EXPIRED;
            default -> ExportStatus.ACCEPTED;
        };
    }

    private static Optional<String> reason(TrackingInfo info) {
        Optional<String> description = info.statusDescription().or(info::statusEvent);
        if (description.isEmpty() && info.statusCode().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(info.statusCode().map(code -> code + ": ").orElse("") + description.orElse(""));
    }
}
