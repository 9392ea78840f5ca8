package meshgate.gateway.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import meshgate.gateway.console.ConsoleModel.Count;
import meshgate.gateway.console.ConsoleModel.Field;
import meshgate.gateway.console.ConsoleModel.Found;
import meshgate.gateway.console.ConsoleModel.InboundRow;
import meshgate.gateway.console.ConsoleModel.Listing;
import meshgate.gateway.console.ConsoleModel.Mailbox;
import meshgate.gateway.console.ConsoleModel.OutboundRow;
import meshgate.gateway.console.ConsoleModel.Throughput;
import meshgate.gateway.ledger.InboundRecord;
import meshgate.gateway.ledger.InboundState;
import meshgate.gateway.ledger.Ledger;
import meshgate.gateway.ledger.OutboundRecord;
import meshgate.gateway.ledger.OutboundState;
import meshgate.gateway.ops.FailedFileRetry;
import meshgate.gateway.ops.MailboxHealth;

/**
 * What the console's pages show, read from the ledger and the gateway's mailbox health each time a page is asked for.
 * Lists show the newest {@link #SHOWN} of their kind and say when there are more.
 */
public final class ConsoleData {
    static final int SHOWN = 200;
    private static final int FOUND_AT_MOST = 50;
    private static final List<OutboundState> DELIVERY_FINAL = List.of(OutboundState.ACKNOWLEDGED,
            OutboundState.UNDELIVERABLE, OutboundState.EXPIRED);

    private final List<String> mailboxes;
    private final boolean meshJobs;
    private final Ledger ledger;
    private final MailboxHealth health;
    private final FailedFileRetry retry;
    private final Clock clock;

    public ConsoleData(List<String> mailboxes, boolean meshJobs, Ledger ledger, MailboxHealth health,
            FailedFileRetry retry, Clock clock) {
        this.mailboxes = List.copyOf(mailboxes);
        this.meshJobs = meshJobs;
        this.ledger = ledger;
        this.health = health;
        this.retry = retry;
        this.clock = clock;
    }

    public ConsoleModel.Overview overview() {
        Map<String, MailboxHealth.Pause> paused = new java.util.HashMap<>();
        health.paused().forEach(p -> paused.put(p.mailbox(), p));
        List<Mailbox> boxes = mailboxes.stream().map(id -> {
            MailboxHealth.Pause p = paused.get(id);
            return p == null ? new Mailbox(id, false, "", "", 0, "")
                    : new Mailbox(id, true, p.reason(), time(p.since()), p.failedTries(), time(p.nextTry()));
        }).toList();
        List<Count> outbound = ledger.countOutbound().entrySet().stream()
                .map(e -> new Count(e.getKey().name(), e.getValue())).toList();
        List<Count> inbound = ledger.countInbound().entrySet().stream()
                .map(e -> new Count(e.getKey().name(), e.getValue())).toList();
        Instant now = clock.instant();
        Instant hourAgo = now.minus(Duration.ofHours(1));
        Instant dayAgo = now.minus(Duration.ofDays(1));
        List<OutboundRecord> sent = ledger.outbound(OutboundState.ACCEPTED, OutboundState.ACKNOWLEDGED,
                OutboundState.UNDELIVERABLE, OutboundState.EXPIRED).stream()
                .filter(r -> r.acceptedAt() != null && r.acceptedAt().isAfter(dayAgo)).toList();
        List<InboundRecord> received = ledger.inbound(InboundState.STORED, InboundState.ACKNOWLEDGED).stream()
                .filter(r -> r.updatedAt() != null && r.updatedAt().isAfter(dayAgo)).toList();
        Throughput throughput = new Throughput(
                sent.stream().filter(r -> r.acceptedAt().isAfter(hourAgo)).count(), sent.size(),
                bytes(sent.stream().mapToLong(OutboundRecord::size).sum()),
                received.stream().filter(r -> r.updatedAt().isAfter(hourAgo)).count(), received.size(),
                bytes(received.stream().mapToLong(InboundRecord::size).sum()));
        long owed = ledger.inbound(InboundState.ACKNOWLEDGED).stream().filter(r -> !r.eventEmitted()).count();
        return new ConsoleModel.Overview(boxes, meshJobs, outbound, inbound, throughput, owed);
    }

