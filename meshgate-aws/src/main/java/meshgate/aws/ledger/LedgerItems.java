package meshgate.aws.ledger;

import static meshgate.aws.ledger.LedgerTable.EXPIRES_AT;
import static meshgate.aws.ledger.LedgerTable.LIST_ORDER;
import static meshgate.aws.ledger.LedgerTable.LIST_STATE;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import meshgate.gateway.ledger.InboundRecord;
import meshgate.gateway.ledger.InboundState;
import meshgate.gateway.ledger.OutboundRecord;
import meshgate.gateway.ledger.OutboundState;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * How ledger records are items of the ledger's table. Instants are numbers of milliseconds since the epoch (TTL's
 * {@value LedgerTable#EXPIRES_AT} is in seconds, as DynamoDB wants); an absent value is an absent attribute.
 */
final class LedgerItems {
    static final String OUTBOUND = "outbound#";
    static final String VERSION = "outbound-version#";
    static final String INBOUND = "inbound#";
    static final String COUNTER = "counter#outbound";
    /** What the gateway last saw of a mailbox (see {@link meshgate.gateway.ledger.MailboxActivity}). */
    static final String MAILBOX = "mailbox#";
    static final String JOB = "job#";

    static final String LEASE_OWNER = "lease_owner";
    static final String LEASE_UNTIL = "lease_until";
    static final String LEASE_GENERATION = "lease_generation";

    private LedgerItems() {
    }

    static String outboundKey(long id) {
        return OUTBOUND + id;
    }

    /**
     * The key of the item that makes one object version (key, size, modification time) one record: a hash, since a
     * partition key holds at most 2048 bytes and an object key may be longer.
     */
    static String versionKey(String objectKey, long size, Instant lastModified) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((size + "\n" + millis(lastModified).toEpochMilli() + "\n").getBytes(StandardCharsets.UTF_8));
            sha.update(objectKey.getBytes(StandardCharsets.UTF_8));
            return VERSION + HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String inboundKey(String mailbox, String messageId) {
        // Mailbox ids have no '#', so the first '#' after the prefix ends the mailbox.
        return INBOUND + mailbox + "#" + messageId;
    }

    static String mailboxKey(String mailbox) {
        return MAILBOX + mailbox;
    }

    /**
     * Where the index lists an outbound record in {@code state}: every write of a record lists it here, where the
     * events owed are looked for.
     */
    static String outboundListState(OutboundState state) {
        return OUTBOUND + state.name();
    }

    /**
     * Where a record whose event of its state has gone out is listed instead, so that finding the events owed reads
     * only the records written since their last announcement, not every message ever accepted.
     */
    static String outboundAnnouncedListState(OutboundState state) {
        return OUTBOUND + state.name() + "#announced";
    }

    /** Every list an outbound record in {@code state} can be in. */
    static java.util.List<String> outboundListStates(OutboundState state) {
        return meshgate.gateway.ledger.OutboundEventsOwed.ANNOUNCED_STATES.contains(state)
                ? java.util.List.of(outboundListState(state), outboundAnnouncedListState(state))
                : java.util.List.of(outboundListState(state));
    }

    /** Inbound records whose event is still owed are listed apart, so that finding them reads no others. */
    static String inboundListState(InboundState state, boolean eventEmitted) {
        return INBOUND + state.name() + (eventEmitted ? "#done" : "#owed");
    }

    /** Every attribute of an outbound record, null for those it lacks (to be removed from the item). */
    static Map<String, AttributeValue> outboundAttributes(OutboundRecord record, Instant updatedAt,
            Duration retention) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("id", number(record.id()));
        item.put("object_key", text(record.objectKey()));
        item.put("size", number(record.size()));
        item.put("last_modified", instant(record.lastModified()));
        item.put("state", text(record.state().name()));
        item.put("sender", text(record.sender()));
        item.put("recipient", text(record.recipient()));
        item.put("workflow_id", text(record.workflowId()));
        item.put("local_id", text(record.localId()));
        item.put("mesh_message_id", text(record.meshMessageId()));
        item.put("chunks_total", number(record.chunksTotal()));
        item.put("chunks_accepted", number(record.chunksAccepted()));
        item.put("chunk_size", number(record.chunkSize()));
        item.put("compress", bool(record.compress()));
        item.put("tracking_status", text(record.trackingStatus()));
        item.put("reason", text(record.reason()));
        item.put("retryable", bool(record.retryable()));
        item.put("attempts", number(record.attempts()));
        item.put("sent_key", text(record.sentKey()));
        item.put("created_at", instant(record.createdAt()));
        item.put("updated_at", instant(updatedAt));
        item.put("started_at", instant(record.startedAt()));
        item.put("accepted_at", instant(record.acceptedAt()));
        item.put(LIST_STATE, text(outboundListState(record.state())));
        item.put(LIST_ORDER, number(record.id()));
        item.put(EXPIRES_AT, expiry(outboundExpires(record.state()), updatedAt, retention));
        return item;
    }

    /**
     * A record expires once nothing more will happen to it and its object has left {@code outbound/} (delivered,
     * refused or replaced by a newer version). FAILED records stay: their file waits for a person.
     */
    static boolean outboundExpires(OutboundState state) {
        return state.isFinal() && state != OutboundState.FAILED;
    }

    /**
     * An inbound record expires once acknowledged (MESH lists it no more) and its event delivered; a record that
     * still lists in MESH must stay, or the message would be received twice.
     */
    static boolean inboundExpires(InboundRecord record) {
        return record.state() == InboundState.ACKNOWLEDGED && record.eventEmitted();
    }

    static AttributeValue expiry(boolean expires, Instant now, Duration retention) {
        if (!expires || retention.isZero()) {
            return null;
        }
        return number(now.plus(retention).getEpochSecond());
    }

    static Map<String, AttributeValue> inboundAttributes(InboundRecord record, Instant updatedAt,
            Duration retention) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("mailbox", text(record.mailbox()));
        item.put("message_id", text(record.messageId()));
        item.put("state", text(record.state().name()));
        item.put("message_type", text(record.messageType()));
        item.put("sender", text(record.sender()));
        item.put("workflow_id", text(record.workflowId()));
        item.put("object_key", text(record.objectKey()));
        item.put("size", number(record.size()));
        item.put("event_emitted", bool(record.eventEmitted()));
        item.put("reason", text(record.reason()));
        item.put("attempts", number(record.attempts()));
        item.put("created_at", instant(record.createdAt()));
        item.put("updated_at", instant(updatedAt));
        item.put(LIST_STATE, text(inboundListState(record.state(), record.eventEmitted())));
        item.put(LIST_ORDER, instant(record.createdAt()));
        item.put(EXPIRES_AT, expiry(inboundExpires(record), updatedAt, retention));
        return item;
    }

    static OutboundRecord outboundRecord(Map<String, AttributeValue> item) {
        return new OutboundRecord(
                longOf(item, "id"),
                textOf(item, "object_key"),
                longOf(item, "size"),
                instantOf(item, "last_modified"),
                OutboundState.valueOf(textOf(item, "state")),
                textOf(item, "sender"),
                textOf(item, "recipient"),
                textOf(item, "workflow_id"),
                textOf(item, "local_id"),
                textOf(item, "mesh_message_id"),
                (int) longOf(item, "chunks_total"),
                (int) longOf(item, "chunks_accepted"),
                (int) longOf(item, "chunk_size"),
                boolOf(item, "compress"),
                textOf(item, "tracking_status"),
                textOf(item, "reason"),
                boolOf(item, "retryable"),
                (int) longOf(item, "attempts"),
                textOf(item, "sent_key"),
                instantOf(item, "created_at"),
                instantOf(item, "updated_at"),
                instantOf(item, "started_at"),
                instantOf(item, "accepted_at"));
    }

    static InboundRecord inboundRecord(Map<String, AttributeValue> item) {
        return new InboundRecord(
                textOf(item, "mailbox"),
                textOf(item, "message_id"),
                InboundState.valueOf(textOf(item, "state")),
                textOf(item, "message_type"),
                textOf(item, "sender"),
                textOf(item, "workflow_id"),
                textOf(item, "object_key"),
                longOf(item, "size"),
                boolOf(item, "event_emitted"),
                textOf(item, "reason"),
                (int) longOf(item, "attempts"),
                instantOf(item, "created_at"),
                instantOf(item, "updated_at"));
    }

    static Instant millis(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MILLIS);
    }

    static AttributeValue text(String value) {
        return value == null ? null : AttributeValue.fromS(value);
    }

    static AttributeValue number(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    static AttributeValue bool(boolean value) {
        return AttributeValue.fromBool(value);
    }

    static AttributeValue instant(Instant value) {
        return value == null ? null : number(millis(value).toEpochMilli());
    }

    static String textOf(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || value.s() == null ? null : value.s();
    }

    static long longOf(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || value.n() == null ? 0 : Long.parseLong(value.n());
    }

    static boolean boolOf(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value != null && Boolean.TRUE.equals(value.bool());
    }

    static Instant instantOf(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || value.n() == null ? null : Instant.ofEpochMilli(Long.parseLong(value.n()));
    }
}
