package meshgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import meshgate.client.MeshClient;
import meshgate.client.MeshTls;
import meshgate.gateway.config.GatewayConfigLoader;
import meshgate.gateway.ledger.H2Ledger;
import meshgate.gateway.ledger.OutboundState;
import meshgate.gateway.store.ObjectInfo;
import meshgate.gateway.store.ObjectWriter;
import meshgate.gateway.store.S3ObjectStore;
import meshgate.gateway.store.S3TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bucket taken over from NHS England's Terraform MESH module, which leaves every object it sent under
 * {@code outbound/}: what is there at the first start is adopted as already sent, never sent again; what is written
 * afterwards is sent, once.
 */
class OutboundAdoptionTest {
    private static final String SENDER = "X26ABC1";
    private static final String RECIPIENT = "X26ABC2";

    @TempDir
    static Path dir;
    static GatewayFixture mesh;
    static S3TestServer s3;

    @BeforeAll
    static void start() throws Exception {
        mesh = GatewayFixture.start(dir);
        s3 = S3TestServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        mesh.close();
        s3.close();
    }

    @Test
    void sendsOnlyTheObjectsWrittenAfterTheFirstStartAndNothingMoreAfterARestart() throws Exception {
        String bucket = s3.createBucket();
        long before = inboxCount();
        try (S3ObjectStore store = s3.storeBuilder(bucket).build()) {
            for (int i = 0; i < 500; i++) {
                put(store, "outbound/" + SENDER + "/module-sent-" + i + ".json", "sent by the module " + i);
            }
        }
        Path ledger = dir.resolve(bucket).resolve("ledger");
        Path config = writeConfig(bucket, ledger, "");
        try (Gateway gateway = Gateway.start(GatewayConfigLoader.load(config, GatewayFixture.environment()))) {
            for (int i = 0; i < 10; i++) {
                put(gateway.store(), "outbound/" + SENDER + "/new-" + i + ".json", "new " + i);
            }
            awaitAccepted(gateway, 10);
            assertThat(gateway.ledger().countOutbound().get(OutboundState.ADOPTED)).isGreaterThanOrEqualTo(500);
        }
        assertThat(inboxCount() - before).as("only the 10 new objects are sent").isEqualTo(10);

        try (Gateway gateway = Gateway.start(GatewayConfigLoader.load(config, GatewayFixture.environment()))) {
            gateway.scanNow();
            awaitAccepted(gateway, 10);
            assertThat(gateway.store().list("outbound/")).as("the adopted objects are left in place").hasSize(500);
        }
        assertThat(inboxCount() - before).as("a restart sends nothing more").isEqualTo(10);
    }

    @Test
    void keepsSentObjectsInPlaceWithoutSendingThemAgainButSendsANewObjectWrittenToTheSameKey() throws Exception {
        String bucket = s3.createBucket();
        long before = inboxCount();
        try (S3ObjectStore store = s3.storeBuilder(bucket).build()) {
            for (int i = 0; i < 5; i++) {
                put(store, "outbound/" + SENDER + "/module-sent-" + i + ".json", "sent by the module " + i);
            }
        }
        Path ledger = dir.resolve(bucket).resolve("ledger");
        Path config = writeConfig(bucket, ledger, "sent_action: keep\n");
        try (Gateway gateway = Gateway.start(GatewayConfigLoader.load(config, GatewayFixture.environment()))) {
            put(gateway.store(), "outbound/" + SENDER + "/daily.json", "monday");
            awaitAccepted(gateway, 1);
            gateway.scanNow();
            gateway.scanNow();
            assertThat(gateway.store().stat("outbound/" + SENDER + "/daily.json")).as("kept in place").isPresent();
        }
        assertThat(inboxCount() - before).isEqualTo(1);

        try (Gateway gateway = Gateway.start(GatewayConfigLoader.load(config, GatewayFixture.environment()))) {
            gateway.scanNow();
            ObjectInfo first = gateway.store().stat("outbound/" + SENDER + "/daily.json").orElseThrow();
            awaitLater(first.lastModified());
            put(gateway.store(), "outbound/" + SENDER + "/daily.json", "tuesday, a new object under the same key");
            awaitAccepted(gateway, 2);
            gateway.scanNow();
        }
        assertThat(inboxCount() - before).as("the first version once, the new one once").isEqualTo(2);
    }

    @Test
    void sendsTheObjectsAlreadyThereWhenSetToSendThem() throws Exception {
        String bucket = s3.createBucket();
        long before = inboxCount();
        try (S3ObjectStore store = s3.storeBuilder(bucket).build()) {
            for (int i = 0; i < 3; i++) {
                put(store, "outbound/" + SENDER + "/waiting-" + i + ".json", "waiting " + i);
            }
        }
        Path config = writeConfig(bucket, dir.resolve(bucket).resolve("ledger"), "outbound_existing: send\n");
        try (Gateway gateway = Gateway.start(GatewayConfigLoader.load(config, GatewayFixture.environment()))) {
            awaitAccepted(gateway, 3);
            assertThat(gateway.ledger().outbound(OutboundState.ADOPTED)).extracting(r -> r.objectKey())
                    .as("no object adopted").allMatch("outbound/"::equals);
        }
        assertThat(inboxCount() - before).isEqualTo(3);
    }