    public ConsoleModel.Outbound outbound() {
        return new ConsoleModel.Outbound(outboundListing(OutboundState.QUEUED), outboundListing(OutboundState.SENDING),
                outboundListing(OutboundState.FAILED));
    }

    public ConsoleModel.Inbound inbound() {
        List<InboundRecord> all = ledger.inbound(InboundState.values());
        return new ConsoleModel.Inbound(new Listing<>(all.stream()
                .sorted(Comparator.comparing(InboundRecord::updatedAt, Comparator.nullsLast(Comparator.reverseOrder())))
                .limit(SHOWN).map(ConsoleData::inboundRow).toList(), all.size()));
    }

    public ConsoleModel.Tracking tracking() {
        return new ConsoleModel.Tracking(outboundListing(OutboundState.ACCEPTED),
                outboundListing(DELIVERY_FINAL.toArray(OutboundState[]::new)));
    }

    /**
     * Records whose file name or key contains {@code query} (any case), or whose local id, MESH message id or ledger
     * id is {@code query}: outbound and inbound, each with every field.
     */
    public ConsoleModel.Search search(String query) {
        String q = query.trim();
        if (q.isEmpty()) {
            return new ConsoleModel.Search(q, List.of());
        }
        String lower = q.toLowerCase(Locale.ROOT);
        Predicate<String> contains = s -> s != null && s.toLowerCase(Locale.ROOT).contains(lower);
        List<Found> found = new ArrayList<>();
        ledger.outbound(OutboundState.values()).stream()
                .filter(r -> contains.test(r.objectKey()) || q.equals(r.localId()) || q.equals(r.meshMessageId())
                        || q.equals(String.valueOf(r.id())) || contains.test(r.sentKey()))
                .sorted(Comparator.comparing(OutboundRecord::updatedAt,
                        Comparator.nullsLast(Comparator.reverseOrder())))
                .limit(FOUND_AT_MOST)
                .forEach(r -> found.add(outboundFound(r)));
        ledger.inbound(InboundState.values()).stream()
                .filter(r -> contains.test(r.objectKey()) || q.equals(r.messageId()))
                .sorted(Comparator.comparing(InboundRecord::updatedAt,
                        Comparator.nullsLast(Comparator.reverseOrder())))
                .limit(FOUND_AT_MOST)
                .forEach(r -> found.add(inboundFound(r)));
        return new ConsoleModel.Search(q, found);
    }

    /** One outbound record, whole. */
    public Optional<Found> outboundRecord(long id) {
        return ledger.findOutbound(id).map(this::outboundFound);
    }

    /** One inbound record, whole. */
    public Optional<Found> inboundRecord(String mailbox, String messageId) {
        return ledger.findInbound(mailbox, messageId).map(ConsoleData::inboundFound);
    }

    private Listing<OutboundRow> outboundListing(OutboundState... states) {
        List<OutboundRecord> all = ledger.outbound(states);
        return new Listing<>(all.stream()
                .sorted(Comparator.comparing(OutboundRecord::updatedAt,
                        Comparator.nullsLast(Comparator.reverseOrder())))
                .limit(SHOWN).map(this::outboundRow).toList(), all.size());
    }

    private OutboundRow outboundRow(OutboundRecord r) {
        String failedKey = "";
        if (r.state() == OutboundState.FAILED) {
            try {
                failedKey = retry.failedObject(r).orElse("");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list failed/", e);
            }
        }
        String chunks = r.chunksTotal() > 0 ? r.chunksAccepted() + "/" + r.chunksTotal() : "";
        return new OutboundRow(r.id(), r.objectKey(), r.state().name(), text(r.sender()), text(r.recipient()),
                text(r.workflowId()), text(r.localId()), text(r.meshMessageId()), chunks,
                r.size() < 0 ? "" : bytes(r.size()), text(r.reason()), time(r.updatedAt()), failedKey,
                text(r.trackingStatus()), time(r.acceptedAt()),
                DELIVERY_FINAL.contains(r.state()) ? time(r.updatedAt()) : "");
    }

