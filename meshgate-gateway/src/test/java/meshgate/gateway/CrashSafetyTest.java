package meshgate.gateway;

import static meshgate.gateway.GatewayFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import meshgate.client.DeliveryStatus;
import meshgate.client.MeshClient;
import meshgate.client.MeshTls;
import meshgate.client.MessageMetadata;
import meshgate.client.OutboundMessage;
import meshgate.client.SendResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway process is killed (SIGKILL) in the middle of a multi-chunk send and of a multi-chunk download, then
 * started again: every message ends delivered once, stored once, acknowledged once, with no partial file visible.
 */
class CrashSafetyTest {
    private static final int CHUNKS = 6;

    @TempDir
    static Path dir;
    static GatewayFixture fixture;

    @BeforeAll
    static void start() {
        fixture = GatewayFixture.start(dir);
        // Slow requests down so that a kill lands between chunks.
        fixture.sandbox.faults().latency(Duration.ofMillis(250));
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Test
    void resumesTheSameMessageAfterBeingKilledMidSend() throws Exception {
        byte[] content = random(CHUNKS * 5_242_881L - 1000);
        Path config = fixture.writeConfig("X26ABC1", "never_compress: true");
        fixture.drop("X26ABC1", "big.dat", content, "{\"mex-from\": \"X26ABC1\", \"mex-to\": \"X26ABC2\", "
                + "\"mex-workflowid\": \"TEST_WORKFLOW\", \"mex-localid\": \"crash-send-1\"}");

        GatewayProcess first = GatewayProcess.start(config);
        first.awaitLine(line -> line.contains("outbound_chunk") && line.contains("chunk=2/" + CHUNKS));
        first.kill();

        GatewayProcess second = GatewayProcess.start(config);
        String log = second.awaitLine(line -> line.contains("outbound_accepted") && line.contains("big.dat"));
        second.stop();
        assertThat(log).as("resumed after chunk 2, not started again").doesNotContain("chunk=1/" + CHUNKS)
                .doesNotContain("chunk=2/" + CHUNKS).contains("chunk=" + CHUNKS + "/" + CHUNKS);

        try (MeshClient recipient = client("X26ABC2")) {
            List<String> copies = recipient.inbox().stream()
                    .filter(id -> recipient.headers(id).localId().orElse("").equals("crash-send-1")).toList();
            assertThat(copies).as("exactly one message").hasSize(1);
            Path received = dir.resolve("received-big.dat");
            recipient.download(copies.get(0), received, true);
            assertThat(sha256(Files.readAllBytes(received))).isEqualTo(sha256(content));
            recipient.acknowledge(copies.get(0));
        }
        assertThat(Files.exists(fixture.root("X26ABC1").resolve("outbound/big.dat"))).isFalse();
    }

    @Test
    void storesOnceAndAcknowledgesOnceAfterBeingKilledMidDownload() throws Exception {
        byte[] content = random(CHUNKS * 5_242_881L - 7);
        SendResult sent;
        try (MeshClient sender = client("X26ABC1", 5_242_881)) {
            sent = sender.send(OutboundMessage.to("X26ABC3", "TEST_WORKFLOW2").localId("crash-receive-1").build(),
                    content);
        }
        Path config = fixture.writeConfig("X26ABC3", "");
        Path inbound = fixture.root("X26ABC3").resolve("inbound/X26ABC3");

        GatewayProcess first = GatewayProcess.start(config);
        // Killed once chunk 2 of 6 has arrived, well before the last chunk and the commit.
        first.awaitLine(line -> line.contains("mesh_download_chunk") && line.contains(sent.messageId())
                && line.contains("chunk=2/" + CHUNKS));
        first.kill();
        assertThat(files(inbound)).as("a download was in progress").isNotEmpty();
        assertThat(files(inbound)).as("no partial file visible under a final name")
                .allMatch(p -> p.getFileName().toString().startsWith("."));
        try (MeshClient sender = client("X26ABC1")) {
            assertThat(sender.track(sent.messageId()).status()).as("not acknowledged before stored")
                    .isEqualTo(DeliveryStatus.ACCEPTED);
        }

        GatewayProcess second = GatewayProcess.start(config);
        second.awaitLine(line -> line.contains("inbound_acknowledged") && line.contains(sent.messageId()));
        second.stop();

        List<Path> visible = files(inbound).stream().filter(p -> !p.getFileName().toString().startsWith("."))
                .filter(p -> !p.getFileName().toString().endsWith(".meta.json")).toList();
        assertThat(visible).extracting(p -> p.getFileName().toString()).containsExactly(sent.messageId() + ".dat");
        assertThat(sha256(Files.readAllBytes(visible.get(0)))).isEqualTo(sha256(content));
        try (MeshClient sender = client("X26ABC1"); MeshClient recipient = client("X26ABC3")) {
            assertThat(sender.track(sent.messageId()).status()).isEqualTo(DeliveryStatus.ACKNOWLEDGED);
            assertThat(recipient.inbox()).doesNotContain(sent.messageId());
        }
    }

    private static MeshClient client(String mailbox) {
        return client(mailbox, MeshClient.DEFAULT_CHUNK_SIZE);
    }

    private static MeshClient client(String mailbox, int chunkSize) {
        return MeshClient.builder().chunkSize(chunkSize).baseUrl(URI.create(fixture.sandbox.baseUrl()))
                .credentials(mailbox, "password", "TestKey")
                .tls(MeshTls.fromPem(fixture.certificates.clientCertificate(mailbox),
                        fixture.certificates.clientKey(mailbox), GatewayFixture.PASSPHRASE.toCharArray(),
                        fixture.certificates.caBundle()))
                .build();
    }

    private static List<Path> files(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(folder)) {
            return list.toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static byte[] random(long size) {
        byte[] bytes = new byte[(int) size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** The gateway in a JVM of its own, so that it can be killed like a real process. */
    static final class GatewayProcess {
        /** How long the gateway may log nothing while a test waits for a line. */
        static final Duration QUIET_LIMIT = Duration.ofSeconds(90);

        private final Process process;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        private GatewayProcess(Process process) {
            this.process = process;
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        lines.add(line);
                    }
                } catch (IOException ignored) {
                    // the process was killed
                }
            }, "gateway-output");
            reader.setDaemon(true);
            reader.start();
        }

        static GatewayProcess start(Path config) throws IOException {
            return start(config, "256m");
        }

        static GatewayProcess start(Path config, String maxHeap) throws IOException {
            ProcessBuilder builder = new ProcessBuilder(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + maxHeap,
                    // The client's progress lines (chunk by chunk) are what a test times a kill by.
                    "-Dorg.slf4j.simpleLogger.log.meshgate.client=info",
                    "-cp", System.getProperty("java.class.path"), GatewayMain.class.getName(), config.toString())
                    .redirectErrorStream(true);
            builder.environment().putAll(GatewayFixture.environment());
            return new GatewayProcess(builder.start());
        }

        /**
         * Waits for a line the gateway logs; returns everything it logged up to and including it. Fails only when
         * the gateway logs nothing for {@link #QUIET_LIMIT} (it logs every chunk each way and every step of a
         * message, so a large transfer on a slow machine keeps the wait alive), or when it ends.
         */
        String awaitLine(java.util.function.Predicate<String> wanted) throws InterruptedException {
            StringBuilder seen = new StringBuilder();
            java.util.concurrent.atomic.AtomicBoolean found = new java.util.concurrent.atomic.AtomicBoolean();
            try {
                Progress.await("the awaited line", QUIET_LIMIT, seen::length, () -> {
                    for (String line; !found.get() && (line = lines.poll()) != null; ) {
                        seen.append(line).append('\n');
                        found.set(wanted.test(line));
                    }
                    if (!found.get() && !process.isAlive() && lines.isEmpty()) {
                        throw new AssertionError("the gateway ended");
                    }
                    return found.get();
                });
            } catch (AssertionError e) {
                process.destroyForcibly();
                throw new AssertionError("the gateway never logged the awaited line (" + e.getMessage()
                        + "); it logged:\n" + seen, e);
            }
            return seen.toString();
        }

        /** SIGKILL: no shutdown hook runs. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }

        /** SIGTERM: the gateway stops gracefully. */
        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
