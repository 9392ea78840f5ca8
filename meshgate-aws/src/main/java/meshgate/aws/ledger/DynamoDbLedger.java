package meshgate.aws.ledger;

import static meshgate.aws.ledger.LedgerItems.COUNTER;
import static meshgate.aws.ledger.LedgerItems.LEASE_GENERATION;
import static meshgate.aws.ledger.LedgerItems.LEASE_OWNER;
import static meshgate.aws.ledger.LedgerItems.LEASE_UNTIL;
import static meshgate.aws.ledger.LedgerItems.inboundKey;
import static meshgate.aws.ledger.LedgerItems.millis;
import static meshgate.aws.ledger.LedgerItems.number;
import static meshgate.aws.ledger.LedgerItems.outboundKey;
import static meshgate.aws.ledger.LedgerItems.text;
import static meshgate.aws.ledger.LedgerTable.BY_STATE;
import static meshgate.aws.ledger.LedgerTable.EXPIRES_AT;
import static meshgate.aws.ledger.LedgerTable.KEY;
import static meshgate.aws.ledger.LedgerTable.LIST_STATE;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import meshgate.gateway.ledger.InboundRecord;
import meshgate.gateway.ledger.InboundState;
import meshgate.gateway.ledger.Ledger;
import meshgate.gateway.ledger.LedgerException;
import meshgate.gateway.ledger.MailboxActivity;
import meshgate.gateway.ledger.OutboundClaim;
import meshgate.gateway.ledger.OutboundEventsOwed;
import meshgate.gateway.ledger.OutboundRecord;
import meshgate.gateway.ledger.OutboundState;
import meshgate.gateway.ledger.StaleClaimException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.Select;

/**
 * A {@link Ledger} in one DynamoDB table, shared by any number of gateway nodes and needing no server of its own.
 *
 * <p>Every write that must not be lost to a race is a conditional write on one item: a new record is put only if its
 * key is free, a claimed update only if the record's {@code lease_owner} and {@code lease_generation} are still the
 * claim's, a claim only if nobody else holds an unexpired lease. Every read of a record is strongly consistent.
 * Listing by state goes through the {@code by_state} index, which DynamoDB updates a moment after the write, so each
 * listed record is read again, consistently, and kept only if it is still in a state asked for: a list may miss a
 * record that changed a moment ago (the next round finds it), never show one in the wrong state.
 *
 * <p>Outbound ids come from an atomic counter item; a version of an object (key, size, modification time) is made one
 * record by a version item put before the record, so of two nodes recording it at once one wins the version item and
 * both return its record. Leases are timed by this ledger's {@link Clock} (DynamoDB has no clock to ask), so the
 * nodes' clocks must agree to well within a lease, as NTP or AWS Time Sync keeps them.
 *
 * <p>Records that nothing more will happen to get an {@code expires_at} for DynamoDB's TTL (see {@link LedgerItems}).
 */
public final class DynamoDbLedger implements Ledger {
    private static final Logger log = LoggerFactory.getLogger(DynamoDbLedger.class);
    /** The state whose event went out last; written by {@link #outboundEventAnnounced} alone. */
    private static final String EVENT_STATE = "event_state";
    /** At most this many keys per BatchGetItem, as DynamoDB allows. */
    private static final int BATCH = 100;

    private final DynamoDbClient dynamo;
    private final boolean ownsClient;
    private final String table;
    private final Clock clock;
    private final Duration retention;
    /** Items per page of a listing and keys per batch read; 0 for DynamoDB's own limits. Small only in tests. */
    private final int pageSize;
    private final AtomicBoolean closed = new AtomicBoolean();

    private DynamoDbLedger(DynamoDbClient dynamo, boolean ownsClient, String table, Clock clock, Duration retention,
            int pageSize) {
        this.dynamo = dynamo;
        this.pageSize = pageSize;
        this.ownsClient = ownsClient;
        this.table = table;
        this.clock = clock;
        this.retention = retention;
        log.info("event=ledger.opened ledger=dynamodb table={} retention_days={}", table, retention.toDays());
    }

    /**
     * Opens the ledger in {@code settings.table()} through {@code dynamo}, creating the table first when the settings
     * say so. The client stays the caller's: closing the ledger leaves it open.
     */
    public static DynamoDbLedger open(DynamoDbClient dynamo, DynamoDbSettings settings, Clock clock) {
        return open(dynamo, settings, clock, 0);
    }

