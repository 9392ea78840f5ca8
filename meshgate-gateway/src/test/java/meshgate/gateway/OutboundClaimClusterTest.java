package meshgate.gateway;

import static meshgate.gateway.GatewayFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import meshgate.client.MeshClient;
import meshgate.gateway.config.GatewayConfig;
import meshgate.gateway.config.GatewayConfigLoader;
import meshgate.gateway.ledger.Ledger;
import meshgate.gateway.ledger.OutboundRecord;
import meshgate.gateway.ledger.OutboundState;
import meshgate.gateway.ledger.PostgresLedger;
import meshgate.gateway.ledger.TestPostgres;
import meshgate.gateway.metrics.MeshGateMetrics;
import meshgate.gateway.ops.MailboxHealth;
import meshgate.gateway.outbound.LeaseKeeper;
import meshgate.gateway.outbound.OutboundProcessor;
import meshgate.gateway.store.ObjectInfo;
import meshgate.gateway.store.ObjectWriter;
import meshgate.gateway.store.S3ObjectStore;
import meshgate.sandbox.fault.RequestHold;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gateway nodes that share one PostgreSQL ledger, one bucket and one MESH mailbox, and whose claims on an outbound
 * object meet: a MESH call that outlives the lease, and a node that loses its claim in the middle of a send. The
 * recipient gets the message once, whole.
 */
class OutboundClaimClusterTest {
    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final int CHUNK = 5_242_881;
    private static final List<LeaseKeeper> KEEPERS = new java.util.concurrent.CopyOnWriteArrayList<>();

    @TempDir
    static Path dir;
    static ClusterFixture cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = new ClusterFixture(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        KEEPERS.forEach(LeaseKeeper::close);
        cluster.close();
    }

    @Test
    void aSendHeldBeyondItsLeaseIsSentOnceWhileAnotherNodeTriesToTakeItOver() throws Exception {
        String bucket = cluster.s3.createBucket();
        String jdbcUrl = cluster.postgres.newDatabase();
        byte[] content = "nhs,number\n9000000009,1\n".getBytes(StandardCharsets.UTF_8);
        try (S3ObjectStore store = cluster.s3.storeBuilder(bucket).build();
                var poolA = cluster.postgres.pool(jdbcUrl, 4);
                var poolB = cluster.postgres.pool(jdbcUrl, 4);
                Ledger ledgerA = PostgresLedger.open(poolA, Clock.systemUTC());
                Ledger ledgerB = PostgresLedger.open(poolB, Clock.systemUTC());
                MeshClient clientA = cluster.client("X26ABC1");
                MeshClient clientB = cluster.client("X26ABC1");
                MeshClient recipient = cluster.client("X26ABC2")) {
            try (ObjectWriter writer = store.create("outbound/stalled.csv",
                    Map.of("mex-from", "X26ABC1", "mex-to", "X26ABC2", "mex-workflowid", "TEST_WORKFLOW"))) {
                writer.stream().write(content);
                writer.commit();
            }
            OutboundProcessor nodeA = node("node-a", bucket, jdbcUrl, store, ledgerA, clientA);
            OutboundProcessor nodeB = node("node-b", bucket, jdbcUrl, store, ledgerB, clientB);
            ObjectInfo object = store.stat("outbound/stalled.csv").orElseThrow();

            RequestHold hold = cluster.mesh.sandbox.faults().holdNext("POST", "/messageexchange/X26ABC1/outbox",
                    Duration.ofMinutes(2));
            CompletableFuture<OutboundRecord> sendA = CompletableFuture.supplyAsync(() -> process(nodeA, object));
            eventually(Duration.ofSeconds(60), "node A's first chunk held by MESH", hold::arrived);
            Instant heldSince = Instant.now();
            // Node B tries as its rescans would, until A's lease would have run out twice over without renewal.
            eventually(Duration.ofSeconds(60), "node B's tries past node A's lease", () -> {
                OutboundRecord seenByB = process(nodeB, object);
                return seenByB.state() == OutboundState.ACCEPTED
                        || Instant.now().isAfter(heldSince.plus(LEASE.multipliedBy(2)));
            });
            hold.release();
            sendA.get(60, TimeUnit.SECONDS);

            OutboundRecord record = ledgerA.findOutbound(ledgerA.recordOutbound(object.key(), object.size(),
                    object.lastModified()).id()).orElseThrow();
            assertThat(record.state()).isEqualTo(OutboundState.ACCEPTED);
            assertThat(record.localId()).isNotBlank();
            List<String> copies = recipient.inbox().stream()
                    .filter(id -> recipient.headers(id).localId().orElse("").equals(record.localId())).toList();
            assertThat(copies).as("one message, not two").hasSize(1);
            assertThat(copies.get(0)).isEqualTo(record.meshMessageId());
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            recipient.download(copies.get(0), received, true);
            assertThat(received.toByteArray()).isEqualTo(content);
            assertThat(store.list("outbound/")).isEmpty();
        }
    }

