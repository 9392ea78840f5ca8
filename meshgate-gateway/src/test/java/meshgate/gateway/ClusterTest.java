package meshgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import meshgate.client.MeshClient;
import meshgate.client.OutboundMessage;
import meshgate.gateway.ledger.InboundState;
import meshgate.gateway.store.ObjectInfo;
import meshgate.gateway.store.ObjectWriter;
import meshgate.gateway.store.S3ObjectStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three gateway nodes share one S3 bucket (S3Proxy) and one PostgreSQL ledger (embedded), in front of the sandbox:
 * every outbound object is sent once, every inbound message is stored once and acknowledged once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterTest {
    /** Objects sent, and messages received, each way. */
    int messages() {
        return 2000;
    }

    @TempDir
    static Path dir;
    ClusterFixture cluster;

    /** The nodes' shared infrastructure; a subclass may give them another ledger. */
    ClusterFixture newFixture(Path dir) throws Exception {
        return new ClusterFixture(dir);
    }

    @BeforeAll
    void start() throws Exception {
        cluster = newFixture(dir);
    }

    @AfterAll
    void stop() throws Exception {
        cluster.close();
    }

    @Test
    void threeNodesSendEachObjectOnceAndStoreAndAcknowledgeEachMessageOnce() throws Exception {
        int objects = messages();
        int inbound = messages();
        String bucket = cluster.s3.createBucket();
        String jdbcUrl = cluster.newLedger();
        Map<String, String> outboundContent = new HashMap<>();
        try (S3ObjectStore store = cluster.s3.storeBuilder(bucket).build()) {
            for (int i = 0; i < objects; i++) {
                String localId = "cluster-out-" + i;
                String content = "outbound " + i;
                outboundContent.put(localId, content);
                try (ObjectWriter writer = store.create("outbound/batch/" + localId + ".txt",
                        Map.of("mex-from", "X26ABC1", "mex-to", "X26ABC3", "mex-workflowid", "TEST_WORKFLOW2",
                                "mex-localid", localId))) {
                    writer.stream().write(content.getBytes(StandardCharsets.UTF_8));
                    writer.commit();
                }
            }
        }
        Map<String, String> inboundContent = new HashMap<>();
        try (MeshClient sender = cluster.client("X26ABC3")) {
            for (int i = 0; i < inbound; i++) {
                String localId = "cluster-in-" + i;
                byte[] content = ("inbound " + i).getBytes(StandardCharsets.UTF_8);
                inboundContent.put(localId, "inbound " + i);
                sender.send(OutboundMessage.to("X26ABC2", "TEST_WORKFLOW_ACK").localId(localId).build(),
                        new ByteArrayInputStream(content), content.length);
            }
        }

        List<Gateway> nodes = cluster.startNodes(bucket, jdbcUrl, 1, 3);
        try {
            Progress.await("every inbound message acknowledged", Duration.ofSeconds(60),
                    () -> nodes.get(0).ledger().inbound(InboundState.ACKNOWLEDGED).size(),
                    () -> nodes.get(0).ledger().inbound(InboundState.ACKNOWLEDGED).size() >= inbound);
            try (MeshClient recipient = cluster.client("X26ABC3")) {
                Progress.await("every outbound object sent", Duration.ofSeconds(60), recipient::inboxCount,
                        () -> recipient.inboxCount() >= objects);
            }

            // Sent once: the recipient has exactly one message per object, with its content.
            try (MeshClient recipient = cluster.client("X26ABC3")) {
                List<String> ids = recipient.inbox();
                assertThat(ids).hasSize(objects);
                Map<String, Integer> copies = new HashMap<>();
                for (String id : ids) {
                    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                    String localId = recipient.download(id, out, true).localId().orElseThrow();
                    copies.merge(localId, 1, Integer::sum);
                    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(outboundContent.get(localId));
                }
                assertThat(copies).hasSize(objects).allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
            }
            // Stored once and acknowledged once: one object per message in the bucket, nothing left in the inbox.
            try (S3ObjectStore store = cluster.s3.storeBuilder(bucket).build(); MeshClient recipient = cluster.client("X26ABC2")) {
                List<ObjectInfo> stored = store.list("inbound/X26ABC2/");
                assertThat(stored).hasSize(inbound);
                Map<String, Integer> copies = new HashMap<>();
                for (ObjectInfo object : stored) {
                    copies.merge(store.decodedMetadata(object.key()).get("mex-localid"), 1, Integer::sum);
                }
                assertThat(copies).hasSize(inbound).allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
                assertThat(recipient.inbox()).isEmpty();
                assertThat(store.list("outbound/")).isEmpty();
            }
            assertThat(nodes.get(0).ledger().inbound(InboundState.ACKNOWLEDGED)).hasSize(inbound);
        } finally {
            nodes.forEach(Gateway::close);
        }
    }
}
