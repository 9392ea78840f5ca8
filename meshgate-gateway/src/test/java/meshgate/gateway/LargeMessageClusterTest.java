package meshgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import meshgate.client.MeshClient;
import meshgate.gateway.CrashSafetyTest.GatewayProcess;
import meshgate.gateway.store.ObjectInfo;
import meshgate.gateway.store.ObjectWriter;
import meshgate.gateway.store.S3ObjectStore;
import meshgate.gateway.store.S3TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 1 GiB message goes S3 → MESH → S3 through a gateway node whose JVM has 128 MiB of heap: content is streamed
 * chunk by chunk and part by part, never held whole.
 */
class LargeMessageClusterTest {
    private static final long SIZE = 1024L * 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void oneGibibyteGoesFromS3ThroughMeshBackToS3WithA128MebibyteHeap() throws Exception {
        try (ClusterFixture cluster = new ClusterFixture(dir, S3TestServer.startOnDisk(
                Files.createDirectories(dir.resolve("s3-data"))))) {
            String bucket = cluster.s3.createBucket();
            String jdbcUrl = cluster.postgres.newDatabase();
            String sentDigest;
            try (S3ObjectStore store = cluster.s3.storeBuilder(bucket).build();
                    ObjectWriter writer = store.create("outbound/large.dat",
                            Map.of("mex-from", "X26ABC1", "mex-to", "X26ABC2", "mex-workflowid", "TEST_WORKFLOW",
                                    "mex-localid", "large-1"))) {
                sentDigest = generate(writer.stream());
                writer.commit();
            }

            Path config = cluster.writeConfig("small-heap", bucket, jdbcUrl, "chunk_size: 19MiB\n");
            GatewayProcess node = GatewayProcess.start(config, "128m");
            try (S3ObjectStore store = cluster.s3.storeBuilder(bucket).build();
                    MeshClient sender = cluster.client("X26ABC1")) {
                String log = node.awaitLine(line -> line.contains("inbound_acknowledged"));
                assertThat(log).doesNotContain("OutOfMemoryError");
                List<ObjectInfo> stored = store.list("inbound/X26ABC2/");
                assertThat(stored).hasSize(1);
                assertThat(stored.get(0).size()).isEqualTo(SIZE);
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                try (InputStream in = store.content(stored.get(0).key()).open(0)) {
                    byte[] buffer = new byte[1 << 20];
                    for (int read; (read = in.read(buffer)) >= 0; ) {
                        digest.update(buffer, 0, read);
                    }
                }
                assertThat(HexFormat.of().formatHex(digest.digest())).isEqualTo(sentDigest);
                // Archiving copies the whole object within the bucket: progress is what outbound/ and sent/ hold.
                Progress.await("the object archived", Duration.ofMinutes(2), () -> keys(store, "outbound/", "sent/"),
                        () -> keys(store, "outbound/").isEmpty());
            } finally {
                node.stop();
            }
        }
    }

    private static List<String> keys(S3ObjectStore store, String... prefixes) {
        List<String> keys = new java.util.ArrayList<>();
        try {
            for (String prefix : prefixes) {
                store.list(prefix).forEach(object -> keys.add(object.key()));
            }
        } catch (Exception e) {
            keys.add("unlisted: " + e);
        }
        return keys;
    }

    /** Writes SIZE incompressible bytes, returning their SHA-256. */
    private static String generate(OutputStream target) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        SplittableRandom random = new SplittableRandom(1024);
        byte[] block = new byte[1 << 20];
        try (OutputStream out = new DigestOutputStream(target, digest) {
            @Override
            public void close() {
                // the writer is committed, not closed, by the caller
            }
        }) {
            for (long written = 0; written < SIZE; written += block.length) {
                for (int i = 0; i < block.length; i += 8) {
                    long value = random.nextLong();
                    for (int b = 0; b < 8; b++) {
                        block[i + b] = (byte) (value >>> (8 * b));
                    }
                }
                out.write(block);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
