package meshgate.aws.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import meshgate.gateway.ledger.InboundRecord;
import meshgate.gateway.ledger.InboundState;
import meshgate.gateway.ledger.LedgerContractTest;
import meshgate.gateway.ledger.LedgerException;
import meshgate.gateway.ledger.OutboundClaim;
import meshgate.gateway.ledger.OutboundRecord;
import meshgate.gateway.ledger.OutboundState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The ledger contract on a real DynamoDB-API server (dynalite), each test on a table of its own, and what only the
 * DynamoDB ledger has: the table created on request and refused when missing, listings read page by page, TTL on
 * finished records, claims decided by conditional writes between nodes.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DynamoDbLedgerTest extends LedgerContractTest {
    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final AtomicInteger TABLES = new AtomicInteger();

    static Dynalite dynalite;
    static DynamoDbClient client;

    String table;

    @BeforeAll
    static void startDynalite() {
        dynalite = Dynalite.start();
        client = dynalite.client();
    }

    @AfterAll
    static void stopDynalite() {
        client.close();
        dynalite.close();
    }

    @Override
    protected DynamoDbLedger openNewLedger(Clock clock) {
        table = "ledger-" + TABLES.incrementAndGet();
        return DynamoDbLedger.open(client, dynalite.settings(table), clock);
    }

    @Override
    protected DynamoDbLedger reopenLedger(Clock clock) {
        return DynamoDbLedger.open(client, dynalite.settings(table), clock);
    }

    /** A ledger with a client of its own, as another node has; closing it closes that client. */
    @Override
    protected DynamoDbLedger openAnotherLedger(Clock clock) {
        return DynamoDbLedger.open(dynalite.settings(table), clock);
    }

    @AfterEach
    void dropTable() {
        client.deleteTable(request -> request.tableName(table));
    }

    @Test
    void findingTheEventsOwedReadsOnlyTheRecordsNotYetAnnounced() {
        List<OutboundRecord> accepted = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            OutboundRecord record = ledger.recordOutbound("outbound/announced-" + i + ".csv", 10, MODIFIED);
            accepted.add(ledger.updateOutbound(record.sending("X26ABC1", "X26ABC2", "W", "local-" + i, 5_242_881,
                    false, START).accepted("MSG-" + i, START)));
        }
        assertThat(ledger.outboundEventsOwed()).hasSize(30);
        assertThat(listed("outbound#ACCEPTED")).isEqualTo(30);
        accepted.forEach(r -> ledger.outboundEventAnnounced(r.id(), OutboundState.ACCEPTED));

        assertThat(listed("outbound#ACCEPTED")).as("announced records are listed apart").isZero();
        assertThat(listed("outbound#ACCEPTED#announced")).isEqualTo(30);
        assertThat(ledger.outboundEventsOwed()).isEmpty();
        assertThat(ledger.outbound(OutboundState.ACCEPTED)).hasSize(30);
        assertThat(ledger.countOutbound()).containsEntry(OutboundState.ACCEPTED, 30L);

        // Written again in the same state (archived, or tracked as still accepted): not owed, and listed apart again
        // once the owed events have been looked for.
        OutboundRecord archived = ledger.updateOutbound(accepted.get(0).sentTo("sent/MSG-0/announced-0.csv"));
        assertThat(listed("outbound#ACCEPTED")).isEqualTo(1);
        assertThat(ledger.outboundEventsOwed()).isEmpty();
        assertThat(listed("outbound#ACCEPTED")).isZero();
        // A new state is a new event owed.
        ledger.updateOutbound(archived.tracked(OutboundState.ACKNOWLEDGED, "acknowledged", null));
        assertThat(ledger.outboundEventsOwed()).singleElement()
                .satisfies(owed -> assertThat(owed.next()).isEqualTo(OutboundState.ACKNOWLEDGED));
    }

    private long listed(String listState) {
        return client.query(q -> q.tableName(table).indexName("by_state").keyConditionExpression("#s = :s")
                .expressionAttributeNames(Map.of("#s", "list_state"))
                .expressionAttributeValues(Map.of(":s", AttributeValue.fromS(listState)))).count();
    }

    @Test
    void refusesAMissingTableUnlessAskedToCreateIt() {
        DynamoDbSettings expected = DynamoDbSettings.from(Map.of("table", "no-such-table", "endpoint",
                dynalite.endpoint().toString(), "region", Dynalite.REGION, "access_key_id", Dynalite.ACCESS_KEY,
                "secret_access_key", Dynalite.SECRET_KEY));

        assertThatThrownBy(() -> DynamoDbLedger.open(expected, clock)).isInstanceOf(LedgerException.class)
                .hasMessageContaining("no-such-table does not exist").hasMessageContaining("create_table");
        assertThat(client.listTables().tableNames()).doesNotContain("no-such-table");
    }

    @Test
    void nodesStartingTogetherShareOneCreatedTable() throws Exception {
        String shared = table + "-shared";
        List<Long> ids = concurrently(4, () -> {
            try (DynamoDbLedger node = DynamoDbLedger.open(client, dynalite.settings(shared), clock)) {
                return node.recordOutbound("outbound/x.csv", 1, MODIFIED).id();
            }
        });

        assertThat(ids).containsOnly(ids.get(0));
        client.deleteTable(request -> request.tableName(shared));
    }

    @Test
    void listsAndCountsEveryPageOfManyRecords() {
        try (DynamoDbLedger paged = DynamoDbLedger.open(client, dynalite.settings(table), clock, 7)) {
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < 230; i++) {
                ids.add(paged.recordOutbound("outbound/" + i + ".csv", i, MODIFIED).id());
                paged.recordInbound("X26ABC1", "MSG-" + i);
            }
            paged.updateInbound(paged.findInbound("X26ABC1", "MSG-5").orElseThrow().withState(InboundState.STORED));

            assertThat(paged.outbound(OutboundState.QUEUED)).extracting(OutboundRecord::id)
                    .containsExactlyElementsOf(ids);
            assertThat(paged.countOutbound()).containsEntry(OutboundState.QUEUED, 230L);
            assertThat(paged.inbound(InboundState.LISTED)).hasSize(229);
            assertThat(paged.countInbound()).containsEntry(InboundState.LISTED, 229L)
                    .containsEntry(InboundState.STORED, 1L);
            assertThat(paged.inboundToFinish("X26ABC1")).extracting(InboundRecord::messageId)
                    .containsExactly("MSG-5");
        }
    }

    @Test
    void finishedRecordsExpireAfterTheRetentionAndOthersStay() {
        OutboundRecord acknowledged = ledger.updateOutbound(ledger.recordOutbound("outbound/a.csv", 1, MODIFIED)
                .tracked(OutboundState.ACKNOWLEDGED, "acknowledged", null));
        OutboundRecord failed = ledger.updateOutbound(ledger.recordOutbound("outbound/f.csv", 1, MODIFIED)
                .failed("no route", false));
        OutboundRecord accepted = ledger.updateOutbound(ledger.recordOutbound("outbound/s.csv", 1, MODIFIED)
                .accepted("MSG", clock.instant()));
        ledger.updateInbound(ledger.recordInbound("X26ABC1", "DONE").withState(InboundState.ACKNOWLEDGED)
                .withEventEmitted());
        ledger.updateInbound(ledger.recordInbound("X26ABC1", "OWED").withState(InboundState.ACKNOWLEDGED));
        long expected = START.plus(Duration.ofDays(DynamoDbSettings.DEFAULT_RETENTION_DAYS)).getEpochSecond();

        assertThat(expiresAt(LedgerItems.outboundKey(acknowledged.id()))).isEqualTo(expected);
        assertThat(expiresAt(LedgerItems.versionKey("outbound/a.csv", 1, MODIFIED))).isEqualTo(expected);
        assertThat(expiresAt(LedgerItems.inboundKey("X26ABC1", "DONE"))).isEqualTo(expected);
        assertThat(expiresAt(LedgerItems.outboundKey(failed.id()))).as("a failed file waits for a person").isNull();
        assertThat(expiresAt(LedgerItems.outboundKey(accepted.id()))).isNull();
        assertThat(expiresAt(LedgerItems.inboundKey("X26ABC1", "OWED"))).as("its event is owed").isNull();

        ledger.updateOutbound(acknowledged.withState(OutboundState.QUEUED));
        assertThat(expiresAt(LedgerItems.outboundKey(acknowledged.id()))).as("sent again: kept again").isNull();
    }

    @Test
    void aRecordWhoseNodeDiedBeforeWritingItIsRecordedByTheNextCall() {
        // A node put the version item, then died before putting the record: the version's id is taken up.
        String versionKey = LedgerItems.versionKey("outbound/orphan.csv", 3, MODIFIED);
        client.putItem(request -> request.tableName(table).item(Map.of("pk", AttributeValue.fromS(versionKey),
                "id", AttributeValue.fromN("4242"))));

        OutboundRecord record = ledger.recordOutbound("outbound/orphan.csv", 3, MODIFIED);

        assertThat(record.id()).isEqualTo(4242);
        assertThat(record.state()).isEqualTo(OutboundState.QUEUED);
        assertThat(ledger.outbound(OutboundState.QUEUED)).containsExactly(record);
    }

    @Test
    void aSecondOwnerCannotClaimUntilTheFirstOwnersLeaseExpiresByTheLedgersClock() {
        long id = ledger.recordOutbound("outbound/x.csv", 7, MODIFIED).id();
        OutboundClaim first = ledger.claimOutbound(id, "node-a", MINUTE).orElseThrow();

        assertThat(ledger.claimOutbound(id, "node-b", MINUTE)).isEmpty();
        clock.advance(Duration.ofSeconds(59));
        assertThat(ledger.renewOutbound(first, MINUTE)).isTrue();
        clock.advance(Duration.ofSeconds(59));
        assertThat(ledger.claimOutbound(id, "node-b", MINUTE)).as("renewed").isEmpty();
        clock.advance(Duration.ofSeconds(2));

        OutboundClaim second = ledger.claimOutbound(id, "node-b", MINUTE).orElseThrow();
        assertThat(second.generation()).isEqualTo(first.generation() + 1);
        assertThat(ledger.claimOutbound(id, "node-a", MINUTE)).isEmpty();
    }

    @Test
    void twoNodesClaimingAtOnceGetDisjointRecords() throws Exception {
        List<Long> all = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            all.add(ledger.recordOutbound("outbound/" + i + ".csv", 1, MODIFIED).id());
        }
        try (DynamoDbLedger other = openAnotherLedger(clock)) {
            List<List<Long>> claimed = concurrently(2, () -> {
                var node = Thread.currentThread().getName();
                var either = node.hashCode() % 2 == 0 ? ledger : other;
                List<Long> mine = new ArrayList<>();
                for (long id : all) {
                    either.claimOutbound(id, node, MINUTE).ifPresent(claim -> mine.add(id));
                }
                return mine;
            });

            List<Long> both = new ArrayList<>(claimed.get(0));
            both.addAll(claimed.get(1));
            // Each record once: a record both nodes claimed would appear twice.
            assertThat(both).containsExactlyInAnyOrderElementsOf(all);
        }
    }

    private Long expiresAt(String key) {
        Map<String, AttributeValue> item = client.getItem(request -> request.tableName(table)
                .key(Map.of("pk", AttributeValue.fromS(key))).consistentRead(true)).item();
        assertThat(item).as("item " + key).isNotEmpty();
        AttributeValue value = item.get("expires_at");
        return value == null ? null : Long.valueOf(value.n());
    }
}