    @Test
    void adoptsNothingWhenTheLedgerHasRecordsOfThisStoreFromBefore() throws Exception {
        String bucket = s3.createBucket();
        long before = inboxCount();
        Path ledger = dir.resolve(bucket).resolve("ledger");
        try (H2Ledger earlier = H2Ledger.open(ledger.resolve("meshgate"))) {
            // A ledger in use by an earlier MeshGate, which archives what it sent: the objects there are waiting.
            var record = earlier.recordOutbound("outbound/" + SENDER + "/sent-long-ago.json", 3,
                    Instant.parse("2026-01-01T00:00:00Z"));
            earlier.updateOutbound(record.accepted("20260101000000000000_ABCDEF", Instant.now())
                    .tracked(OutboundState.ACKNOWLEDGED, "acknowledged", null));
        }
        try (S3ObjectStore store = s3.storeBuilder(bucket).build()) {
            put(store, "outbound/" + SENDER + "/waiting.json", "waiting");
        }
        Path config = writeConfig(bucket, ledger, "");
        try (Gateway gateway = Gateway.start(GatewayConfigLoader.load(config, GatewayFixture.environment()))) {
            awaitAccepted(gateway, 2);
        }
        assertThat(inboxCount() - before).as("the waiting object is sent").isEqualTo(1);
    }

    private static void put(meshgate.gateway.store.ObjectStore store, String key, String content) throws IOException {
        try (ObjectWriter writer = store.create(key,
                Map.of("mex-from", SENDER, "mex-to", RECIPIENT, "mex-workflowid", "TEST_WORKFLOW"))) {
            writer.stream().write(content.getBytes(StandardCharsets.UTF_8));
            writer.commit();
        }
    }

    /** S3 keeps modification times to the second: waits until a write would get a later one. */
    private static void awaitLater(Instant lastModified) throws InterruptedException {
        GatewayFixture.eventually(Duration.ofSeconds(5), "a later second",
                () -> Instant.now().getEpochSecond() > lastModified.getEpochSecond());
    }

    private static void awaitAccepted(Gateway gateway, long count) throws InterruptedException {
        GatewayFixture.eventually(Duration.ofSeconds(120), count + " sent", () -> {
            Map<OutboundState, Long> counts = gateway.ledger().countOutbound();
            return counts.get(OutboundState.ACCEPTED) + counts.get(OutboundState.ACKNOWLEDGED) >= count
                    && counts.get(OutboundState.QUEUED) + counts.get(OutboundState.SENDING) == 0;
        });
    }

    private static long inboxCount() {
        try (MeshClient recipient = MeshClient.builder().baseUrl(java.net.URI.create(mesh.sandbox.baseUrl()))
                .credentials(RECIPIENT, "password", "TestKey")
                .tls(MeshTls.fromPem(mesh.certificates.clientCertificate(RECIPIENT),
                        mesh.certificates.clientKey(RECIPIENT), GatewayFixture.PASSPHRASE.toCharArray(),
                        mesh.certificates.caBundle()))
                .build()) {
            return recipient.inboxCount();
        }
    }

    private static Path writeConfig(String bucket, Path ledger, String extra) throws IOException {
        String yaml = String.join("\n",
                "base_url: " + mesh.sandbox.baseUrl(),
                "shared_key: TestKey",
                "ca_bundle: " + mesh.certificates.caBundle(),
                "certificate: " + mesh.certificates.clientCertificate(SENDER),
                "private_key: " + mesh.certificates.clientKey(SENDER),
                "private_key_passphrase: {env: TEST_KEY_PASSPHRASE}",
                "mailboxes:",
                "  - mailbox_id: " + SENDER,
                "    password: password",
                "store:",
                "  type: s3",
                "  bucket: " + bucket,
                "  endpoint: " + s3.endpoint(),
                "  region: " + S3TestServer.REGION,
                "  path_style: true",
                "  access_key_id: " + S3TestServer.ACCESS_KEY,
                "  secret_access_key: " + S3TestServer.SECRET_KEY,
                "  root: " + dir.resolve(bucket),
                "ledger:",
                "  type: embedded",
                "  path: " + ledger.resolve("meshgate"),
                "poll_interval: 1h",
                "outbound_rescan_interval: 300ms",
                "outbound_settle_time: 0s",
                "tracking_interval: 1h",
                "");
        java.nio.file.Files.createDirectories(dir.resolve(bucket));
        return java.nio.file.Files.writeString(dir.resolve(bucket).resolve("meshgate.yaml"), yaml + extra);
    }

}
