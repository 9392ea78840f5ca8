package meshgate.gateway.events;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import meshgate.gateway.ledger.InboundRecord;
import meshgate.gateway.ledger.InboundState;
import meshgate.gateway.ledger.Ledger;
import meshgate.gateway.metrics.MeshGateMetrics;
import meshgate.gateway.ops.Backoff;
import meshgate.gateway.store.ObjectStore;
import meshgate.protocol.MeshHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The events of received messages, kept in the ledger until delivered: a message is acknowledged once it is stored,
 * and its event then goes out at least once. A delivery that fails is tried again with backoff (1 s doubling to
 * 5 minutes) by {@link #deliverDue}, which runs on its own schedule, not with the polls, and after a restart finds
 * every event still owed in the ledger.
 */
public final class EventOutbox {
    private static final Logger LOG = LoggerFactory.getLogger(EventOutbox.class);
    private static final Backoff RETRIES = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5));

    /** How many tries of one event failed, and when it is next due. Kept in memory: after a restart, due at once. */
    private record Retry(int failedTries, Instant due) {
    }

    private final Ledger ledger;
    private final ObjectStore store;
    private final EventSink sink;
    private final List<String> mailboxes;
    private final Clock clock;
    private final MeshGateMetrics metrics;
    private final Map<String, Retry> retries = new ConcurrentHashMap<>();
    /** Events being delivered now, so that a retry never runs beside the first try of the same event. */
    private final Set<String> delivering = ConcurrentHashMap.newKeySet();

    public EventOutbox(Ledger ledger, ObjectStore store, EventSink sink, List<String> mailboxes, Clock clock,
            MeshGateMetrics metrics) {
        this.ledger = ledger;
        this.store = store;
        this.sink = sink;
        this.mailboxes = List.copyOf(mailboxes);
        this.clock = clock;
        this.metrics = metrics;
        metrics.watchPendingEvents(this::pending);
    }

    /**
     * Delivers the event of an acknowledged message, unless it is being delivered already; a failure leaves it owed,
     * due again after a backoff. Returns whether it went out.
     */
    private boolean deliver(InboundRecord record) {
        String id = record.mailbox() + "/" + record.messageId();
        if (record.eventEmitted() || !delivering.add(id)) {
            return false;
        }
        try {
            sink.emit(event(record));
            ledger.updateInbound(ledger.findInbound(record.mailbox(), record.messageId()).orElseThrow()
                    .withEventEmitted());
            retries.remove(id);
            LOG.debug("event_delivered mailbox={} message_id={}", record.mailbox(), record.messageId());
            return true;
        } catch (Exception e) {
            Retry retry = retries.merge(id, new Retry(1, clock.instant().plus(RETRIES.after(1))),
                    (before, first) -> new Retry(before.failedTries() + 1,
                            clock.instant().plus(RETRIES.after(before.failedTries() + 1))));
            metrics.eventFailed();
            LOG.warn("event_failed mailbox={} message_id={} failed_tries={} retry_in_ms={} reason=\"{}\"",
                    record.mailbox(), record.messageId(), retry.failedTries(),
                    Duration.between(clock.instant(), retry.due()).toMillis(), e.toString());
            return false;
        } finally {
            delivering.remove(id);
        }
    }

    /** Delivers every owed event whose retry is due; returns how many went out. */
    public int deliverDue() {
        int delivered = 0;
        Instant now = clock.instant();
        for (InboundRecord record : owed()) {
            Retry retry = retries.get(record.mailbox() + "/" + record.messageId());
            if ((retry == null || !retry.due().isAfter(now)) && deliver(record)) {
                delivered++;
            }
        }
        return delivered;
    }

    /** Events owed: of messages acknowledged and not yet announced. */
    private List<InboundRecord> owed() {
        return mailboxes.stream().flatMap(m -> ledger.inboundToFinish(m).stream())
                .filter(r -> r.state() == InboundState.ACKNOWLEDGED && !r.eventEmitted()).toList();
    }

    /** Events not yet delivered, of messages stored (acknowledged or not); NaN when the ledger cannot be read. */
    private double pending() {
        try {
            return mailboxes.stream().flatMap(m -> ledger.inboundToFinish(m).stream())
                    .filter(r -> !r.eventEmitted()).count();
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    private InboundEvent event(InboundRecord record) throws IOException {
        Map<String, String> meta = store.decodedMetadata(record.objectKey());
        Map<String, String> status = MeshHeaders.TYPE_REPORT.equals(record.messageType()) ? meta : Map.of();
        return new InboundEvent(InboundEvent.STORED, record.mailbox(), record.messageId(), record.sender(),
                record.workflowId(), record.messageType(), record.objectKey(), record.size(),
                meta.get(MeshHeaders.SUBJECT), meta.get(MeshHeaders.LOCAL_ID), meta.get(MeshHeaders.FILE_NAME),
                status.get(MeshHeaders.STATUS_CODE), status.get(MeshHeaders.STATUS_EVENT),
                status.get(MeshHeaders.STATUS_DESCRIPTION), status.get(MeshHeaders.STATUS_SUCCESS),
                status.get(MeshHeaders.LINKED_MESSAGE_ID));
    }
}
