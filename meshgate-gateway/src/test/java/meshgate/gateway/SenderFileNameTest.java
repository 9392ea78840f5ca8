package meshgate.gateway;

import static meshgate.gateway.GatewayFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import meshgate.client.MeshClient;
import meshgate.client.MeshTls;
import meshgate.client.OutboundMessage;
import meshgate.gateway.ledger.InboundRecord;
import meshgate.gateway.ledger.InboundState;
import meshgate.gateway.store.LocalFolderStore;
import meshgate.gateway.store.ObjectInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Messages stored under the sender's file name ({@code use_sender_filename}) are never lost to a name. */
class SenderFileNameTest {
    private static final int MESSAGES = 10;

    @TempDir
    Path dir;
    GatewayFixture fixture;

    @BeforeEach
    void start() {
        fixture = GatewayFixture.start(dir);
        // Slow every request a little, so that the downloads of one poll overlap.
        fixture.sandbox.faults().latency(Duration.ofMillis(50));
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void keepsEveryMessageWithTheSameSenderFileNameDownloadedInOnePoll() throws Exception {
        Map<String, String> hashById = new HashMap<>();
        try (MeshClient sender = client("X26ABC1")) {
            for (int i = 0; i < MESSAGES; i++) {
                byte[] content = ("export number " + i + "\n").repeat(100 + i).getBytes(StandardCharsets.UTF_8);
                String id = sender.send(OutboundMessage.to("X26ABC2", "TEST_WORKFLOW").fileName("export.csv")
                        .localId("same-name-" + i).build(), content).messageId();
                hashById.put(id, sha256(content));
            }
        }

        Gateway gateway = fixture.gateway("X26ABC2", "use_sender_filename: true\nget_message_max_concurrency: 10");
        awaitAcknowledged(gateway, hashById.keySet());

        List<ObjectInfo> stored = gateway.store().list("inbound/X26ABC2/");
        assertThat(stored).hasSize(MESSAGES);
        Map<String, String> storedHashById = new HashMap<>();
        for (ObjectInfo object : stored) {
            String id = gateway.store().metadata(object.key()).get("mex-messageid");
            storedHashById.put(id, sha256(Files.readAllBytes(fixture.root("X26ABC2").resolve(object.key()))));
            assertThat(gateway.ledger().findInbound("X26ABC2", id).orElseThrow().objectKey()).isEqualTo(object.key());
        }
        assertThat(storedHashById).isEqualTo(hashById);
        assertThat(stored).extracting(ObjectInfo::key).contains("inbound/X26ABC2/export.csv");
    }

    @Test
    void aMessageStoredBeforeACrashKeepsItsOwnKeyAndIsNotStoredTwice() throws Exception {
        byte[] first = "first".getBytes(StandardCharsets.UTF_8);
        byte[] second = "second".getBytes(StandardCharsets.UTF_8);
        String firstId;
        String secondId;
        try (MeshClient sender = client("X26ABC1")) {
            firstId = sender.send(OutboundMessage.to("X26ABC2", "TEST_WORKFLOW").fileName("export.csv").build(),
                    first).messageId();
            secondId = sender.send(OutboundMessage.to("X26ABC2", "TEST_WORKFLOW").fileName("export.csv").build(),
                    second).messageId();
        }
        // The first was stored under the sender's name by a gateway that died before recording it.
        try (LocalFolderStore earlier = new LocalFolderStore(fixture.root("X26ABC2"))) {
            earlier.putText("inbound/X26ABC2/export.csv", "first",
                    Map.of("mex-messageid", firstId, "mex-filename", "export.csv"));
        }

        Gateway gateway = fixture.gateway("X26ABC2", "use_sender_filename: true");
        awaitAcknowledged(gateway, List.of(firstId, secondId));

        assertThat(gateway.ledger().findInbound("X26ABC2", firstId).orElseThrow().objectKey())
                .isEqualTo("inbound/X26ABC2/export.csv");
        assertThat(gateway.ledger().findInbound("X26ABC2", secondId).orElseThrow().objectKey())
                .isEqualTo("inbound/X26ABC2/" + secondId + "_export.csv");
        assertThat(gateway.store().list("inbound/X26ABC2/")).extracting(ObjectInfo::key).containsExactly(
                "inbound/X26ABC2/" + secondId + "_export.csv", "inbound/X26ABC2/export.csv");
        assertThat(Files.readAllBytes(fixture.root("X26ABC2").resolve("inbound/X26ABC2/" + secondId
                + "_export.csv"))).isEqualTo(second);
    }

    @Test
    void storesAMessageWhoseSenderFileNameIsTooLongInBytesUnderItsMessageId() throws Exception {
        String longName = "é".repeat(130);
        byte[] content = "accented".getBytes(StandardCharsets.UTF_8);
        String id;
        try (MeshClient sender = client("X26ABC1")) {
            id = sender.send(OutboundMessage.to("X26ABC2", "TEST_WORKFLOW").fileName(longName).localId("long-name")
                    .build(), content).messageId();
        }

        Gateway gateway = fixture.gateway("X26ABC2", "use_sender_filename: true");
        awaitAcknowledged(gateway, List.of(id));

        String key = gateway.ledger().findInbound("X26ABC2", id).orElseThrow().objectKey();
        assertThat(key).isEqualTo("inbound/X26ABC2/" + id + ".dat");
        assertThat(Files.readAllBytes(fixture.root("X26ABC2").resolve(key))).isEqualTo(content);
        assertThat(gateway.store().decodedMetadata(key)).containsEntry("mex-filename", longName);
    }

    private static void awaitAcknowledged(Gateway gateway, java.util.Collection<String> ids)
            throws InterruptedException {
        eventually(Duration.ofSeconds(60), "every message acknowledged", () -> ids.stream().allMatch(id ->
                gateway.ledger().findInbound("X26ABC2", id).map(InboundRecord::state)
                        .filter(InboundState.ACKNOWLEDGED::equals).isPresent()));
    }

    private MeshClient client(String mailbox) {
        return MeshClient.builder().baseUrl(URI.create(fixture.sandbox.baseUrl()))
                .credentials(mailbox, "password", "TestKey")
                .tls(MeshTls.fromPem(fixture.certificates.clientCertificate(mailbox),
                        fixture.certificates.clientKey(mailbox), GatewayFixture.PASSPHRASE.toCharArray(),
                        fixture.certificates.caBundle()))
                .build();
    }

    private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
