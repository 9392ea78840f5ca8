package meshgate.gateway;

import static meshgate.gateway.GatewayFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import meshgate.client.MeshClient;
import meshgate.client.MeshTls;
import meshgate.client.OutboundMessage;
import meshgate.client.SendResult;
import meshgate.gateway.ledger.InboundState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gzip-encoded message is decoded only up to {@code max_decoded_size}: a small gzip bomb must not fill the store.
 * A message over the bound is kept as received, with the reason, acknowledged and counted.
 */
class GzipBombTest {
    private static final long ZEROS = 50L * 1024 * 1024;

    @TempDir
    static Path dir;
    static GatewayFixture fixture;
    static Gateway recipient;

    @BeforeAll
    static void start() throws Exception {
        fixture = GatewayFixture.start(dir);
        recipient = fixture.gateway("X26ABC2", "max_decoded_size: 1MiB");
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Test
    void aGzipBombIsStoredAsReceivedAcknowledgedAndCounted() throws Exception {
        byte[] bomb = gzippedZeros(ZEROS);
        SendResult sent = sendGzipEncoded("bomb-1", bomb);

        Path stored = GatewayExchangeTestSupport.awaitInbound(fixture, recipient, "X26ABC2", "bomb-1");
        eventually(Duration.ofSeconds(30), "acknowledged", () -> recipient.ledger()
                .findInbound("X26ABC2", sent.messageId())
                .map(r -> r.state() == InboundState.ACKNOWLEDGED).orElse(false));

        assertThat(Files.size(stored)).as("kept as received, still gzip").isEqualTo(bomb.length);
        assertThat(Files.readAllBytes(stored)).isEqualTo(bomb);
        Map<String, String> metadata = recipient.store().metadata(
                fixture.root("X26ABC2").relativize(stored).toString());
        assertThat(metadata).containsEntry("content-encoding", "gzip");
        assertThat(metadata.get("meshgate-not-decoded")).contains("max_decoded_size").contains("1048576");
        assertThat(bytesUnder(fixture.root("X26ABC2").resolve("inbound"))).as("the store holds the bomb, not its load")
                .isLessThan(2L * 1024 * 1024);
        assertThat(recipient.metrics().registry().find("meshgate.inbound.not_decoded").tag("mailbox", "X26ABC2")
                .tag("reason", "too_large").counters().stream().mapToDouble(Counter::count).sum()).isEqualTo(1.0);
    }

    @Test
    void aGzipMessageWithinTheBoundIsDecoded() throws Exception {
        byte[] content = "NHS_NUMBER,DOSE\n9434765919,1\n".repeat(1000).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ByteArrayOutputStream gzip = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(gzip)) {
            out.write(content);
        }
        sendGzipEncoded("within-1", gzip.toByteArray());

        Path stored = GatewayExchangeTestSupport.awaitInbound(fixture, recipient, "X26ABC2", "within-1");

        assertThat(Files.readAllBytes(stored)).isEqualTo(content);
        assertThat(recipient.store().metadata(fixture.root("X26ABC2").relativize(stored).toString()))
                .doesNotContainKey("meshgate-not-decoded").doesNotContainKey("content-encoding");
    }

    private static SendResult sendGzipEncoded(String localId, byte[] gzip) {
        try (MeshClient client = MeshClient.builder()
                .baseUrl(URI.create(fixture.sandbox.baseUrl()))
                .credentials("X26ABC1", "password", "TestKey")
                .tls(MeshTls.fromPem(fixture.certificates.clientCertificate("X26ABC1"),
                        fixture.certificates.clientKey("X26ABC1"), GatewayFixture.PASSPHRASE.toCharArray(),
                        fixture.certificates.caBundle()))
                .build()) {
            return client.send(OutboundMessage.to("X26ABC2", "TEST_WORKFLOW").localId(localId)
                    .alreadyGzipEncoded(true).build(), gzip);
        }
    }

    /** {@code size} zero bytes, gzipped: about a thousandth of the size. */
    private static byte[] gzippedZeros(long size) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes, 64 * 1024)) {
            byte[] zeros = new byte[64 * 1024];
            for (long written = 0; written < size; written += zeros.length) {
                out.write(zeros, 0, (int) Math.min(zeros.length, size - written));
            }
        }
        return bytes.toByteArray();
    }

    private static long bytesUnder(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
