package meshgate.gateway;

import static meshgate.gateway.GatewayFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import meshgate.client.MeshClient;
import meshgate.client.MeshTls;
import meshgate.gateway.config.GatewayConfigLoader;
import meshgate.gateway.ledger.H2Ledger;
import meshgate.gateway.ledger.OutboundRecord;
import meshgate.gateway.ledger.OutboundState;
import meshgate.gateway.metrics.MeshGateMetrics;
import meshgate.gateway.ops.MailboxHealth;
import meshgate.gateway.outbound.LeaseKeeper;
import meshgate.gateway.outbound.OutboundProcessor;
import meshgate.gateway.store.LocalFolderStore;
import meshgate.gateway.store.ObjectInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file under outbound/ is sent as the version that was there when its send began: a file that changes while it is
 * being sent is never archived as sent, and a file dropped again unchanged after it was sent is not sent twice.
 */
class OutboundFileVersionTest {
    private static final int CHUNK = 5_242_881;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;
    static GatewayFixture fixture;
    static Gateway sender;

    @BeforeAll
    static void start() throws IOException {
        fixture = GatewayFixture.start(dir);
        sender = fixture.gateway("X26ABC1", String.join("\n",
                "outbound_settle_time: 500ms",
                "never_compress: true"));
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Test
    void keepsAFileThatGrewWhileItWasBeingSentAndSendsItsFinalVersionAsANewMessage() throws Exception {
        byte[] first = random(CHUNK + 1000, 1);
        byte[] rest = random(2000, 2);
        byte[] whole = concat(first, rest);
        Path file = outbound("growing/daily.csv");
        Files.createDirectories(file.getParent());
        Files.writeString(file.resolveSibling("daily.csv.meta.json"), metadata("X26ABC2"));
        // Each MESH request takes 3 s, so that the writer's second burst lands while chunk 2 is in flight.
        fixture.sandbox.faults().latency(Duration.ofMillis(3000));
        try (OutputStream writer = Files.newOutputStream(file)) {
            writer.write(first);
            writer.flush();
            // The writer pauses for longer than the settle time: the gateway takes the file as complete and sends it.
            eventually(WAIT, "MESH has accepted chunk 1 of the first version",
                    () -> record("outbound/growing/daily.csv", first.length)
                            .filter(r -> r.chunksAccepted() >= 1).isPresent());
            writer.write(rest);
        } finally {
            fixture.sandbox.faults().latency(Duration.ZERO);
        }

        Path root = fixture.root("X26ABC1");
        // Ended once the file is archived (as it must not be) or the note about it is written, the last step.
        eventually(WAIT, "the send of the first version has ended", () -> record("outbound/growing/daily.csv",
                first.length).filter(r -> r.state() == OutboundState.ACCEPTED && (r.sentKey() != null
                        || Files.exists(root.resolve("sent/" + r.meshMessageId() + "/growing/daily.csv.reason.txt"))))
                .isPresent());
        OutboundRecord truncated = record("outbound/growing/daily.csv", first.length).orElseThrow();
        String firstId = truncated.meshMessageId();
        assertThat(root.resolve("sent/" + firstId + "/growing/daily.csv")).as("a changed file is never archived as sent")
                .doesNotExist();
        assertThat(truncated.sentKey()).isNull();
        assertThat(truncated.reason()).contains("changed while it was being sent").contains(firstId);
        assertThat(Files.readString(root.resolve("sent/" + firstId + "/growing/daily.csv.reason.txt")))
                .contains("outbound/growing/daily.csv").contains(firstId)
                .contains(first.length + " bytes").contains(whole.length + " bytes");
        assertThat(sender.metrics().registry().counter("meshgate.outbound.messages", "mailbox", "X26ABC1",
                "outcome", "changed_during_send").count()).isEqualTo(1);

        eventually(WAIT, "the final version is sent and archived", () -> record("outbound/growing/daily.csv",
                whole.length).filter(r -> r.sentKey() != null).isPresent());
        OutboundRecord complete = record("outbound/growing/daily.csv", whole.length).orElseThrow();
        assertThat(root.resolve(complete.sentKey())).hasBinaryContent(whole);
        assertThat(file).doesNotExist();
        try (MeshClient recipient = client("X26ABC2")) {
            assertThat(download(recipient, firstId)).as("MESH got the version there when the send began")
                    .isEqualTo(first);
            assertThat(download(recipient, complete.meshMessageId())).isEqualTo(whole);
            recipient.acknowledge(firstId);
        }
        sender.trackNow();
        assertThat(record("outbound/growing/daily.csv", first.length).orElseThrow())
                .as("the recipient's acknowledgement keeps the record of what it got")
                .returns(OutboundState.ACKNOWLEDGED, OutboundRecord::state)
                .satisfies(r -> assertThat(r.reason()).contains("changed while it was being sent"));
    }

    @Test
    void doesNotSendAVersionThatChangedAfterItWasListed() throws Exception {
        Path root = dir.resolve("listed-then-changed");
        Files.createDirectories(root);
        Path config = Files.writeString(root.resolve("meshgate.yaml"), fixture.yaml("X26ABC1", ""));
        try (LocalFolderStore store = new LocalFolderStore(root);
                H2Ledger ledger = H2Ledger.inMemory("listed-then-changed");
                MeshClient client = client("X26ABC1");
                MeshGateMetrics metrics = new MeshGateMetrics();
                LeaseKeeper leases = new LeaseKeeper(ledger, "node-1", Duration.ofMinutes(2), Duration.ZERO)) {
            OutboundProcessor processor = new OutboundProcessor(store, ledger, Map.of("X26ABC1", client),
                    GatewayConfigLoader.load(config, GatewayFixture.environment()), Clock.systemUTC(), leases,
                    metrics, new MailboxHealth(Map.of("X26ABC1", client), Clock.systemUTC(), metrics,
                        ledger));
            store.putText("outbound/late.csv", "first part\n", Map.of("mex-from", "X26ABC1", "mex-to", "X26ABC2",
                    "mex-workflowid", "TEST_WORKFLOW", "mex-localid", "listed-then-changed"));
            ObjectInfo listed = store.list("outbound/").get(0);
            // The writer carries on after the listing, before the send begins.
            Files.writeString(root.resolve("outbound/late.csv"), "second part\n", StandardOpenOption.APPEND);

            OutboundRecord superseded = processor.process(listed);
            assertThat(superseded.state()).isEqualTo(OutboundState.SUPERSEDED);
            assertThat(superseded.reason()).contains("changed before this version was sent");
            assertThat(superseded.meshMessageId()).isNull();
            assertThat(root.resolve("outbound/late.csv")).hasContent("first part\nsecond part\n");

            OutboundRecord sent = processor.process(store.stat("outbound/late.csv").orElseThrow());
            assertThat(sent.state()).isEqualTo(OutboundState.ACCEPTED);
            assertThat(root.resolve(sent.sentKey())).hasContent("first part\nsecond part\n");
            try (MeshClient recipient = client("X26ABC2")) {
                assertThat(recipient.inbox().stream()
                        .filter(id -> recipient.headers(id).localId().orElse("").equals("listed-then-changed")))
                        .as("only the version there when the send began").containsExactly(sent.meshMessageId());
                assertThat(download(recipient, sent.meshMessageId()))
                        .isEqualTo("first part\nsecond part\n".getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void archivesAgainWithoutSendingAFileDroppedAgainUnchanged() throws Exception {
        byte[] content = "NHS_NUMBER\n9434765919\n".getBytes(StandardCharsets.UTF_8);
        fixture.drop("X26ABC1", "again/daily.csv", content, metadata("X26ABC2").replace("}",
                ", \"mex-localid\": \"dropped-again-1\"}"));
        OutboundRecord sent = awaitArchived("outbound/again/daily.csv", content.length);
        Path root = fixture.root("X26ABC1");
        Path archived = root.resolve(sent.sentKey());

        // The same bytes under the same name with the same modification time: `cp -p` back from sent/.
        Path again = outbound("again/daily.csv");
        Files.copy(root.resolve(sent.sentKey() + ".meta.json"), again.resolveSibling("daily.csv.meta.json"),
                StandardCopyOption.COPY_ATTRIBUTES);
        Path hidden = again.resolveSibling(".daily.csv.copying");
        Files.copy(archived, hidden, StandardCopyOption.COPY_ATTRIBUTES);
        Files.move(hidden, again, StandardCopyOption.ATOMIC_MOVE);
        assertThat(millis(again)).as("the same modification time, to the millisecond the gateway keeps")
                .isEqualTo(millis(archived));

        eventually(WAIT, "the file dropped again has left outbound/", () -> !Files.exists(again));
        assertThat(archived).hasBinaryContent(content);
        assertThat(sender.ledger().outbound(OutboundState.values()).stream()
                .filter(r -> r.objectKey().equals("outbound/again/daily.csv")))
                .as("one version, sent once").hasSize(1);
        try (MeshClient recipient = client("X26ABC2")) {
            assertThat(recipient.inbox().stream()
                    .filter(id -> recipient.headers(id).localId().orElse("").equals("dropped-again-1")))
                    .as("sent once").containsExactly(sent.meshMessageId());
        }
    }

    @Test
    void sendsAFileDroppedAgainWithNewContentAsANewMessage() throws Exception {
        byte[] monday = "monday\n".getBytes(StandardCharsets.UTF_8);
        byte[] tuesday = "tuesday\n".getBytes(StandardCharsets.UTF_8);
        fixture.drop("X26ABC1", "daily/daily.csv", monday, metadata("X26ABC2"));
        OutboundRecord first = awaitArchived("outbound/daily/daily.csv", monday.length);

        fixture.drop("X26ABC1", "daily/daily.csv", tuesday, metadata("X26ABC2"));
        OutboundRecord second = awaitArchived("outbound/daily/daily.csv", tuesday.length);

        assertThat(second.meshMessageId()).isNotEqualTo(first.meshMessageId());
        Path root = fixture.root("X26ABC1");
        assertThat(root.resolve(first.sentKey())).hasBinaryContent(monday);
        assertThat(root.resolve(second.sentKey())).hasBinaryContent(tuesday);
        try (MeshClient recipient = client("X26ABC2")) {
            assertThat(download(recipient, first.meshMessageId())).isEqualTo(monday);
            assertThat(download(recipient, second.meshMessageId())).isEqualTo(tuesday);
        }
    }

    private static OutboundRecord awaitArchived(String key, long size) throws InterruptedException {
        eventually(WAIT, key + " (" + size + " bytes) sent and archived",
                () -> record(key, size).filter(r -> r.sentKey() != null).isPresent());
        return record(key, size).orElseThrow();
    }

    private static Optional<OutboundRecord> record(String key, long size) {
        return sender.ledger().outbound(OutboundState.values()).stream()
                .filter(r -> r.objectKey().equals(key) && r.size() == size).findFirst();
    }

    private static String metadata(String to) {
        return "{\"mex-from\": \"X26ABC1\", \"mex-to\": \"" + to + "\", \"mex-workflowid\": \"TEST_WORKFLOW\"}";
    }

    private static Path outbound(String relative) {
        return fixture.root("X26ABC1").resolve("outbound").resolve(relative);
    }

    private static byte[] download(MeshClient recipient, String messageId) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        recipient.download(messageId, out, true);
        return out.toByteArray();
    }

    private static MeshClient client(String mailbox) {
        return MeshClient.builder().baseUrl(URI.create(fixture.sandbox.baseUrl()))
                .credentials(mailbox, "password", "TestKey")
                .tls(MeshTls.fromPem(fixture.certificates.clientCertificate(mailbox),
                        fixture.certificates.clientKey(mailbox), GatewayFixture.PASSPHRASE.toCharArray(),
                        fixture.certificates.caBundle()))
                .build();
    }

    private static Instant millis(Path file) throws IOException {
        return Files.getLastModifiedTime(file).toInstant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
