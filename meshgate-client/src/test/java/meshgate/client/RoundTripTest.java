package meshgate.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Messages of every awkward size go X26ABC1 -> sandbox -> X26ABC2 over mutual TLS and come back byte-identical. */
class RoundTripTest {
    private static final int CHUNK = SandboxFixture.CHUNK_SIZE;

    @TempDir
    static Path dir;
    static SandboxFixture fixture;
    static MeshClient sender;
    static MeshClient recipient;

    @BeforeAll
    static void start() {
        fixture = SandboxFixture.start(dir);
        sender = fixture.client("X26ABC1");
        recipient = fixture.client("X26ABC2");
    }

    @AfterAll
    static void stop() {
        sender.close();
        recipient.close();
        fixture.close();
    }

    static Stream<Arguments> sizes() {
        return Stream.of(0L, 1L, (long) CHUNK, CHUNK + 1L, 5L * CHUNK + 12_345)
                .flatMap(size -> Stream.of(Arguments.of(size, false), Arguments.of(size, true)));
    }

    @ParameterizedTest(name = "{0} bytes, compress={1}")
    @MethodSource("sizes")
    void roundTripsByteIdenticalAcknowledgedAndTracked(long size, boolean compress) throws Exception {
        Path file = generate(size, "m-" + size + "-" + compress + ".dat");
        OutboundMessage message = OutboundMessage.to("X26ABC2", "TEST_WORKFLOW")
                .subject("round trip " + size).fileName("file-" + size + ".dat").compress(compress).build();

        SendResult sent = sender.send(message, file);
        int expectedChunks = size == 0 ? 1 : (int) ((size + CHUNK - 1) / CHUNK);
        assertThat(sent.chunks()).isEqualTo(expectedChunks);
        assertThat(recipient.inbox()).contains(sent.messageId());

        Path received = dir.resolve("received-" + size + "-" + compress + ".dat");
        MessageMetadata metadata = recipient.download(sent.messageId(), received, true);
        assertThat(sha256(received)).isEqualTo(sha256(file));
        assertThat(metadata.from()).contains("X26ABC1");
        assertThat(metadata.workflowId()).contains("TEST_WORKFLOW");
        assertThat(metadata.fileName()).contains("file-" + size + ".dat");
        assertThat(metadata.totalChunks()).isEqualTo(expectedChunks);
        assertThat(metadata.isGzipEncoded()).as("empty content travels as an empty gzip member").isEqualTo(compress || size == 0);

        if (compress) {
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            recipient.download(sent.messageId(), raw, false);
            assertThat(sha256(ChunkSourceTest.decompressConcatenated(raw.toByteArray())))
                    .as("as received: one gzip member per chunk").isEqualTo(sha256(file));
        }

        assertThat(sender.track(sent.messageId()).status()).isEqualTo(DeliveryStatus.ACCEPTED);
        recipient.acknowledge(sent.messageId());
        assertThat(recipient.inbox()).doesNotContain(sent.messageId());
        TrackingInfo tracked = sender.track(sent.messageId());
        assertThat(tracked.status()).isEqualTo(DeliveryStatus.ACKNOWLEDGED);
        assertThat(tracked.localId()).contains(sent.localId());
    }

    @Test
    void sendsAStreamOfUnknownLengthLargerThanAChunk() throws Exception {
        Path file = generate(2L * CHUNK + 7, "stream.dat");
        SendResult sent;
        try (InputStream in = Files.newInputStream(file)) {
            sent = sender.send(OutboundMessage.to("X26ABC2", "TEST_WORKFLOW").build(), in);
        }
        assertThat(sent.chunks()).isEqualTo(3);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        recipient.download(sent.messageId(), out, true);
        assertThat(sha256(out.toByteArray())).isEqualTo(sha256(file));
        recipient.acknowledge(sent.messageId());
    }

    @Test
    void headersWithoutContentAndHandshake() {
        sender.handshake();
        SendResult sent = sender.send(OutboundMessage.to("X26ABC2", "TEST_WORKFLOW").subject("my super subject $£%")
                .localId("local-42").build(), new byte[] {1, 2, 3});
        MessageMetadata headers = recipient.headers(sent.messageId());
        assertThat(headers.localId()).contains("local-42");
        assertThat(headers.messageType()).isEqualTo("DATA");
        assertThat(headers.messageId()).isEqualTo(sent.messageId());
        assertThat(sender.trackByLocalId("local-42")).get().extracting(TrackingInfo::messageId)
                .isEqualTo(sent.messageId());
        assertThat(sender.trackByLocalId("no-such-local-id")).isEmpty();
        recipient.acknowledge(sent.messageId());
    }

    /** Text-like content: compressible, as most MESH payloads (CSV, XML, JSON) are. */
    static Path generate(long size, String name) throws IOException {
        return generateInto(dir, size, name);
    }

    static Path generateInto(Path folder, long size, String name) throws IOException {
        Path file = folder.resolve(name);
        Random random = new Random(size);
        String[] words = {"NHS_NUMBER", "9434765919", "HPV", "flu", "|", "\"", "20230609T00000000", "X26", "\n"};
        try (var out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            for (long written = 0; written < size; ) {
                byte[] word = (words[random.nextInt(words.length)] + random.nextInt(1000)).getBytes();
                int n = (int) Math.min(word.length, size - written);
                out.write(word, 0, n);
                written += n;
            }
        }
        return file;
    }

    static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