    /** As {@link #open(DynamoDbClient, DynamoDbSettings, Clock)}, listing and reading {@code pageSize} at a time. */
    static DynamoDbLedger open(DynamoDbClient dynamo, DynamoDbSettings settings, Clock clock, int pageSize) {
        LedgerTable.prepare(dynamo, settings.table(), settings.createTable());
        return new DynamoDbLedger(dynamo, false, settings.table(), clock, settings.retention(), pageSize);
    }

    /** Opens the ledger through a client of its own, built from {@code settings} and closed with the ledger. */
    public static DynamoDbLedger open(DynamoDbSettings settings, Clock clock) {
        DynamoDbClient dynamo = DynamoDbClients.build(settings);
        try {
            LedgerTable.prepare(dynamo, settings.table(), settings.createTable());
            return new DynamoDbLedger(dynamo, true, settings.table(), clock, settings.retention(), 0);
        } catch (RuntimeException e) {
            dynamo.close();
            throw e;
        }
    }

    /** The client this ledger uses, for the cluster's jobs and the functions' progress records to share. */
    public DynamoDbClient client() {
        return dynamo;
    }

    /** The ledger's table. */
    public String table() {
        return table;
    }

    @Override
    public OutboundRecord recordOutbound(String objectKey, long size, Instant lastModified) {
        Instant version = millis(lastModified);
        return call("record outbound " + objectKey, () -> {
            String versionKey = LedgerItems.versionKey(objectKey, size, version);
            long id = versionId(versionKey).orElseGet(() -> claimVersion(versionKey, objectKey, size, version));
            Optional<OutboundRecord> existing = findOutbound(id);
            if (existing.isPresent()) {
                return existing.get();
            }
            // Also after a node died between the version item and the record: the version's id is the record's.
            Instant now = now();
            OutboundRecord queued = new OutboundRecord(id, objectKey, size, version, OutboundState.QUEUED, null, null,
                    null, null, null, 0, 0, 0, false, null, null, false, 0, null, now, now, null, null);
            putIfAbsent(outboundKey(id), LedgerItems.outboundAttributes(queued, now, retention));
            return findOutbound(id).orElseThrow();
        });
    }

    /** The id the version item holds; a new id when this node puts the item first. */
    private long claimVersion(String versionKey, String objectKey, long size, Instant version) {
        long id = nextId();
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("id", number(id));
        item.put("object_key", text(objectKey));
        item.put("size", number(size));
        item.put("last_modified", LedgerItems.instant(version));
        if (putIfAbsent(versionKey, item)) {
            return id;
        }
        // Another node recorded this version first; the id drawn here stays unused.
        return versionId(versionKey).orElseThrow();
    }

    private Optional<Long> versionId(String versionKey) {
        return get(versionKey).map(item -> LedgerItems.longOf(item, "id"));
    }

    private long nextId() {
        var response = dynamo.updateItem(new ItemUpdate().add("next_id", number(1))
                .request(table, COUNTER, ReturnValue.UPDATED_NEW));
        return LedgerItems.longOf(response.attributes(), "next_id");
    }

    @Override
    public Optional<OutboundRecord> findOutbound(long id) {
        return call("find outbound " + id, () -> get(outboundKey(id)).map(LedgerItems::outboundRecord));
    }

    @Override
    public OutboundRecord updateOutbound(OutboundRecord record) {
        return call("update outbound " + record.id(), () -> {
            ItemUpdate update = new ItemUpdate().when("attribute_exists(#pk)", Map.of());
            Optional<OutboundRecord> updated = updateOutboundItem(record, update);
            return updated.orElseThrow(() -> new IllegalArgumentException("no outbound record with id "
                    + record.id()));
        });
    }

    @Override
    public OutboundRecord updateOutbound(OutboundClaim claim, OutboundRecord record) {
        if (claim.recordId() != record.id()) {
            throw new IllegalArgumentException("claim " + claim + " is not on outbound record " + record.id());
        }
        return call("update outbound " + record.id() + " under claim " + claim.generation(), () -> {
            ItemUpdate update = new ItemUpdate().when(
                    "attribute_exists(#pk) AND #lease_owner = :owner AND #lease_generation = :generation",
                    Map.of("owner", text(claim.owner()), "generation", number(claim.generation())));
            Optional<OutboundRecord> updated = updateOutboundItem(record, update);
            if (updated.isPresent()) {
                return updated.get();
            }
            if (get(outboundKey(claim.recordId())).isEmpty()) {
                throw new IllegalArgumentException("no outbound record with id " + claim.recordId());
            }
            throw new StaleClaimException(claim);
        });
    }

