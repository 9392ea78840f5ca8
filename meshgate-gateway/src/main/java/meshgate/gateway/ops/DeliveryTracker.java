package meshgate.gateway.ops;

import java.util.Map;
import meshgate.client.DeliveryStatus;
import meshgate.client.MeshClient;
import meshgate.client.MeshException;
import meshgate.client.TrackingInfo;
import meshgate.gateway.ledger.Ledger;
import meshgate.gateway.metrics.MeshGateMetrics;
import meshgate.gateway.ledger.OutboundRecord;
import meshgate.gateway.ledger.OutboundState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows each message MESH accepted until its recipient acknowledges it, or MESH gives up on it (undeliverable,
 * expired), recording the outcome in the ledger; one log line per change.
 */
public final class DeliveryTracker {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryTracker.class);

    private final Ledger ledger;
    private final Map<String, MeshClient> clients;
    private final MeshGateMetrics metrics;

    public DeliveryTracker(Ledger ledger, Map<String, MeshClient> clients, MeshGateMetrics metrics) {
        this.metrics = metrics;
        this.ledger = ledger;
        this.clients = clients;
    }

    /** Asks MESH about every accepted message; returns how many changed state. */
    public int track() {
        int changed = 0;
        for (OutboundRecord record : ledger.outbound(OutboundState.ACCEPTED)) {
            MeshClient client = clients.get(record.sender());
            if (client == null || record.meshMessageId() == null) {
                continue;
            }
            try {
                TrackingInfo info = client.track(record.meshMessageId());
                OutboundState state = stateOf(info.status());
                String status = info.status().name().toLowerCase(java.util.Locale.ROOT);
                if (state != record.state() || !status.equals(record.trackingStatus())) {
                    String reason = info.statusDescription()
                            .map(d -> info.statusCode().map(c -> c + ": ").orElse("") + d).orElse(null);
                    // What MESH says about the delivery; else what the gateway noted when sending (a file that
                    // changed during its send), which the recipient's acknowledgement does not make untrue.
                    String why = state.isFinal() && reason != null ? reason : record.reason();
                    ledger.updateOutbound(record.tracked(state, status, why));
                    LOG.info("outbound_tracked message_id={} key={} status={} state={}{}", record.meshMessageId(),
                            record.objectKey(), status, state, reason == null ? "" : " reason=\"" + reason + "\"");
                    if (state.isFinal()) {
                        metrics.delivered(record.sender(), status);
                    }
                    changed++;
                }
            } catch (MeshException e) {
                LOG.warn("tracking_failed message_id={} reason=\"{}\"", record.meshMessageId(), e.getMessage());
            }
        }
        return changed;
    }

    static OutboundState stateOf(DeliveryStatus status) {
        return switch (status) {
            case ACKNOWLEDGED -> OutboundState.ACKNOWLEDGED;
            case UNDELIVERABLE, ERROR -> OutboundState.UNDELIVERABLE;
            case EXPIRED -> OutboundState.EXPIRED;
            default -> OutboundState.ACCEPTED;
        };
    }
}