    private Found outboundFound(OutboundRecord r) {
        List<Field> fields = new ArrayList<>();
        fields.add(new Field("Ledger id", String.valueOf(r.id())));
        fields.add(new Field("Key", r.objectKey()));
        fields.add(new Field("State", r.state().name()));
        fields.add(new Field("From", text(r.sender())));
        fields.add(new Field("To", text(r.recipient())));
        fields.add(new Field("Workflow id", text(r.workflowId())));
        fields.add(new Field("Local id", text(r.localId())));
        fields.add(new Field("MESH message id", text(r.meshMessageId())));
        fields.add(new Field("Tracking status", text(r.trackingStatus())));
        fields.add(new Field("Acknowledged at", r.state() == OutboundState.ACKNOWLEDGED ? time(r.updatedAt()) : ""));
        fields.add(new Field("Accepted by MESH at", time(r.acceptedAt())));
        fields.add(new Field("Chunks", r.chunksTotal() > 0 ? r.chunksAccepted() + "/" + r.chunksTotal() : ""));
        fields.add(new Field("Size", r.size() < 0 ? "" : bytes(r.size()) + " (" + r.size() + " bytes)"));
        fields.add(new Field("File modified at", time(r.lastModified())));
        fields.add(new Field("Compressed", r.startedAt() != null ? (r.compress() ? "yes" : "no") : ""));
        fields.add(new Field("Sent to", text(r.sentKey())));
        fields.add(new Field("Reason", text(r.reason())));
        fields.add(new Field("Attempts", String.valueOf(r.attempts())));
        fields.add(new Field("Recorded at", time(r.createdAt())));
        fields.add(new Field("Sending started at", time(r.startedAt())));
        fields.add(new Field("Updated at", time(r.updatedAt())));
        OutboundRow row = outboundRow(r);
        return new Found("Outbound", r.objectKey(), fields,
                row.retryable() ? Optional.of(row) : Optional.empty());
    }

    private static Found inboundFound(InboundRecord r) {
        List<Field> fields = List.of(
                new Field("Mailbox", r.mailbox()),
                new Field("MESH message id", r.messageId()),
                new Field("State", r.state().name()),
                new Field("Message type", text(r.messageType())),
                new Field("From", text(r.sender())),
                new Field("Workflow id", text(r.workflowId())),
                new Field("Stored as", text(r.objectKey())),
                new Field("Size", r.objectKey() == null ? "" : bytes(r.size()) + " (" + r.size() + " bytes)"),
                new Field("Event delivered", eventDelivered(r)),
                new Field("Reason", text(r.reason())),
                new Field("Attempts", String.valueOf(r.attempts())),
                new Field("Listed at", time(r.createdAt())),
                new Field("Updated at", time(r.updatedAt())));
        return new Found("Inbound", r.mailbox() + " " + r.messageId(), fields, Optional.empty());
    }

    private static InboundRow inboundRow(InboundRecord r) {
        return new InboundRow(r.mailbox(), r.messageId(), r.state().name(), text(r.messageType()), text(r.sender()),
                text(r.workflowId()), text(r.objectKey()), r.objectKey() == null ? "" : bytes(r.size()),
                eventDelivered(r), text(r.reason()), time(r.updatedAt()));
    }

    /** An inbound event is owed once the message is acknowledged. */
    private static String eventDelivered(InboundRecord r) {
        if (r.eventEmitted()) {
            return "yes";
        }
        return r.state() == InboundState.ACKNOWLEDGED ? "not yet" : "not owed yet";
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }

    static String time(Instant instant) {
        return instant == null ? "" : instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
