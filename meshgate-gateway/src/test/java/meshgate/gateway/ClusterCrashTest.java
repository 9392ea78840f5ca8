package meshgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import meshgate.client.DeliveryStatus;
import meshgate.client.MeshClient;
import meshgate.client.OutboundMessage;
import meshgate.client.SendResult;
import meshgate.gateway.CrashSafetyTest.GatewayProcess;
import meshgate.gateway.ledger.InboundState;
import meshgate.gateway.ledger.OutboundState;
import meshgate.gateway.store.ObjectInfo;
import meshgate.gateway.store.ObjectWriter;
import meshgate.gateway.store.S3ObjectStore;
import meshgate.gateway.store.S3TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway node is killed (SIGKILL) in the middle of a multi-chunk send and of a multi-chunk download; the other
 * nodes finish its work once its claims have run out, with nothing lost and nothing twice.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterCrashTest {
    private static final int CHUNKS = 6;

    @TempDir
    static Path dir;
    ClusterFixture cluster;

    /** The nodes' shared infrastructure; a subclass may give them another ledger. */
    ClusterFixture newFixture(Path dir) throws Exception {
        return new ClusterFixture(dir, S3TestServer.startOnDisk(java.nio.file.Files.createDirectories(
                dir.resolve("s3-data"))));
    }

    @BeforeAll
    void start() throws Exception {
        cluster = newFixture(dir);
        // Slow requests down so that a kill lands between chunks.
        cluster.mesh.sandbox.faults().latency(Duration.ofMillis(200));
    }

    @AfterAll
    void stop() throws Exception {
        cluster.close();
    }

    @Test
    void otherNodesFinishTheWorkOfANodeKilledMidSendAndMidDownload() throws Exception {
        String bucket = cluster.s3.createBucket();
        String jdbcUrl = cluster.newLedger();
        byte[] outbound = random(CHUNKS * 5_242_881L - 100);
        try (S3ObjectStore store = cluster.s3.storeBuilder(bucket).build();
                ObjectWriter writer = store.create("outbound/big.dat",
                        Map.of("mex-from", "X26ABC1", "mex-to", "X26ABC3", "mex-workflowid", "TEST_WORKFLOW2",
                                "mex-localid", "cluster-crash-send"))) {
            writer.stream().write(outbound);
            writer.commit();
        }

        Path config = cluster.writeConfig("doomed", bucket, jdbcUrl, "never_compress: true\n");
        GatewayProcess doomed = GatewayProcess.start(config);
        doomed.awaitLine(line -> line.contains("outbound_chunk") && line.contains("chunk=2/" + CHUNKS));
        doomed.kill();

        List<Gateway> survivors = cluster.startNodes(bucket, jdbcUrl, 1, 2);
        try {
            // The killed node's claim runs out first (outbound_lease), with no progress to see meanwhile.
            Progress.await("the object sent by a surviving node", Duration.ofSeconds(150),
                    () -> sends(survivors.get(0)), () -> {
                        try (S3ObjectStore store = cluster.s3.storeBuilder(bucket).build()) {
                            return store.list("outbound/").isEmpty();
                        } catch (Exception e) {
                            return false;
                        }
                    });
        } finally {
            survivors.forEach(Gateway::close);
        }
        try (MeshClient recipient = cluster.client("X26ABC3")) {
            List<String> copies = recipient.inbox().stream()
                    .filter(id -> recipient.headers(id).localId().orElse("").equals("cluster-crash-send")).toList();
            assertThat(copies).as("one message, not two").hasSize(1);
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            recipient.download(copies.get(0), received, true);
            assertThat(received.toByteArray()).isEqualTo(outbound);
            recipient.acknowledge(copies.get(0));
        }

        byte[] inbound = random(CHUNKS * 5_242_881L - 7);
        SendResult sent;
        try (MeshClient sender = cluster.clientBuilder("X26ABC3").chunkSize(5_242_881).build()) {
            sent = sender.send(OutboundMessage.to("X26ABC2", "TEST_WORKFLOW_ACK").localId("cluster-crash-receive")
                    .build(), inbound);
        }
        // Slower still, so that the kill lands well before the last chunk.
        cluster.mesh.sandbox.faults().latency(Duration.ofSeconds(1));
        GatewayProcess doomedAgain = GatewayProcess.start(config);
        try (S3ObjectStore store = cluster.s3.storeBuilder(bucket).build()) {
            // Killed once chunk 2 of 6 has arrived: four seconds at least before the last chunk and the commit.
            doomedAgain.awaitLine(line -> line.contains("mesh_download_chunk") && line.contains(sent.messageId())
                    && line.contains("chunk=2/" + CHUNKS));
            doomedAgain.kill();
            assertThat(store.list("inbound/X26ABC2/")).as("nothing visible under a final key").isEmpty();
        }
        cluster.mesh.sandbox.faults().latency(Duration.ofMillis(200));
        List<Gateway> others = cluster.startNodes(bucket, jdbcUrl, 3, 2);
        try (MeshClient sender = cluster.client("X26ABC3")) {
            Progress.await("the message stored and acknowledged by a surviving node", Duration.ofSeconds(90),
                    () -> others.get(0).ledger().inbound(InboundState.values()).stream()
                            .map(r -> r.messageId() + "=" + r.state() + "/" + r.attempts()).toList(),
                    () -> sender.track(sent.messageId()).status() == DeliveryStatus.ACKNOWLEDGED);
        } finally {
            others.forEach(Gateway::close);
        }
        try (S3ObjectStore store = cluster.s3.storeBuilder(bucket).build()) {
            List<ObjectInfo> stored = store.list("inbound/X26ABC2/");
            assertThat(stored).extracting(ObjectInfo::key).containsExactly("inbound/X26ABC2/" + sent.messageId()
                    + ".dat");
            try (InputStream in = store.content(stored.get(0).key()).open(0)) {
                assertThat(in.readAllBytes()).isEqualTo(inbound);
            }
        }
    }

    /** The progress of sends in the shared ledger: each record's state and chunks accepted. */
    private static List<String> sends(Gateway node) {
        return node.ledger().outbound(OutboundState.values()).stream()
                .map(r -> r.objectKey() + "=" + r.state() + "/" + r.chunksAccepted()).toList();
    }

    private static byte[] random(long size) {
        byte[] bytes = new byte[(int) size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }
}