    /** Writes every field of {@code record} if {@code update}'s condition holds; empty when it does not. */
    private Optional<OutboundRecord> updateOutboundItem(OutboundRecord record, ItemUpdate update) {
        Instant now = now();
        Map<String, AttributeValue> attributes = LedgerItems.outboundAttributes(record, now, retention);
        try {
            var response = dynamo.updateItem(update.setAll(attributes)
                    .request(table, outboundKey(record.id()), ReturnValue.ALL_NEW));
            OutboundRecord updated = LedgerItems.outboundRecord(response.attributes());
            if (attributes.get(EXPIRES_AT) != null) {
                expireVersionWith(updated, attributes.get(EXPIRES_AT));
            }
            return Optional.of(updated);
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
    }

    /** The version item goes with its record, so that an expired record is not recorded anew as QUEUED. */
    private void expireVersionWith(OutboundRecord record, AttributeValue expiresAt) {
        String versionKey = LedgerItems.versionKey(record.objectKey(), record.size(), record.lastModified());
        try {
            dynamo.updateItem(new ItemUpdate().set(EXPIRES_AT, expiresAt)
                    .when("attribute_exists(#pk) AND #id = :id", Map.of("id", number(record.id())))
                    .request(table, versionKey, ReturnValue.NONE));
        } catch (ConditionalCheckFailedException e) {
            // The record was renamed or the version item is gone already: nothing to expire.
        }
    }

    /** The records in any of {@code states}, in id order; none when no state is given. */
    @Override
    public List<OutboundRecord> outbound(OutboundState... states) {
        Set<OutboundState> wanted = states.length == 0 ? EnumSet.noneOf(OutboundState.class)
                : EnumSet.copyOf(List.of(states));
        return call("list outbound", () -> {
            List<String> keys = new ArrayList<>();
            wanted.forEach(state -> LedgerItems.outboundListStates(state).forEach(list -> keys.addAll(listed(list))));
            return readAll(keys).stream().map(LedgerItems::outboundRecord)
                    .filter(record -> wanted.contains(record.state()))
                    .sorted(Comparator.comparingLong(OutboundRecord::id))
                    .toList();
        });
    }

    /**
     * The accepted records whose state is ahead of the state last announced ({@code event_state}, an attribute that
     * only {@link #outboundEventAnnounced} writes, so a record update never undoes it), in id order.
     */
    /**
     * The accepted records whose state is ahead of the state last announced ({@code event_state}, an attribute that
     * only {@link #outboundEventAnnounced} writes, so a record update never undoes it), in id order. Only the records
     * listed as not yet announced are read: an announcement moves its record to the announced list of its state, and
     * a record found there already announced (written again since, in the same state) is moved back to it.
     */
    @Override
    public List<OutboundEventsOwed> outboundEventsOwed() {
        return call("list outbound events owed", () -> {
            List<String> keys = new ArrayList<>();
            OutboundEventsOwed.ANNOUNCED_STATES
                    .forEach(state -> keys.addAll(listed(LedgerItems.outboundListState(state))));
            List<OutboundEventsOwed> owed = new ArrayList<>();
            for (Map<String, AttributeValue> item : readAll(keys)) {
                OutboundRecord record = LedgerItems.outboundRecord(item);
                Optional<OutboundState> announced = Optional.ofNullable(item.get(EVENT_STATE))
                        .map(AttributeValue::s).map(OutboundState::valueOf);
                if (!OutboundEventsOwed.ANNOUNCED_STATES.contains(record.state())) {
                    continue;
                }
                if (announced.equals(Optional.of(record.state()))) {
                    listAsAnnounced(record.id(), record.state());
                } else if (record.meshMessageId() != null) {
                    owed.add(new OutboundEventsOwed(record, announced));
                }
            }
            owed.sort(Comparator.comparingLong(o -> o.record().id()));
            return owed;
        });
    }

    @Override
    public void outboundEventAnnounced(long id, OutboundState state) {
        call("announce outbound event " + id, () -> {
            try {
                dynamo.updateItem(new ItemUpdate().set(EVENT_STATE, text(state.name()))
                        .when("attribute_exists(#pk)", Map.of())
                        .request(table, outboundKey(id), ReturnValue.NONE));
            } catch (ConditionalCheckFailedException e) {
                // Expired or never there: nothing is owed for it any more.
                return null;
            }
            listAsAnnounced(id, state);
            return null;
        });
    }

    /** Lists the record as announced in {@code state}, if it is still in that state with its event out. */
    private void listAsAnnounced(long id, OutboundState state) {
        try {
            dynamo.updateItem(new ItemUpdate().set(LIST_STATE, text(LedgerItems.outboundAnnouncedListState(state)))
                    .when("#state = :state AND #event_state = :state", Map.of("state", text(state.name())))
                    .request(table, outboundKey(id), ReturnValue.NONE));
        } catch (ConditionalCheckFailedException e) {
            // Moved on to another state (whose event is owed), or expired: it stays where it is listed.
        }
    }

    @Override
    public void recordHandshake(String mailbox, Optional<String> failure) {
        updateMailbox("record handshake of " + mailbox, mailbox, new ItemUpdate()
                .set("handshake_at", LedgerItems.instant(now()))
                .set("handshake_failure", text(failure.orElse(null))));
    }

    @Override
    public void recordPoll(String mailbox, int inboxCount) {
        updateMailbox("record poll of " + mailbox, mailbox, new ItemUpdate()
                .set("polled_at", LedgerItems.instant(now()))
                .set("inbox_count", number(inboxCount))
                .remove("poll_failure")
                .remove("poll_failed_at"));
    }

    @Override
    public void recordPollFailure(String mailbox, String reason) {
        updateMailbox("record failed poll of " + mailbox, mailbox, new ItemUpdate()
                .set("poll_failure", text(reason))
                .set("poll_failed_at", LedgerItems.instant(now())));
    }

    @Override
    public Optional<MailboxActivity> mailboxActivity(String mailbox) {
        return call("read activity of " + mailbox, () -> get(LedgerItems.mailboxKey(mailbox)).map(item ->
                new MailboxActivity(mailbox, LedgerItems.instantOf(item, "handshake_at"),
                        LedgerItems.textOf(item, "handshake_failure"), LedgerItems.instantOf(item, "polled_at"),
                        (int) LedgerItems.longOf(item, "inbox_count"), LedgerItems.textOf(item, "poll_failure"),
                        LedgerItems.instantOf(item, "poll_failed_at"))));
    }

    /** One item a mailbox, made by its first write; never listed by state, never expired. */
    private void updateMailbox(String what, String mailbox, ItemUpdate update) {
        call(what, () -> dynamo.updateItem(update.request(table, LedgerItems.mailboxKey(mailbox), ReturnValue.NONE)));
    }

    @Override
    public InboundRecord recordInbound(String mailbox, String messageId) {
        return call("record inbound " + mailbox + "/" + messageId, () -> {
            Optional<InboundRecord> existing = findInbound(mailbox, messageId);
            if (existing.isPresent()) {
                return existing.get();
            }
            Instant now = now();
            InboundRecord listed = new InboundRecord(mailbox, messageId, InboundState.LISTED, null, null, null, null,
                    0, false, null, 0, now, now);
            putIfAbsent(inboundKey(mailbox, messageId), LedgerItems.inboundAttributes(listed, now, retention));
            return findInbound(mailbox, messageId).orElseThrow();
        });
    }

    @Override
    public Optional<InboundRecord> findInbound(String mailbox, String messageId) {
        return call("find inbound " + mailbox + "/" + messageId,
                () -> get(inboundKey(mailbox, messageId)).map(LedgerItems::inboundRecord));
    }

    @Override
    public InboundRecord updateInbound(InboundRecord record) {
        return call("update inbound " + record.mailbox() + "/" + record.messageId(), () -> {
            Map<String, AttributeValue> attributes = LedgerItems.inboundAttributes(record, now(), retention);
            try {
                var response = dynamo.updateItem(new ItemUpdate().when("attribute_exists(#pk)", Map.of())
                        .setAll(attributes)
                        .request(table, inboundKey(record.mailbox(), record.messageId()), ReturnValue.ALL_NEW));
                return LedgerItems.inboundRecord(response.attributes());
            } catch (ConditionalCheckFailedException e) {
                throw new IllegalArgumentException("no inbound record for mailbox " + record.mailbox() + " message "
                        + record.messageId());
            }
        });
    }

    /** The records in any of {@code states}, oldest first, then by message id and mailbox in code-point order. */
    @Override
    public List<InboundRecord> inbound(InboundState... states) {
        Set<InboundState> wanted = states.length == 0 ? EnumSet.noneOf(InboundState.class)
                : EnumSet.copyOf(List.of(states));
        return call("list inbound", () -> {
            List<String> keys = new ArrayList<>();
            for (InboundState state : wanted) {
                keys.addAll(listed(LedgerItems.inboundListState(state, false)));
                keys.addAll(listed(LedgerItems.inboundListState(state, true)));
            }
            return readAll(keys).stream().map(LedgerItems::inboundRecord)
                    .filter(record -> wanted.contains(record.state()))
                    .sorted(INBOUND_ORDER)
                    .toList();
        });
    }

    @Override
    public List<InboundRecord> inboundToFinish(String mailbox) {
        return call("list inbound to finish", () -> {
            List<String> keys = new ArrayList<>();
            keys.addAll(listed(LedgerItems.inboundListState(InboundState.STORED, false)));
            keys.addAll(listed(LedgerItems.inboundListState(InboundState.STORED, true)));
            keys.addAll(listed(LedgerItems.inboundListState(InboundState.ACKNOWLEDGED, false)));
            String prefix = LedgerItems.inboundKey(mailbox, "");
            return readAll(keys.stream().filter(key -> key.startsWith(prefix)).toList()).stream()
                    .map(LedgerItems::inboundRecord)
                    .filter(record -> record.mailbox().equals(mailbox))
                    .filter(record -> record.state() == InboundState.STORED
                            || (record.state() == InboundState.ACKNOWLEDGED && !record.eventEmitted()))
                    .sorted(INBOUND_ORDER)
                    .toList();
        });
    }

    private static final Comparator<InboundRecord> INBOUND_ORDER = Comparator
            .comparing(InboundRecord::createdAt)
            .thenComparing(InboundRecord::messageId, DynamoDbLedger::compareCodePoints)
            .thenComparing(InboundRecord::mailbox, DynamoDbLedger::compareCodePoints);

    private static int compareCodePoints(String a, String b) {
        return java.util.Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());
    }

