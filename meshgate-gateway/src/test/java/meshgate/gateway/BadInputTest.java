package meshgate.gateway;

import static meshgate.gateway.GatewayFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import meshgate.gateway.ledger.OutboundRecord;
import meshgate.gateway.ledger.OutboundState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad input is kept, never lost: each unsendable file ends in failed/ with a reason a person can act on. */
class BadInputTest {
    @TempDir
    static Path dir;
    static GatewayFixture fixture;
    static Gateway sender;
    static Gateway recipient;

    @BeforeAll
    static void start() throws Exception {
        fixture = GatewayFixture.start(dir);
        sender = fixture.gateway("X26ABC1", "outbound_settle_time: 1s");
        recipient = fixture.gateway("X26ABC2", "use_sender_filename: true");
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            missing-recipient.csv | {"mex-from": "X26ABC1", "mex-workflowid": "TEST_WORKFLOW"}                                        | missing recipient
            unknown-recipient.csv | {"mex-from": "X26ABC1", "mex-to": "X26NOPE9", "mex-workflowid": "TEST_WORKFLOW"}                | Unregistered to address
            undecodable.csv       | {"mex-from": "X26ABC1", "mex-to": "X26ABC2", "mex-workflowid": "W", "mex-subject": "100%zz"}  | cannot be URL-decoded
            not-json.csv          | this is not JSON                                                                                | metadata unreadable
            unknown-sender.csv    | {"mex-from": "X26ABC9", "mex-to": "X26ABC2", "mex-workflowid": "TEST_WORKFLOW"}                | not a mailbox of this gateway
            fake-gzip.csv         | {"mex-from": "X26ABC1", "mex-to": "X26ABC2", "mex-workflowid": "W", "Content-Encoding": "gzip"} | not gzip data
            brotli.csv            | {"mex-from": "X26ABC1", "mex-to": "X26ABC2", "mex-workflowid": "W", "Content-Encoding": "br"} | MESH accepts gzip only
            bad-flag.csv          | {"mex-from": "X26ABC1", "mex-to": "X26ABC2", "mex-workflowid": "W", "mex-content-encrypted": "maybe"} | must be Y or N
            """)
    void movesAnUnsendableFileToFailedWithItsReason(String name, String metadata, String reason) throws Exception {
        byte[] content = ("content of " + name).getBytes(StandardCharsets.UTF_8);
        fixture.drop("X26ABC1", name, content, metadata);
        assertFailed(name, content, reason);
    }

    @Test
    void oversizedMetadataIsRefused() throws Exception {
        byte[] content = "x".getBytes(StandardCharsets.UTF_8);
        fixture.drop("X26ABC1", "oversized.csv", content, "{\"mex-from\": \"X26ABC1\", \"mex-to\": \"X26ABC2\", "
                + "\"mex-workflowid\": \"W\", \"mex-subject\": \"" + "s".repeat(600) + "\"}");
        assertFailed("oversized.csv", content, "allows at most 500");
    }

    @Test
    void zeroByteFileIsRefused() throws Exception {
        fixture.drop("X26ABC1", "empty.csv", new byte[0],
                "{\"mex-from\": \"X26ABC1\", \"mex-to\": \"X26ABC2\", \"mex-workflowid\": \"TEST_WORKFLOW\"}");
        assertFailed("empty.csv", new byte[0], "empty file");
    }

    @Test
    void directoriesAreWalkedNotSent() throws Exception {
        Path outbound = fixture.root("X26ABC1").resolve("outbound");
        Files.createDirectories(outbound.resolve("empty-dir"));
        fixture.drop("X26ABC1", "nested/deeper/inside.csv", "inside".getBytes(StandardCharsets.UTF_8),
                "{\"mex-from\": \"X26ABC1\", \"mex-to\": \"X26ABC2\", \"mex-workflowid\": \"TEST_WORKFLOW\", "
                        + "\"mex-localid\": \"inside-1\"}");
        eventually(Duration.ofSeconds(30), "nested file sent", () -> sentKeys().stream()
                .anyMatch(k -> k.endsWith("/nested/deeper/inside.csv")));
        assertThat(Files.isDirectory(outbound.resolve("empty-dir"))).isTrue();
        assertThat(Files.exists(fixture.root("X26ABC1").resolve("failed/empty-dir"))).isFalse();
    }

    @Test
    void aFileStillBeingWrittenIsSentOnlyWhenComplete() throws Exception {
        Path outbound = fixture.root("X26ABC1").resolve("outbound");
        Files.createDirectories(outbound);
        Files.writeString(outbound.resolve("growing.csv.meta.json"), "{\"mex-from\": \"X26ABC1\", "
                + "\"mex-to\": \"X26ABC2\", \"mex-workflowid\": \"TEST_WORKFLOW\", \"mex-localid\": \"growing-1\"}");
        StringBuilder expected = new StringBuilder();
        try (OutputStream out = Files.newOutputStream(outbound.resolve("growing.csv"))) {
            for (int i = 0; i < 25; i++) {
                String line = "line " + i + "\n";
                out.write(line.getBytes(StandardCharsets.UTF_8));
                out.flush();
                expected.append(line);
                Thread.sleep(100);
                assertThat(sentKeys()).as("not sent while being written").noneMatch(k -> k.endsWith("/growing.csv"));
            }
        }
        Path stored = GatewayExchangeTestSupport.awaitInbound(fixture, recipient, "X26ABC2", "growing-1");
        assertThat(Files.readString(stored)).isEqualTo(expected.toString());
    }

    @Test
    void senderFileNamesNeverLeaveTheirFolder() throws Exception {
        fixture.drop("X26ABC1", "traversal.csv", "evil".getBytes(StandardCharsets.UTF_8),
                "{\"mex-from\": \"X26ABC1\", \"mex-to\": \"X26ABC2\", \"mex-workflowid\": \"TEST_WORKFLOW\", "
                        + "\"mex-localid\": \"evil-1\", \"mex-filename\": \"..%2F..%2F..%2Fetc%2Fpasswd\"}");
        fixture.drop("X26ABC1", "traversal2.csv", "evil2".getBytes(StandardCharsets.UTF_8),
                "{\"mex-from\": \"X26ABC1\", \"mex-to\": \"X26ABC2\", \"mex-workflowid\": \"TEST_WORKFLOW\", "
                        + "\"mex-localid\": \"evil-2\", \"mex-filename\": \"..%5C..%5Cwin.ini\"}");
        Path first = GatewayExchangeTestSupport.awaitInbound(fixture, recipient, "X26ABC2", "evil-1");
        Path second = GatewayExchangeTestSupport.awaitInbound(fixture, recipient, "X26ABC2", "evil-2");
        Path folder = fixture.root("X26ABC2").resolve("inbound/X26ABC2");
        assertThat(first.getParent()).isEqualTo(folder);
        assertThat(first.getFileName().toString()).isEqualTo("passwd");
        assertThat(second.getParent()).isEqualTo(folder);
        assertThat(second.getFileName().toString()).isEqualTo("win.ini");
        assertThat(Files.exists(dir.resolve("etc/passwd"))).isFalse();
        assertThat(Files.exists(fixture.root("X26ABC2").resolve("etc"))).isFalse();
    }

    @Test
    void aMessageFalselyDeclaredGzipIsKeptAsReceivedAndAcknowledged() throws Exception {
        meshgate.client.SendResult sent;
        try (meshgate.client.MeshClient client = meshgate.client.MeshClient.builder()
                .baseUrl(java.net.URI.create(fixture.sandbox.baseUrl()))
                .credentials("X26ABC1", "password", "TestKey")
                .tls(meshgate.client.MeshTls.fromPem(fixture.certificates.clientCertificate("X26ABC1"),
                        fixture.certificates.clientKey("X26ABC1"), GatewayFixture.PASSPHRASE.toCharArray(),
                        fixture.certificates.caBundle()))
                .build()) {
            sent = client.send(meshgate.client.OutboundMessage.to("X26ABC2", "TEST_WORKFLOW").localId("not-gzip-1")
                    .alreadyGzipEncoded(true).build(), "plainly not gzip".getBytes(StandardCharsets.UTF_8));
        }
        Path stored = GatewayExchangeTestSupport.awaitInbound(fixture, recipient, "X26ABC2", "not-gzip-1");
        assertThat(Files.readString(stored)).isEqualTo("plainly not gzip");
        java.util.Map<String, String> metadata = recipient.store().metadata(
                fixture.root("X26ABC2").relativize(stored).toString());
        assertThat(metadata).containsEntry("content-encoding", "gzip").containsKey("meshgate-not-decoded");
        eventually(Duration.ofSeconds(20), "acknowledged", () -> recipient.ledger()
                .findInbound("X26ABC2", sent.messageId())
                .map(r -> r.state() == meshgate.gateway.ledger.InboundState.ACKNOWLEDGED).orElse(false));
    }

    private static List<String> sentKeys() {
        return sender.ledger().outbound(OutboundState.values()).stream()
                .map(OutboundRecord::sentKey).filter(k -> k != null && !k.isEmpty()).toList();
    }

    private static void assertFailed(String name, byte[] content, String reason) throws Exception {
        Path failed = fixture.root("X26ABC1").resolve("failed").resolve(name);
        Path reasonFile = failed.resolveSibling(name + ".reason.txt");
        eventually(Duration.ofSeconds(30), name + " in failed/", () -> Files.exists(reasonFile));
        assertThat(Files.readAllBytes(failed)).as("content kept").isEqualTo(content);
        assertThat(Files.readString(reasonFile)).contains(reason);
        assertThat(Files.exists(fixture.root("X26ABC1").resolve("outbound").resolve(name))).isFalse();
        eventually(Duration.ofSeconds(10), name + " recorded as failed", () -> sender.ledger()
                .outbound(OutboundState.FAILED).stream().anyMatch(r -> r.objectKey().equals("outbound/" + name)));
        OutboundRecord record = Stream.of(OutboundState.FAILED).flatMap(s -> sender.ledger().outbound(s).stream())
                .filter(r -> r.objectKey().equals("outbound/" + name)).findFirst().orElseThrow();
        assertThat(record.reason()).contains(reason);
    }
}