    @Test
    void aNodeThatLostItsClaimStopsBeforeItsNextCallAndTheNewHolderFinishes() throws Exception {
        String bucket = cluster.s3.createBucket();
        String jdbcUrl = cluster.postgres.newDatabase();
        byte[] content = new byte[3 * CHUNK - 1000];
        new java.util.Random(7).nextBytes(content);
        try (S3ObjectStore store = cluster.s3.storeBuilder(bucket).build();
                var poolA = cluster.postgres.pool(jdbcUrl, 4);
                var poolB = cluster.postgres.pool(jdbcUrl, 4);
                Ledger ledgerA = PostgresLedger.open(poolA, Clock.systemUTC());
                Ledger ledgerB = PostgresLedger.open(poolB, Clock.systemUTC());
                MeshClient clientA = cluster.clientBuilder("X26ABC1").chunkSize(CHUNK).build();
                MeshClient clientB = cluster.clientBuilder("X26ABC1").chunkSize(CHUNK).build();
                MeshClient recipient = cluster.client("X26ABC2")) {
            try (ObjectWriter writer = store.create("outbound/three-chunks.dat",
                    Map.of("mex-from", "X26ABC1", "mex-to", "X26ABC2", "mex-workflowid", "TEST_WORKFLOW",
                            "mex-localid", "claim-lost-mid-send"))) {
                writer.stream().write(content);
                writer.commit();
            }
            // The same node name twice: node A's process hangs, and the node is restarted beside it.
            OutboundProcessor stale = node("node-a", bucket, jdbcUrl, store, ledgerA, clientA);
            OutboundProcessor restarted = node("node-a", bucket, jdbcUrl, store, ledgerB, clientB);
            ObjectInfo object = store.stat("outbound/three-chunks.dat").orElseThrow();
            String chunkTwo = "/messageexchange/X26ABC1/outbox/[^/]+/2";

            RequestHold staleChunk = cluster.mesh.sandbox.faults().holdNext("POST", chunkTwo, Duration.ofMinutes(2));
            CompletableFuture<OutboundRecord> sendA = CompletableFuture.supplyAsync(() -> process(stale, object));
            eventually(Duration.ofSeconds(60), "the stale node's chunk 2 held by MESH", staleChunk::arrived);
            RequestHold newChunk = cluster.mesh.sandbox.faults().holdNext("POST", chunkTwo, Duration.ofMinutes(2));
            CompletableFuture<OutboundRecord> sendB = CompletableFuture.supplyAsync(() -> process(restarted,
                    object));
            eventually(Duration.ofSeconds(60), "the restarted node's chunk 2 held by MESH", newChunk::arrived);

            staleChunk.release();
            OutboundRecord seenByA = sendA.get(60, TimeUnit.SECONDS);
            assertThat(seenByA.state()).isEqualTo(OutboundState.SENDING);
            assertThat(recipient.inbox()).as("the stale node did not go on to the last chunk").isEmpty();
            newChunk.release();
            OutboundRecord done = sendB.get(60, TimeUnit.SECONDS);

            assertThat(done.state()).isEqualTo(OutboundState.ACCEPTED);
            List<String> copies = recipient.inbox().stream()
                    .filter(id -> recipient.headers(id).localId().orElse("").equals("claim-lost-mid-send")).toList();
            assertThat(copies).containsExactly(done.meshMessageId());
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            recipient.download(copies.get(0), received, true);
            assertThat(received.toByteArray()).isEqualTo(content);
            assertThat(store.list("outbound/")).isEmpty();
            assertThat(store.list("failed/")).isEmpty();
            assertThat(store.stat(done.sentKey())).isPresent();
        }
    }

    private static OutboundProcessor node(String node, String bucket, String jdbcUrl, S3ObjectStore store,
            Ledger ledger, MeshClient client) throws Exception {
        GatewayConfig config = GatewayConfigLoader.load(cluster.writeConfig(node, bucket, jdbcUrl,
                "outbound_lease: 3s\n"), GatewayFixture.environment());
        // No call budget: the held call stands for one slower than any budget, which the heartbeat must cover.
        LeaseKeeper leases = new LeaseKeeper(ledger, node, LEASE, Duration.ZERO);
        KEEPERS.add(leases);
        MeshGateMetrics metrics = new MeshGateMetrics();
        return new OutboundProcessor(store, ledger, Map.of("X26ABC1", client), config, Clock.systemUTC(), leases,
                metrics, new MailboxHealth(Map.of("X26ABC1", client), Clock.systemUTC(), metrics,
                        ledger));
    }

    private static OutboundRecord process(OutboundProcessor processor, ObjectInfo object) {
        try {
            return processor.process(object);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