    /**
     * The lease runs for {@code lease} from this ledger's clock. One conditional UpdateItem sets the owner and lease
     * and adds one to the generation, so of two nodes claiming at once one gets the claim and the other sees it held.
     */
    @Override
    public Optional<OutboundClaim> claimOutbound(long id, String owner, Duration lease) {
        return call("claim outbound " + id, () -> {
            Instant now = now();
            ItemUpdate claim = new ItemUpdate()
                    .set(LEASE_OWNER, text(owner))
                    .set(LEASE_UNTIL, number(now.plus(lease).toEpochMilli()))
                    .add(LEASE_GENERATION, number(1))
                    .when("attribute_exists(#pk) AND (attribute_not_exists(#lease_owner) OR #lease_owner = :owner"
                                    + " OR #lease_until < :now)",
                            Map.of("owner", text(owner), "now", number(now.toEpochMilli())));
            try {
                var response = dynamo.updateItem(claim.request(table, outboundKey(id), ReturnValue.UPDATED_NEW));
                return Optional.of(new OutboundClaim(id, owner,
                        LedgerItems.longOf(response.attributes(), LEASE_GENERATION)));
            } catch (ConditionalCheckFailedException e) {
                return Optional.empty();
            }
        });
    }

    @Override
    public boolean renewOutbound(OutboundClaim claim, Duration lease) {
        return call("renew claim on outbound " + claim.recordId(), () -> {
            try {
                dynamo.updateItem(held(claim).set(LEASE_UNTIL, number(now().plus(lease).toEpochMilli()))
                        .request(table, outboundKey(claim.recordId()), ReturnValue.NONE));
                return true;
            } catch (ConditionalCheckFailedException e) {
                return false;
            }
        });
    }

