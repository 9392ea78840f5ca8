package meshgate.gateway.events;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import meshgate.gateway.ledger.DeliveredEvents;
import meshgate.gateway.ledger.InboundRecord;
import meshgate.gateway.ledger.InboundState;
import meshgate.gateway.ledger.Ledger;
import meshgate.gateway.ledger.OutboundEventsOwed;
import meshgate.gateway.ledger.OutboundRecord;
import meshgate.gateway.ledger.OutboundState;
import meshgate.gateway.metrics.MeshGateMetrics;
import meshgate.gateway.ops.Backoff;
import meshgate.gateway.store.ObjectStore;
import meshgate.protocol.MeshHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The events of messages, kept in the ledger until delivered. A received message is acknowledged once it is stored,
 * and its event is then owed ({@code event_emitted} false). A sent message owes its events from the ledger write that
 * records MESH's acceptance, and again from the write that records its delivery status (the record's state is ahead
 * of the state last announced). So no event is lost to a crash: each goes out at least once. A delivery that fails
 * is tried again with backoff (1 s doubling to 5 minutes) by {@link #deliverDue}, which runs on its own schedule, not
 * with the polls, and after a restart finds every event still owed in the ledger.
 */
public final class EventOutbox {
    private static final Logger LOG = LoggerFactory.getLogger(EventOutbox.class);
    private static final Backoff RETRIES = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5));
    /** The most events handed to the sinks in one round; the rest go in the next. */
    private static final int ROUND = 500;

    /** How many tries of one event failed, and when it is next due. Kept in memory: after a restart, due at once. */
    private record Retry(int failedTries, Instant due) {
    }

    /** An event owed, and what records it as delivered: one of {@code received} and {@code sent}, or neither. */
    private record Owed(String id, MeshEvent event, DeliveredEvents.Received received, DeliveredEvents.Sent sent) {
    }

    private final Ledger ledger;
    private final ObjectStore store;
    private final EventSink sink;
    private final List<String> mailboxes;
    private final Optional<String> bucket;
    private final Clock clock;
    private final MeshGateMetrics metrics;
    private final Map<String, Retry> retries = new ConcurrentHashMap<>();
    /** One round at a time, so that a retry never runs beside the first try of the same event. */
    private final ReentrantLock round = new ReentrantLock();
    private final java.util.concurrent.atomic.AtomicBoolean outboundUnsupported =
            new java.util.concurrent.atomic.AtomicBoolean();

    public EventOutbox(Ledger ledger, ObjectStore store, EventSink sink, List<String> mailboxes, Clock clock,
            MeshGateMetrics metrics) {
        this(ledger, store, sink, mailboxes, Optional.empty(), clock, metrics);
    }

    /** {@code bucket}: the S3 bucket of the store, named in each event; empty for a local folder. */
    public EventOutbox(Ledger ledger, ObjectStore store, EventSink sink, List<String> mailboxes,
            Optional<String> bucket, Clock clock, MeshGateMetrics metrics) {
        this.ledger = ledger;
        this.store = store;
        this.sink = sink;
        this.mailboxes = List.copyOf(mailboxes);
        this.bucket = bucket;
        this.clock = clock;
        this.metrics = metrics;
        metrics.watchPendingEvents(this::pending);
    }

    /** Delivers every owed event whose retry is due; returns how many went out. */
    public int deliverDue() {
        return deliverDue(true, true);
    }

    /**
     * Delivers the owed events of received messages only ({@code message_received}, {@code report_received}): for a
     * runtime whose part that receives may read the stored messages but not the sent ones (an AWS function's role).
     */
    public int deliverInboundDue() {
        return deliverDue(true, false);
    }

    /** Delivers the owed events of sent messages only ({@code message_sent}, {@code delivery_status_changed}). */
    public int deliverOutboundDue() {
        return deliverDue(false, true);
    }

    private int deliverDue(boolean inbound, boolean outbound) {
        if (!round.tryLock()) {
            return 0;
        }
        try {
            Instant now = clock.instant();
            Map<MeshEvent, Owed> due = new LinkedHashMap<>();
            for (Owed owed : owed(now, inbound, outbound)) {
                if (due.size() < ROUND) {
                    due.put(owed.event(), owed);
                }
            }
            if (due.isEmpty()) {
                return 0;
            }
            Map<MeshEvent, Exception> failed = sink.emitAll(List.copyOf(due.keySet()));
            List<Owed> delivered = new ArrayList<>();
            for (Owed owed : due.values()) {
                Exception failure = failed.get(owed.event());
                if (failure == null) {
                    delivered.add(owed);
                } else {
                    retryLater(owed, failure);
                }
            }
            return recordDelivered(delivered);
        } finally {
            round.unlock();
        }
    }

    /** Closes the sinks. */
    public void close() {
        sink.close();
    }

    /** Records the round's delivered events in one ledger write; returns how many. */
    private int recordDelivered(List<Owed> delivered) {
        DeliveredEvents events = new DeliveredEvents(
                delivered.stream().map(Owed::received).filter(java.util.Objects::nonNull).toList(),
                delivered.stream().map(Owed::sent).filter(java.util.Objects::nonNull).toList());
        try {
            ledger.eventsDelivered(events);
        } catch (RuntimeException e) {
            // Delivered but not recorded: they go out once more, which at-least-once allows.
            delivered.forEach(owed -> retryLater(owed, e));
            return 0;
        }
        for (Owed owed : delivered) {
            retries.remove(owed.id());
            LOG.debug("event_delivered kind={} message_id={}", owed.event().kind().event(),
                    owed.event().detail().messageId());
        }
        return delivered.size();
    }

    private void retryLater(Owed owed, Exception e) {
        Retry retry = retries.merge(owed.id(), new Retry(1, clock.instant().plus(RETRIES.after(1))),
                (before, first) -> new Retry(before.failedTries() + 1,
                        clock.instant().plus(RETRIES.after(before.failedTries() + 1))));
        metrics.eventFailed();
        LOG.warn("event_failed kind={} mailbox={} message_id={} failed_tries={} retry_in_ms={} reason=\"{}\"",
                owed.event().kind().event(), owed.event().detail().mailbox(), owed.event().detail().messageId(),
                retry.failedTries(), Duration.between(clock.instant(), retry.due()).toMillis(), e.toString());
    }

    /** The events owed whose retry is due, received messages first. */
    private List<Owed> owed(Instant now, boolean inbound, boolean outbound) {
        List<Owed> owed = new ArrayList<>();
        for (InboundRecord record : inbound ? inboundOwed() : List.<InboundRecord>of()) {
            String id = "in:" + record.mailbox() + "/" + record.messageId();
            if (isDue(id, now)) {
                try {
                    owed.add(new Owed(id, event(record),
                            new DeliveredEvents.Received(record.mailbox(), record.messageId()), null));
                } catch (IOException | RuntimeException e) {
                    retryLater(new Owed(id, new MeshEvent(EventKind.MESSAGE_RECEIVED, inboundDetail(record,
                            Map.of())), null, null), e);
                }
            }
        }
        for (OutboundEventsOwed record : outbound ? outboundOwed() : List.<OutboundEventsOwed>of()) {
            OutboundState next = record.next();
            String id = "out:" + record.record().id() + "/" + next;
            if (isDue(id, now)) {
                owed.add(new Owed(id, event(record.record(), next), null,
                        new DeliveredEvents.Sent(record.record().id(), next)));
            }
        }
        return owed;
    }

    /**
     * Events owed of sent messages; none from a ledger that does not keep them (it fails LedgerContractTest), said
     * once, so that the events of received messages still go out.
     */
    private List<OutboundEventsOwed> outboundOwed() {
        try {
            return ledger.outboundEventsOwed();
        } catch (UnsupportedOperationException e) {
            if (outboundUnsupported.compareAndSet(false, true)) {
                LOG.warn("outbound_events_unsupported ledger={} reason=\"{}\"", ledger, e.getMessage());
            }
            return List.of();
        }
    }

    private boolean isDue(String id, Instant now) {
        Retry retry = retries.get(id);
        return retry == null || !retry.due().isAfter(now);
    }

    /** Events owed of received messages: acknowledged and not yet announced. */
    private List<InboundRecord> inboundOwed() {
        return mailboxes.stream().flatMap(m -> ledger.inboundToFinish(m).stream())
                .filter(r -> r.state() == InboundState.ACKNOWLEDGED && !r.eventEmitted()).toList();
    }

    /** Events not yet delivered: of messages stored (acknowledged or not), and of messages sent; NaN unreadable. */
    private double pending() {
        try {
            return mailboxes.stream().flatMap(m -> ledger.inboundToFinish(m).stream())
                    .filter(r -> !r.eventEmitted()).count()
                    + outboundOwed().stream().mapToInt(EventOutbox::eventsOwed).sum();
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    /** Two when neither the message sent nor its final status has gone out yet. */
    private static int eventsOwed(OutboundEventsOwed owed) {
        return owed.announced().isEmpty() && owed.record().state() != OutboundState.ACCEPTED ? 2 : 1;
    }

    private MeshEvent event(InboundRecord record) throws IOException {
        Map<String, String> meta = store.decodedMetadata(record.objectKey());
        boolean report = MeshHeaders.TYPE_REPORT.equals(record.messageType());
        return new MeshEvent(report ? EventKind.REPORT_RECEIVED : EventKind.MESSAGE_RECEIVED,
                inboundDetail(record, meta));
    }

    private EventDetail inboundDetail(InboundRecord record, Map<String, String> meta) {
        Map<String, String> status = MeshHeaders.TYPE_REPORT.equals(record.messageType()) ? meta : Map.of();
        return new EventDetail(record.mailbox(), record.messageId(), record.sender(),
                meta.getOrDefault(MeshHeaders.TO, record.mailbox()), record.workflowId(), record.messageType(),
                bucket.orElse(null), record.objectKey(), record.size(), "received", meta.get(MeshHeaders.LOCAL_ID),
                String.valueOf(record.updatedAt()), meta.get(MeshHeaders.SUBJECT), meta.get(MeshHeaders.FILE_NAME),
                status.get(MeshHeaders.STATUS_CODE), status.get(MeshHeaders.STATUS_EVENT),
                status.get(MeshHeaders.STATUS_DESCRIPTION), status.get(MeshHeaders.STATUS_SUCCESS),
                status.get(MeshHeaders.LINKED_MESSAGE_ID));
    }

    /** The event of {@code state}: ACCEPTED is the message sent; a final state is its delivery status. */
    private MeshEvent event(OutboundRecord record, OutboundState state) {
        boolean sent = state == OutboundState.ACCEPTED;
        Instant time = sent && record.acceptedAt() != null ? record.acceptedAt() : record.updatedAt();
        return new MeshEvent(sent ? EventKind.MESSAGE_SENT : EventKind.DELIVERY_STATUS_CHANGED, new EventDetail(
                record.sender(), record.meshMessageId(), record.sender(), record.recipient(), record.workflowId(),
                MeshHeaders.TYPE_DATA, bucket.orElse(null), record.objectKey(), record.size(),
                state.name().toLowerCase(Locale.ROOT), record.localId(), String.valueOf(time), null, null, null,
                null, sent ? null : record.reason(), null, null));
    }
}