    @Override
    public void releaseOutbound(OutboundClaim claim) {
        call("release outbound " + claim.recordId(), () -> {
            try {
                dynamo.updateItem(held(claim).remove(LEASE_OWNER).remove(LEASE_UNTIL)
                        .request(table, outboundKey(claim.recordId()), ReturnValue.NONE));
            } catch (ConditionalCheckFailedException e) {
                // Not the current claim any more: nothing to give up.
            }
            return null;
        });
    }

    private static ItemUpdate held(OutboundClaim claim) {
        return new ItemUpdate().when("#lease_owner = :owner AND #lease_generation = :generation",
                Map.of("owner", text(claim.owner()), "generation", number(claim.generation())));
    }

    @Override
    public Map<OutboundState, Long> countOutbound() {
        return call("count outbound", () -> {
            Map<OutboundState, Long> counts = new EnumMap<>(OutboundState.class);
            for (OutboundState state : OutboundState.values()) {
                long count = 0;
                for (String list : LedgerItems.outboundListStates(state)) {
                    count += count(list);
                }
                counts.put(state, count);
            }
            return counts;
        });
    }

    @Override
    public Map<InboundState, Long> countInbound() {
        return call("count inbound", () -> {
            Map<InboundState, Long> counts = new EnumMap<>(InboundState.class);
            for (InboundState state : InboundState.values()) {
                counts.put(state, count(LedgerItems.inboundListState(state, false))
                        + count(LedgerItems.inboundListState(state, true)));
            }
            return counts;
        });
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            if (ownsClient) {
                dynamo.close();
            }
            log.info("event=ledger.closed ledger=dynamodb table={}", table);
        }
    }

    @Override
    public String toString() {
        return "DynamoDbLedger[" + table + "]";
    }

    private Optional<Map<String, AttributeValue>> get(String key) {
        Map<String, AttributeValue> item = dynamo.getItem(request -> request.tableName(table)
                .key(Map.of(KEY, AttributeValue.fromS(key))).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
    }

    /** Puts the item if its key is free; false when it was taken. */
    private boolean putIfAbsent(String key, Map<String, AttributeValue> attributes) {
        Map<String, AttributeValue> item = new HashMap<>();
        attributes.forEach((name, value) -> {
            if (value != null) {
                item.put(name, value);
            }
        });
        item.put(KEY, AttributeValue.fromS(key));
        try {
            dynamo.putItem(request -> request.tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", KEY)));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** The keys of the items the index lists under {@code listState}, every page of them, in index order. */
    private List<String> listed(String listState) {
        List<String> keys = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryResponse page = dynamo.query(query(listState, start).build());
            page.items().forEach(item -> keys.add(item.get(KEY).s()));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return keys;
    }

    private long count(String listState) {
        long count = 0;
        Map<String, AttributeValue> start = null;
        do {
            QueryResponse page = dynamo.query(query(listState, start).select(Select.COUNT).build());
            count += page.count();
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return count;
    }

    private QueryRequest.Builder query(String listState, Map<String, AttributeValue> start) {
        QueryRequest.Builder query = QueryRequest.builder().tableName(table).indexName(BY_STATE)
                .keyConditionExpression("#s = :s")
                .expressionAttributeNames(Map.of("#s", LIST_STATE))
                .expressionAttributeValues(Map.of(":s", AttributeValue.fromS(listState)));
        if (start != null) {
            query.exclusiveStartKey(start);
        }
        if (pageSize > 0) {
            query.limit(pageSize);
        }
        return query;
    }

    /** The items with these keys, read consistently, in batches, until DynamoDB has answered for every key. */
    private List<Map<String, AttributeValue>> readAll(List<String> keys) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        List<String> distinct = List.copyOf(new LinkedHashSet<>(keys));
        int size = pageSize > 0 ? Math.min(pageSize, BATCH) : BATCH;
        for (int from = 0; from < distinct.size(); from += size) {
            List<Map<String, AttributeValue>> batch = distinct.subList(from, Math.min(distinct.size(), from + size))
                    .stream().map(key -> Map.of(KEY, AttributeValue.fromS(key))).toList();
            Map<String, KeysAndAttributes> pending = Map.of(table, KeysAndAttributes.builder().keys(batch)
                    .consistentRead(true).build());
            int round = 0;
            while (!pending.isEmpty()) {
                Map<String, KeysAndAttributes> asked = pending;
                BatchGetItemResponse response = dynamo.batchGetItem(request -> request.requestItems(asked));
                items.addAll(response.responses().getOrDefault(table, List.of()));
                pending = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
                if (!pending.isEmpty()) {
                    backOff(++round);
                }
            }
        }
        return items;
    }

    /** Waits before asking again for keys DynamoDB left unprocessed (it was throttling). */
    private static void backOff(int round) {
        try {
            Thread.sleep(Math.min(1000, 25L << Math.min(round, 6)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LedgerException("interrupted reading the ledger", e);
        }
    }

    private <T> T call(String what, Supplier<T> work) {
        if (closed.get()) {
            throw new IllegalStateException("ledger " + this + " is closed");
        }
        try {
            return work.get();
        } catch (SdkException e) {
            throw new LedgerException("cannot " + what + " in DynamoDB table " + table, e);
        }
    }

    private Instant now() {
        return millis(clock.instant());
    }
}
