package meshgate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import meshgate.client.MeshClient;
import meshgate.client.MeshEnvironment;
import meshgate.client.MeshTls;
import meshgate.sandbox.tls.CertificateAuthority;
import meshgate.sandbox.tls.IssuedCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayConfigLoaderTest {
    private static final String MINIMAL = """
            shared_key: TestKey
            mailboxes:
              - mailbox_id: X26ABC1
                password: password
            """;

    @TempDir
    Path dir;

    private GatewayConfig read(String yaml) {
        return read(yaml, Map.of());
    }

    private GatewayConfig read(String yaml, Map<String, String> environment) {
        return GatewayConfigLoader.fromYaml(yaml, dir, environment);
    }

    @Test
    void readsEverySettingOfAFullExample() throws Exception {
        Files.createDirectories(dir.resolve("certs"));
        for (String name : List.of("client.pem", "client.key", "ca-bundle.pem", "x26abc2.pem", "x26abc2.key")) {
            Files.writeString(dir.resolve("certs").resolve(name), "placeholder");
        }
        Files.writeString(dir.resolve("certs/passphrase.txt"), "key-passphrase\n");
        GatewayConfig config = read("""
                mesh_env: integration
                shared_key: {env: MESH_SHARED_KEY}
                certificate: certs/client.pem
                private_key: certs/client.key
                private_key_passphrase: {file: certs/passphrase.txt}
                ca_bundle: certs/ca-bundle.pem
                verify_ssl: yes
                verify_checks_common_name: no
                mailboxes:
                  - mailbox_id: x26abc1
                    password: {env: MESH_PASSWORD_X26ABC1}
                    inbound_folder: /legacy/abc1/
                  - mailbox_id: X26ABC2
                    password: literal-password
                    certificate: certs/x26abc2.pem
                    private_key: certs/x26abc2.key
                store:
                  type: local
                  root: data
                ledger:
                  type: embedded
                  path: db/ledger
                chunk_size: 20MiB
                crumb_size: 128KiB
                compress_threshold: 2097152
                never_compress: true
                get_message_max_concurrency: 20
                send_concurrency: 8
                use_sender_filename: true
                use_legacy_inbound_location: false
                use_s3_key_for_mex_filename: true
                poll_interval: 10m
                outbound_rescan_interval: PT10S
                outbound_settle_time: 2s
                handshake_interval: 12h
                tracking_interval: PT15M
                sent_action: delete
                outbound_mappings:
                  - prefix: outbound/X26ABC1/
                    mex_from: X26ABC1
                    mex_to: x26abc2
                    mex_workflowid: TEST_WORKFLOW
                events:
                  log: false
                  webhook_url: https://hooks.example.org/meshgate
                  command: [/usr/local/bin/notify, --quiet]
                mesh_jobs: false
                """, Map.of("MESH_SHARED_KEY", "BackBone", "MESH_PASSWORD_X26ABC1", "secret-1"));

        Path certs = dir.resolve("certs");
        TlsSettings shared = new TlsSettings(Optional.of(PemSource.file(certs.resolve("client.pem"))),
                Optional.of(PemSource.file(certs.resolve("client.key"))),
                Optional.of(Secret.file(certs.resolve("passphrase.txt"))),
                Optional.of(PemSource.file(certs.resolve("ca-bundle.pem"))), Optional.empty(), Optional.empty(), true,
                false);
        assertThat(config.baseUrl()).isEqualTo(MeshEnvironment.INTEGRATION.baseUrl());
        assertThat(config.sharedKey().reveal()).isEqualTo("BackBone");
        assertThat(config.tls()).isEqualTo(shared);
        assertThat(config.tls().privateKeyPassphrase().orElseThrow().reveal()).isEqualTo("key-passphrase");
        assertThat(config.mailboxes()).containsExactly(
                new MailboxConfig("X26ABC1", Secret.env("MESH_PASSWORD_X26ABC1"), Optional.of("legacy/abc1"),
                        Optional.empty()),
                new MailboxConfig("X26ABC2", Secret.literal("literal-password"), Optional.empty(),
                        Optional.of(new TlsSettings(Optional.of(PemSource.file(certs.resolve("x26abc2.pem"))),
                                Optional.of(PemSource.file(certs.resolve("x26abc2.key"))), Optional.empty(),
                                Optional.of(PemSource.file(certs.resolve("ca-bundle.pem"))), Optional.empty(),
                                Optional.empty(),
                                true, false))));
        assertThat(config.mailboxes().get(0).password().reveal()).isEqualTo("secret-1");
        assertThat(config.tlsFor(config.mailboxes().get(0))).isEqualTo(shared);
        assertThat(config.store()).isEqualTo(new StoreSettings("local", dir.resolve("data")));
        assertThat(config.ledger()).isEqualTo(new LedgerSettings("embedded", dir.resolve("db/ledger")));
        assertThat(config.chunkSize()).isEqualTo(20 * 1024 * 1024);
        assertThat(config.crumbSize()).isEqualTo(128 * 1024);
        assertThat(config.compressThreshold()).isEqualTo(2_097_152L);
        assertThat(config.neverCompress()).isTrue();
        assertThat(config.getMessageMaxConcurrency()).isEqualTo(20);
        assertThat(config.sendConcurrency()).isEqualTo(8);
        assertThat(config.useSenderFilename()).isTrue();
        assertThat(config.useLegacyInboundLocation()).isFalse();
        assertThat(config.useKeyForMexFilename()).isTrue();
        assertThat(config.pollInterval()).isEqualTo(Duration.ofMinutes(10));
        assertThat(config.outboundRescanInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.outboundSettleTime()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.handshakeInterval()).isEqualTo(Duration.ofHours(12));
        assertThat(config.trackingInterval()).isEqualTo(Duration.ofMinutes(15));
        assertThat(config.sentAction()).isEqualTo(SentAction.DELETE);
        assertThat(config.outboundMappings()).containsExactly(
                new OutboundMapping("outbound/X26ABC1/", "X26ABC1", "X26ABC2", "TEST_WORKFLOW"));
        assertThat(config.events()).isEqualTo(new EventSettings(false,
                Optional.of(new WebhookSettings(URI.create("https://hooks.example.org/meshgate"))), List.of("/usr/local/bin/notify", "--quiet")));
        assertThat(config.meshJobs()).isFalse();
    }

    @Test
    void absentSettingsTakeTheirDefaults() {
        GatewayConfig config = read(MINIMAL);

        assertThat(config.baseUrl()).isEqualTo(MeshEnvironment.LOCAL_SANDBOX.baseUrl());
        assertThat(config.tls()).isEqualTo(TlsSettings.systemDefault());
        assertThat(config.mailboxes()).containsExactly(
                new MailboxConfig("X26ABC1", Secret.literal("password"), Optional.empty(), Optional.empty()));
        assertThat(config.store()).isEqualTo(new StoreSettings("local", dir.resolve("meshgate-data")));
        assertThat(config.ledger().path()).isEqualTo(dir.resolve("meshgate-data/ledger/meshgate"));
        assertThat(config.chunkSize()).isEqualTo(MeshClient.DEFAULT_CHUNK_SIZE);
        assertThat(config.crumbSize()).isEqualTo(MeshClient.DEFAULT_CRUMB_SIZE);
        assertThat(config.compressThreshold()).isEqualTo(1_048_576L);
        assertThat(config.neverCompress()).isFalse();
        assertThat(config.getMessageMaxConcurrency()).isEqualTo(10);
        assertThat(config.sendConcurrency()).isEqualTo(4);
        assertThat(config.useSenderFilename()).isFalse();
        assertThat(config.useLegacyInboundLocation()).isFalse();
        assertThat(config.useKeyForMexFilename()).isFalse();
        assertThat(config.pollInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.outboundRescanInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.outboundSettleTime()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.handshakeInterval()).isEqualTo(Duration.ofHours(24));
        assertThat(config.trackingInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.sentAction()).isEqualTo(SentAction.ARCHIVE);
        assertThat(config.outboundExisting()).isEqualTo(OutboundExisting.ADOPT);
        assertThat(config.outboundNotifications()).isEmpty();
        assertThat(config.outboundListingInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.outboundMappings()).isEmpty();
        assertThat(config.events()).isEqualTo(EventSettings.defaults());
        assertThat(config.meshJobs()).isTrue();
        assertThat(config.outboundLease()).isEqualTo(Duration.ofMinutes(15));
        assertThat(config.meshTimeouts()).isEqualTo(new MeshTimeouts(Duration.ofSeconds(30), Duration.ofMinutes(2),
                Duration.ofMinutes(3)));
    }

    @Test
    void anOutboundLeaseThatOneMeshCallCouldOutliveIsRefusedAtStart() {
        GatewayConfig defaults = read(MINIMAL);
        // 3 min of retries + an 8 s last wait + a 150 s attempt that includes a lookup by local id of its own.
        assertThat(defaults.meshTimeouts().callBudget()).isEqualTo(Duration.ofSeconds(676));
        assertThat(meshgate.gateway.outbound.LeaseKeeper.outlasts(defaults.outboundLease(),
                defaults.meshTimeouts().callBudget())).isTrue();

        GatewayConfig tooShort = read(MINIMAL + "outbound_lease: 2m\n");
        assertThatThrownBy(() -> new meshgate.gateway.Gateway(tooShort, java.time.Clock.systemUTC()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("outbound_lease 120s is too short")
                .hasMessageContaining("up to 676s")
                .hasMessageContaining("at least 846s");

        GatewayConfig shortened = read(MINIMAL + """
                outbound_lease: 40s
                mesh_connect_timeout: 2s
                mesh_read_timeout: 10s
                mesh_retry_max_elapsed: 1s
                """);
        assertThat(shortened.meshTimeouts().callBudget()).isLessThan(Duration.ofSeconds(32));
        assertThat(meshgate.gateway.outbound.LeaseKeeper.outlasts(shortened.outboundLease(),
                shortened.meshTimeouts().callBudget())).isTrue();
    }

    @Test
    void readsSecretsFromEnvironmentVariablesAndFiles() throws Exception {
        Files.writeString(dir.resolve("password.txt"), "from-file\r\n");
        GatewayConfig config = read("""
                shared_key: {env: SHARED}
                mailboxes:
                  - mailbox_id: X26ABC1
                    password: {file: password.txt}
                """, Map.of("SHARED", "from-env"));

        assertThat(config.sharedKey()).isEqualTo(Secret.env("SHARED"));
        assertThat(config.sharedKey().reveal()).isEqualTo("from-env");
        assertThat(config.mailboxes().get(0).password().reveal()).isEqualTo("from-file");
        assertThat(config.mailboxes().get(0).password().source()).isEqualTo("file " + dir.resolve("password.txt"));
    }

    @Test
    void missingSecretVariableOrFileIsNamedWithoutAnyValue() {
        assertThatThrownBy(() -> read("""
                shared_key: {env: MESH_SHARED_KEY}
                mailboxes: [{mailbox_id: X26ABC1, password: password}]
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessage("shared_key: environment variable MESH_SHARED_KEY is not set");
        assertThatThrownBy(() -> read("""
                shared_key: TestKey
                mailboxes: [{mailbox_id: X26ABC1, password: {file: nowhere.txt}}]
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessage("mailboxes[0].password: secret file " + dir.resolve("nowhere.txt") + " does not exist");
        assertThatThrownBy(() -> read("""
                shared_key: {vault: x}
                mailboxes: [{mailbox_id: X26ABC1, password: password}]
                """))
                .hasMessage("shared_key: must be a value, {env: VARIABLE_NAME} or {file: path/to/file}");
    }

    @Test
    void environmentVariablesOverrideTopLevelSettings() {
        GatewayConfig config = read("""
                base_url: https://localhost:8700
                shared_key: TestKey
                chunk_size: 6MiB
                mailboxes: [{mailbox_id: X26ABC1, password: password}]
                """, Map.of(
                "MESHGATE_CHUNK_SIZE", "20971520",
                "MESHGATE_MESH_ENV", "integration",
                "MESHGATE_VERIFY_SSL", "false",
                "MESHGATE_ALLOW_INSECURE_TLS", "true",
                "MESHGATE_POLL_INTERVAL", "PT1M",
                "MESHGATE_SHARED_KEY", "BackBone",
                "MESHGATE_STORE_ROOT", "elsewhere",
                "MESHGATE_MAILBOX_X26ABC1_PASSWORD", "env-password"));

        assertThat(config.chunkSize()).isEqualTo(20_971_520);
        assertThat(config.baseUrl()).isEqualTo(MeshEnvironment.INTEGRATION.baseUrl());
        assertThat(config.tls().verifySsl()).isFalse();
        assertThat(config.pollInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(config.sharedKey()).isEqualTo(Secret.env("MESHGATE_SHARED_KEY"));
        assertThat(config.sharedKey().reveal()).isEqualTo("BackBone");
        assertThat(config.store().root()).isEqualTo(dir.resolve("elsewhere"));
        assertThat(config.mailboxes().get(0).password().reveal()).isEqualTo("env-password");
    }

    @Test
    void overrideErrorsNameTheVariable() {
        assertThatThrownBy(() -> read(MINIMAL, Map.of("MESHGATE_CHUNK_SIZE", "1000")))
                .hasMessage("chunk_size (from MESHGATE_CHUNK_SIZE): must be more than 5 MiB (5242880 bytes), got 1000");
        assertThatThrownBy(() -> read(MINIMAL, Map.of("MESHGATE_MESH_ENV", "int", "MESHGATE_BASE_URL", "https://x")))
                .hasMessageContaining("not both");
    }

    @Test
    void mailboxIdsFromTheEnvironmentReplaceTheListWhenEachHasAPassword() {
        GatewayConfig config = read("""
                shared_key: TestKey
                mailboxes:
                  - mailbox_id: X26ABC1
                    password: yaml-password
                    inbound_folder: legacy/one
                """, Map.of(
                "MESHGATE_MAILBOX_IDS", "x26abc1, X26ABC2",
                "MESHGATE_MAILBOX_X26ABC1_PASSWORD", "one",
                "MESHGATE_MAILBOX_X26ABC2_PASSWORD", "two"));

        assertThat(config.mailboxes()).containsExactly(
                new MailboxConfig("X26ABC1", Secret.env("MESHGATE_MAILBOX_X26ABC1_PASSWORD"),
                        Optional.of("legacy/one"), Optional.empty()),
                new MailboxConfig("X26ABC2", Secret.env("MESHGATE_MAILBOX_X26ABC2_PASSWORD"), Optional.empty(),
                        Optional.empty()));
        assertThat(config.mailboxes().get(1).password().reveal()).isEqualTo("two");

        assertThatThrownBy(() -> read("shared_key: TestKey", Map.of(
                "MESHGATE_MAILBOX_IDS", "X26ABC1,X26ABC2",
                "MESHGATE_MAILBOX_X26ABC1_PASSWORD", "one")))
                .hasMessage("MESHGATE_MAILBOX_IDS: X26ABC2 has no password: set MESHGATE_MAILBOX_X26ABC2_PASSWORD");
    }

    @Test
    void anEmptyFileIsEnoughWhenTheEnvironmentGivesTheRest() {
        GatewayConfig config = read("", Map.of(
                "MESHGATE_MESH_ENV", "local",
                "MESHGATE_SHARED_KEY", "TestKey",
                "MESHGATE_MAILBOX_IDS", "X26ABC1",
                "MESHGATE_MAILBOX_X26ABC1_PASSWORD", "password"));

        assertThat(config.baseUrl()).isEqualTo(MeshEnvironment.LOCAL_SANDBOX.baseUrl());
        assertThat(config.mailboxes()).extracting(MailboxConfig::mailboxId).containsExactly("X26ABC1");
    }

    @Test
    void unknownSettingsAreRejectedByName() {
        assertThatThrownBy(() -> read(MINIMAL + "chunk_sise: 20MiB\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("chunk_sise: unknown setting (did you mean chunk_size?)");
        assertThatThrownBy(() -> read(MINIMAL + "store: {type: local, rot: data}\n"))
                .hasMessage("store.rot: unknown setting (did you mean root?)");
        assertThatThrownBy(() -> read(MINIMAL + "banana: 1\n"))
                .hasMessage("banana: unknown setting");
    }

    @Test
    void chunkSizeOutsideMeshLimitsIsRejectedWithTheRule() {
        assertThatThrownBy(() -> read(MINIMAL + "chunk_size: 1000\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("chunk_size: must be more than 5 MiB (5242880 bytes), got 1000");
        assertThatThrownBy(() -> read(MINIMAL + "chunk_size: 5MiB\n"))
                .hasMessage("chunk_size: must be more than 5 MiB (5242880 bytes), got 5242880");
        assertThatThrownBy(() -> read(MINIMAL + "chunk_size: 100000001\n"))
                .hasMessage("chunk_size: must be at most 100 MB (100000000 bytes), got 100000001");
        assertThat(read(MINIMAL + "chunk_size: 100000000\n").chunkSize()).isEqualTo(100_000_000);
    }

    @Test
    void outboundNotificationsTakeTheListingsPlaceWithAReconciliationIntervalOfTheirOwn() {
        GatewayConfig config = read(MINIMAL + """
                store:
                  type: s3
                  bucket: mesh-bucket
                sent_action: keep
                outbound_existing: send
                outbound_notifications:
                  sqs_queue_url: https://sqs.eu-west-2.amazonaws.com/123456789012/meshgate-outbound
                  region: eu-west-2
                  visibility_timeout: 2m
                """);

        assertThat(config.sentAction()).isEqualTo(SentAction.KEEP);
        assertThat(config.outboundExisting()).isEqualTo(OutboundExisting.SEND);
        OutboundNotificationSettings notifications = config.outboundNotifications().orElseThrow();
        assertThat(notifications.sqsQueueUrl())
                .isEqualTo("https://sqs.eu-west-2.amazonaws.com/123456789012/meshgate-outbound");
        assertThat(notifications.region()).contains("eu-west-2");
        assertThat(notifications.visibilityTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.outboundListingInterval()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void otherLimitsAreChecked() {
        assertThatThrownBy(() -> read(MINIMAL + "crumb_size: 512\n"))
                .hasMessage("crumb_size: must be between 1 KiB (1024 bytes) and 16 MiB (16777216 bytes), got 512");
        assertThatThrownBy(() -> read(MINIMAL + "chunk_size: 6MiB\ncrumb_size: 7MiB\n"))
                .hasMessage("crumb_size: must be between 1 KiB (1024 bytes) and chunk_size (6291456 bytes), got 7340032");
        assertThatThrownBy(() -> read(MINIMAL + "get_message_max_concurrency: 0\n"))
                .hasMessage("get_message_max_concurrency: must be between 1 and 100, got 0");
        assertThatThrownBy(() -> read(MINIMAL + "poll_interval: 0s\n"))
                .hasMessage("poll_interval: must be more than zero, got PT0S");
        assertThatThrownBy(() -> read(MINIMAL + "sent_action: move\n"))
                .hasMessage("sent_action: must be archive, delete or keep, got 'move'");
        assertThatThrownBy(() -> read(MINIMAL + "outbound_existing: ignore\n"))
                .hasMessage("outbound_existing: must be adopt or send, got 'ignore'");
        assertThatThrownBy(() -> read(MINIMAL + "outbound_notifications:\n  sqs_queue_url: https://sqs.example/q\n"))
                .hasMessageContaining("need store.type s3");
        assertThatThrownBy(() -> read(MINIMAL + "store:\n  type: s3\n  bucket: b\noutbound_notifications:\n"
                + "  region: eu-west-2\n")).hasMessage("outbound_notifications.sqs_queue_url: is required");
        assertThatThrownBy(() -> read(MINIMAL + "never_compress: maybe\n"))
                .hasMessage("never_compress: must be true or false (or yes or no), got 'maybe'");
    }

    @Test
    void theMetricsEndpointListensOnlyWhenAPortIsGivenAndOnLoopbackByDefault() {
        assertThat(read(MINIMAL).metrics().address()).isEmpty();
        assertThat(read(MINIMAL + "metrics: {port: 9464}\n").metrics().address())
                .contains(new java.net.InetSocketAddress("127.0.0.1", 9464));
        assertThat(read(MINIMAL + "metrics: {port: 0, host: 0.0.0.0}\n").metrics().address())
                .contains(new java.net.InetSocketAddress("0.0.0.0", 0));
        assertThat(read(MINIMAL, Map.of("MESHGATE_METRICS_PORT", "9100")).metrics().address())
                .contains(new java.net.InetSocketAddress("127.0.0.1", 9100));
        assertThatThrownBy(() -> read(MINIMAL + "metrics: {port: 70000}\n"))
                .hasMessage("metrics.port: must be between 0 and 65535, got 70000");
        assertThatThrownBy(() -> read(MINIMAL + "metrics: {host: 0.0.0.0}\n"))
                .hasMessage("metrics.host: needs metrics.port as well");
        assertThatThrownBy(() -> read(MINIMAL + "metrics: {prot: 9464}\n"))
                .hasMessage("metrics.prot: unknown setting (did you mean port?)");
    }

    @Test
    void mailboxIdsAreUpperCasedAndMustBeUnique() {
        assertThat(read(MINIMAL.replace("X26ABC1", "x26abc1")).mailboxes().get(0).mailboxId()).isEqualTo("X26ABC1");
        assertThatThrownBy(() -> read("""
                shared_key: TestKey
                mailboxes:
                  - {mailbox_id: X26ABC1, password: a}
                  - {mailbox_id: x26abc1, password: b}
                """))
                .hasMessage("mailboxes[1].mailbox_id: X26ABC1 is listed twice");
        assertThatThrownBy(() -> read("shared_key: TestKey\n"))
                .hasMessageStartingWith("mailboxes: at least one mailbox is required");
        assertThatThrownBy(() -> read("shared_key: TestKey\nmailboxes: [{mailbox_id: X26ABC1}]\n"))
                .hasMessage("mailboxes[0].password: is required for X26ABC1 (or set MESHGATE_MAILBOX_X26ABC1_PASSWORD)");
        assertThatThrownBy(() -> read(MINIMAL + "use_legacy_inbound_location: true\n"))
                .hasMessage("mailboxes[0].inbound_folder: is required when use_legacy_inbound_location is true");
    }

    @Test
    void secretsNeverAppearInToString() throws Exception {
        Files.writeString(dir.resolve("pw"), "file-secret-value");
        GatewayConfig config = read("""
                shared_key: shared-secret-value
                mailboxes:
                  - {mailbox_id: X26ABC1, password: literal-secret-value}
                  - {mailbox_id: X26ABC2, password: {file: pw}}
                  - {mailbox_id: X26ABC3, password: {env: PW}}
                """, Map.of("PW", "env-secret-value"));

        assertThat(Secret.literal("literal-secret-value")).hasToString("***");
        assertThat(config.toString())
                .doesNotContain("shared-secret-value", "literal-secret-value", "file-secret-value", "env-secret-value")
                .contains("***");
    }

    @Test
    void theWebhookAuthorizationAndSigningSecretAreSecretsAndNoneIsShown() throws Exception {
        Files.writeString(dir.resolve("signing.txt"), "whsec-from-file\n");
        GatewayConfig config = read(MINIMAL + """
                events:
                  webhook_url: https://hooks.example.org/meshgate?token=query-token-1
                  webhook_authorization: {env: HOOK_AUTHORIZATION}
                  webhook_signing_secret: {file: signing.txt}
                """, Map.of("HOOK_AUTHORIZATION", "Bearer header-token-2"));

        WebhookSettings webhook = config.events().webhook().orElseThrow();
        assertThat(webhook.authorization().orElseThrow().reveal()).isEqualTo("Bearer header-token-2");
        assertThat(webhook.signingSecret().orElseThrow().reveal()).isEqualTo("whsec-from-file");
        assertThat(webhook.redactedUrl()).isEqualTo("https://hooks.example.org/meshgate");
        assertThat(config.toString()).doesNotContain("query-token-1").doesNotContain("header-token-2")
                .doesNotContain("whsec-from-file");
        assertThat(read(MINIMAL, Map.of("MESHGATE_EVENTS_WEBHOOK_URL", "https://hooks.example.org/e",
                "MESHGATE_EVENTS_WEBHOOK_SIGNING_SECRET", "whsec-env")).events().webhook().orElseThrow()
                .signingSecret().orElseThrow().reveal()).isEqualTo("whsec-env");
    }

    @Test
    void webhookUrlErrorsNeverRepeatTheUrl() {
        assertThatThrownBy(() -> read(MINIMAL + "events: {webhook_url: 'ftp://user:url-pass-3@hooks.example.org/'}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("events.webhook_url")
                .hasMessageNotContaining("url-pass-3");
        assertThatThrownBy(() -> read(MINIMAL + "events: {webhook_url: 'https://hooks.example.org/a b?t=url-token-4'}"))
                .isInstanceOf(ConfigException.class).hasMessageNotContaining("url-token-4");
        assertThatThrownBy(() -> read(MINIMAL + """
                events:
                  webhook_url: https://user:url-pass-5@hooks.example.org/
                  webhook_authorization: Bearer x
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("webhook_authorization")
                .hasMessageNotContaining("url-pass-5");
        assertThatThrownBy(() -> read(MINIMAL + "events: {webhook_signing_secret: s}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("needs events.webhook_url");
    }

    @Test
    void verificationCanBeTurnedOffOnlyForALocalSandboxOrWithAnExplicitOptIn() {
        String remote = MINIMAL + "mesh_env: integration\nverify_ssl: false\n";
        assertThatThrownBy(() -> read(remote))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("verify_ssl: false is only allowed for a sandbox on localhost or 127.0.0.1, "
                        + "not msg.intspineservices.nhs.uk");
        assertThat(read(remote + "allow_insecure_tls: true\n").tls().verifySsl()).isFalse();
        assertThat(read(MINIMAL + "base_url: https://127.0.0.1:8700\nverify_ssl: false\n").tls().verifySsl())
                .isFalse();
        assertThat(read(MINIMAL + "verify_ssl: false\n").tls().verifySsl()).isFalse();
    }

    @Test
    void plainHttpToAHostThatIsNotLocalIsRefusedUnlessExplicitlyAllowed() {
        String remote = MINIMAL + "base_url: http://msg.intspineservices.nhs.uk\n";
        assertThatThrownBy(() -> read(remote))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("base_url: http:// is only allowed for a sandbox on localhost or 127.0.0.1, "
                        + "not msg.intspineservices.nhs.uk");
        assertThat(read(remote + "allow_insecure_tls: true\n").baseUrl())
                .isEqualTo(URI.create("http://msg.intspineservices.nhs.uk"));
        assertThat(read(MINIMAL + "base_url: http://127.0.0.1:8700\n").baseUrl())
                .isEqualTo(URI.create("http://127.0.0.1:8700"));
        assertThat(read(MINIMAL + "base_url: http://localhost:8700\n").baseUrl().getScheme()).isEqualTo("http");
    }

    @Test
    void skippingTheHostNameCheckForAHostThatIsNotLocalNeedsACaBundleOrAnExplicitOptIn() throws Exception {
        String remote = MINIMAL + "mesh_env: integration\nverify_checks_common_name: false\n";
        assertThatThrownBy(() -> read(remote))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("verify_checks_common_name: false for msg.intspineservices.nhs.uk needs a "
                        + "ca_bundle");
        Files.writeString(dir.resolve("ca.pem"), "placeholder");
        assertThat(read(remote + "ca_bundle: ca.pem\n").tls().verifyChecksCommonName()).isFalse();
        assertThat(read(remote + "allow_insecure_tls: true\n").tls().verifyChecksCommonName()).isFalse();
        assertThat(read(MINIMAL + "base_url: https://localhost:8700\nverify_checks_common_name: false\n").tls()
                .verifyChecksCommonName()).isFalse();
    }

    @Test
    void storeFilesAreOwnerOnlyUnlessASharedGroupIsAllowedToRead() {
        assertThat(read(MINIMAL).store().groupReadable()).isFalse();
        assertThat(read(MINIMAL + "store:\n  group_readable: true\n").store().groupReadable()).isTrue();
    }

    @Test
    void warnsOnceWhenASettingsFileHoldingASecretIsReadableByOthers() throws Exception {
        Path literal = Files.writeString(dir.resolve("literal.yaml"), MINIMAL);
        Path referenced = Files.writeString(dir.resolve("referenced.yaml"), """
                shared_key: {env: MESH_SHARED_KEY}
                mailboxes:
                  - mailbox_id: X26ABC1
                    password: {env: MESH_PASSWORD}
                """);
        Map<String, String> environment = Map.of("MESH_SHARED_KEY", "TestKey", "MESH_PASSWORD", "password");
        for (Path file : List.of(literal, referenced)) {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        }

        String exposed = stderrOf(() -> GatewayConfigLoader.load(literal, environment));
        assertThat(exposed.lines().filter(line -> line.contains("WARN"))).singleElement().asString()
                .contains("event=settings_file_readable_by_others", "file=" + literal, "mode=rw-r--r--",
                        "secrets=mailboxes.password,shared_key")
                .doesNotContain("TestKey", "=password ");
        assertThat(stderrOf(() -> GatewayConfigLoader.load(referenced, environment))).doesNotContain("WARN");
        Files.setPosixFilePermissions(literal, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        assertThat(stderrOf(() -> GatewayConfigLoader.load(literal, environment))).doesNotContain("WARN");
    }

    private static String stderrOf(Runnable action) {
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(err);
        }
        return captured.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void theMetricsTokenIsASecretThatNeedsAPort() {
        GatewayConfig config = read(MINIMAL + "metrics:\n  port: 9464\n  host: 0.0.0.0\n  token: {env: SCRAPE}\n",
                Map.of("SCRAPE", "scrape-token"));
        assertThat(config.metrics().token().orElseThrow().reveal()).isEqualTo("scrape-token");
        assertThat(config.metrics().serverOptions().toString()).doesNotContain("scrape-token");
        assertThat(read(MINIMAL + "metrics:\n  port: 9464\n", Map.of("MESHGATE_METRICS_TOKEN", "t")).metrics()
                .token().orElseThrow().reveal()).isEqualTo("t");
        assertThatThrownBy(() -> read(MINIMAL + "metrics:\n  token: abc\n"))
                .hasMessage("metrics.token: needs metrics.port as well");
    }

    @Test
    void relativePathsResolveAgainstTheConfigurationFilesFolder() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("etc/meshgate"));
        Files.writeString(folder.resolve("ca.pem"), "placeholder");
        Files.writeString(folder.resolve("shared.key"), "TestKey\n");
        Path file = folder.resolve("meshgate.yaml");
        Files.writeString(file, """
                shared_key: {file: shared.key}
                ca_bundle: ca.pem
                mailboxes: [{mailbox_id: X26ABC1, password: password}]
                store: {root: ../../data}
                """);

        GatewayConfig config = GatewayConfigLoader.load(file, Map.of());

        assertThat(config.sharedKey().reveal()).isEqualTo("TestKey");
        assertThat(config.tls().caBundle()).contains(PemSource.file(folder.resolve("ca.pem")));
        assertThat(config.store().root()).isEqualTo(dir.resolve("data"));
        assertThat(config.ledger().path()).isEqualTo(dir.resolve("data/ledger/meshgate"));
    }

    @Test
    void missingFilesAreReportedWithTheSettingAndTheFile() throws Exception {
        assertThatThrownBy(() -> read(MINIMAL + "ca_bundle: missing.pem\n"))
                .hasMessage("ca_bundle: file " + dir.resolve("missing.pem") + " does not exist");
        Path file = dir.resolve("meshgate.yaml");
        Files.writeString(file, MINIMAL + "chunk_size: 1000\n");
        assertThatThrownBy(() -> GatewayConfigLoader.load(file, Map.of()))
                .hasMessage(file + ": chunk_size: must be more than 5 MiB (5242880 bytes), got 1000");
    }

    @Test
    void sizesAndDurationsAcceptTheirShortForms() {
        assertThat(SettingFormats.size("1048576")).isEqualTo(1_048_576L);
        assertThat(SettingFormats.size("512KiB")).isEqualTo(512L * 1024);
        assertThat(SettingFormats.size("19 MiB")).isEqualTo(19L * 1024 * 1024);
        assertThat(SettingFormats.size("1gib")).isEqualTo(1024L * 1024 * 1024);
        assertThatThrownBy(() -> SettingFormats.size("19MB")).hasMessageContaining("is not a size");
        assertThat(SettingFormats.duration("PT5M")).isEqualTo(Duration.ofMinutes(5));
        assertThat(SettingFormats.duration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(SettingFormats.duration("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(SettingFormats.duration("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(SettingFormats.duration("24h")).isEqualTo(Duration.ofHours(24));
        assertThat(SettingFormats.duration("1d")).isEqualTo(Duration.ofDays(1));
        assertThatThrownBy(() -> SettingFormats.duration("300")).hasMessageContaining("is not a duration");

        GatewayConfig config = read(MINIMAL + "compress_threshold: 4MiB\npoll_interval: 30m\n");
        assertThat(config.compressThreshold()).isEqualTo(4L * 1024 * 1024);
        assertThat(config.pollInterval()).isEqualTo(Duration.ofMinutes(30));
        assertThatThrownBy(() -> read(MINIMAL + "poll_interval: soon\n"))
                .hasMessageStartingWith("poll_interval: 'soon' is not a duration");
    }

    @Test
    void maxDecodedSizeDefaultsTo100GiBAndMustBePositive() {
        assertThat(read(MINIMAL).maxDecodedSize()).isEqualTo(100L * 1024 * 1024 * 1024);
        assertThat(read(MINIMAL + "max_decoded_size: 1MiB\n").maxDecodedSize()).isEqualTo(1024 * 1024);
        assertThatThrownBy(() -> read(MINIMAL + "max_decoded_size: 0\n"))
                .hasMessageStartingWith("max_decoded_size: must be at least 1 byte");
    }

    @Test
    void firstMatchingOutboundMappingWins() {
        GatewayConfig config = read(MINIMAL + """
                outbound_mappings:
                  - {prefix: outbound/X26ABC1/urgent/, mex_from: X26ABC1, mex_to: X26ABC3, mex_workflowid: URGENT}
                  - {prefix: outbound/X26ABC1/, mex_from: X26ABC1, mex_to: X26ABC2, mex_workflowid: ROUTINE}
                """);

        assertThat(config.outboundMappingFor("outbound/X26ABC1/urgent/a.csv").map(OutboundMapping::mexWorkflowId))
                .contains("URGENT");
        assertThat(config.outboundMappingFor("outbound/X26ABC1/b.csv").map(OutboundMapping::mexWorkflowId))
                .contains("ROUTINE");
        assertThat(config.outboundMappingFor("outbound/other/c.csv")).isEmpty();
        assertThatThrownBy(() -> read(MINIMAL + """
                outbound_mappings:
                  - {prefix: outbound/X/, mex_from: X26ZZZ9, mex_to: X26ABC2, mex_workflowid: W}
                """))
                .hasMessage("outbound_mappings[0].mex_from: X26ZZZ9 is not one of the configured mailboxes");
    }

    @Test
    void tlsFlagsCarryIntoTheMeshTls() {
        TlsSettings verified = TlsSettings.systemDefault();
        TlsSettings noHostname = new TlsSettings(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), true, false);
        TlsSettings insecure = new TlsSettings(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), false, true);

        MeshTls full = verified.toMeshTls();
        assertThat(full.verifies()).isTrue();
        assertThat(full.verifiesHostname()).isTrue();
        assertThat(noHostname.toMeshTls().verifies()).isTrue();
        assertThat(noHostname.toMeshTls().verifiesHostname()).isFalse();
        assertThat(insecure.toMeshTls().verifies()).isFalse();
    }

    @Test
    void clientCertificatesLoadFromPemWithAPassphraseOrFromPkcs12() throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("Test CA");
        IssuedCertificate client = ca.issueClient("X26ABC1");
        ca.writeCertificatePem(dir.resolve("ca.pem"));
        client.writeCertificatePem(dir.resolve("client.pem"));
        client.writeEncryptedPrivateKeyPem(dir.resolve("client.key"), "key-pass".toCharArray());
        client.writePkcs12(dir.resolve("client.p12"), "p12-pass".toCharArray());
        Files.writeString(dir.resolve("passphrase"), "key-pass\n");

        MeshTls pem = read(MINIMAL + """
                certificate: client.pem
                private_key: client.key
                private_key_passphrase: {file: passphrase}
                ca_bundle: ca.pem
                """).tls().toMeshTls();
        MeshTls pkcs12 = read(MINIMAL + """
                pkcs12: client.p12
                pkcs12_password: {env: P12_PASSWORD}
                ca_bundle: ca.pem
                """, Map.of("P12_PASSWORD", "p12-pass")).tls().toMeshTls();

        assertThat(pem.toString()).contains("clientCertificate=true");
        assertThat(pkcs12.toString()).contains("clientCertificate=true");
        assertThat(pem.verifies()).isTrue();
        assertThatThrownBy(() -> read(MINIMAL + """
                certificate: client.pem
                private_key: client.key
                private_key_passphrase: wrong-pass
                """).tls().toMeshTls())
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("tls: cannot decrypt private key")
                .hasMessageNotContaining("wrong-pass");
        assertThatThrownBy(() -> read(MINIMAL + "certificate: client.pem\n"))
                .hasMessage("private_key: is required with certificate");
    }

    @Test
    void duplicateKeysAndBadYamlAreReported() {
        assertThatThrownBy(() -> read(MINIMAL + "shared_key: again\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("shared_key")
                .hasMessageNotContaining("again");
        assertThatThrownBy(() -> read("- just\n- a list\n"))
                .hasMessage("configuration: must be a mapping of settings");
    }

    private static final String PROFILED = """
            shared_key: TestKey
            mesh_env: local
            chunk_size: 20MiB
            store:
              root: data
            mailboxes:
              - mailbox_id: X26ABC1
                password: password
            profiles:
              integration:
                mesh_env: integration
                mailbox: A1B2C3
                password: {env: MESH_INT_PASSWORD}
                store:
                  type: local
              production:
                base_url: https://mesh-sync.spineservices.nhs.uk
                chunk_size: 1000
            """;

    @Test
    void aProfileOverridesTheTopLevelSettings() {
        GatewayConfig config = GatewayConfigLoader.fromYaml(PROFILED, dir, Map.of("MESH_INT_PASSWORD", "secret"),
                Optional.of("integration"));

        assertThat(config.baseUrl()).isEqualTo(MeshEnvironment.INTEGRATION.baseUrl());
        assertThat(config.mailboxes()).extracting(MailboxConfig::mailboxId).containsExactly("A1B2C3");
        assertThat(config.mailboxes().get(0).password().reveal()).isEqualTo("secret");
        assertThat(config.chunkSize()).isEqualTo(20 * 1024 * 1024);
        assertThat(config.store().root()).isEqualTo(dir.resolve("data").toAbsolutePath().normalize());
    }

    @Test
    void withoutAProfileTheTopLevelSettingsApplyAndMeshgateProfileChoosesOne() {
        assertThat(read(PROFILED).baseUrl()).isEqualTo(MeshEnvironment.LOCAL_SANDBOX.baseUrl());
        assertThat(read(PROFILED).mailboxes()).extracting(MailboxConfig::mailboxId).containsExactly("X26ABC1");
        assertThat(read(PROFILED, Map.of("MESHGATE_PROFILE", "integration", "MESH_INT_PASSWORD", "x")).baseUrl())
                .isEqualTo(MeshEnvironment.INTEGRATION.baseUrl());
        assertThat(read(PROFILED, Map.of("MESHGATE_PROFILE", "integration", "MESHGATE_MESH_ENV", "dep",
                "MESH_INT_PASSWORD", "x")).baseUrl()).isEqualTo(MeshEnvironment.DEPLOYMENT.baseUrl());
    }

    @Test
    void profileErrorsNameTheProfile() {
        assertThatThrownBy(() -> GatewayConfigLoader.fromYaml(PROFILED, dir, Map.of(), Optional.of("production")))
                .hasMessageStartingWith("chunk_size (from profile production): must be more than 5 MiB");
        assertThatThrownBy(() -> GatewayConfigLoader.fromYaml(PROFILED, dir, Map.of(), Optional.of("staging")))
                .hasMessage("profile staging: not found; profiles: integration, production");
        assertThatThrownBy(() -> GatewayConfigLoader.fromYaml(MINIMAL, dir, Map.of(), Optional.of("staging")))
                .hasMessage("profile staging: not found (the configuration has no profiles:)");
        assertThatThrownBy(() -> GatewayConfigLoader.fromYaml(MINIMAL + "profiles:\n  local:\n    chunk_sise: 1\n",
                dir, Map.of(), Optional.of("local")))
                .hasMessage("profiles.local.chunk_sise: unknown setting (did you mean chunk_size?)");
    }

    @Test
    void oneMailboxCanBeGivenAsMailboxAndPassword() {
        GatewayConfig config = read("shared_key: TestKey\nmailbox: x26abc3\npassword: password\n");

        assertThat(config.mailboxes()).hasSize(1);
        assertThat(config.mailboxes().get(0).mailboxId()).isEqualTo("X26ABC3");
        assertThat(config.mailboxes().get(0).password().reveal()).isEqualTo("password");
        assertThat(read("shared_key: TestKey\nmailbox: X26ABC3\n",
                Map.of("MESHGATE_PASSWORD", "from-env")).mailboxes().get(0).password().reveal()).isEqualTo("from-env");
        assertThat(read(MINIMAL, Map.of("MESHGATE_MAILBOX", "X26ABC2", "MESHGATE_PASSWORD", "p")).mailboxes())
                .extracting(MailboxConfig::mailboxId).containsExactly("X26ABC2");
    }

    @Test
    void mailboxShorthandAndTheMailboxesListAreExclusive() {
        assertThatThrownBy(() -> read(MINIMAL + "mailbox: X26ABC2\npassword: p\n"))
                .hasMessage("mailbox: set mailbox (with password) for one mailbox, or mailboxes, not both");
        assertThatThrownBy(() -> read(MINIMAL + "password: p\n"))
                .hasMessageStartingWith("password: is set but mailbox is not");
        assertThatThrownBy(() -> read("shared_key: TestKey\nmailbox: X26ABC3\n"))
                .hasMessage("password: is required for X26ABC3 (or set MESHGATE_MAILBOX_X26ABC3_PASSWORD)");
    }

    @Test
    void disableSslVerificationIsGuardedLikeVerifySsl() {
        assertThat(read(MINIMAL + "base_url: https://localhost:8700\ndisable_ssl_verification: true\n").tls()
                .verifySsl()).isFalse();
        assertThat(read(MINIMAL + "disable_ssl_verification: false\n").tls().verifySsl()).isTrue();
        assertThatThrownBy(() -> read(MINIMAL + "mesh_env: integration\ndisable_ssl_verification: true\n"))
                .hasMessageStartingWith("disable_ssl_verification: true is only allowed for a sandbox on localhost "
                        + "or 127.0.0.1, not msg.intspineservices.nhs.uk");
        assertThatThrownBy(() -> read(MINIMAL + "verify_ssl: true\ndisable_ssl_verification: true\n"))
                .hasMessage("disable_ssl_verification: contradicts verify_ssl; set only one of them");
    }

    @Test
    void readsAnS3StoreAndAPostgresqlLedgerForSeveralNodes() {
        GatewayConfig config = read(MINIMAL + """
                node_id: node-7
                outbound_lease: 30s
                store:
                  type: s3
                  bucket: mesh-bucket
                  region: eu-west-2
                  endpoint: http://127.0.0.1:9000
                  path_style: true
                  access_key_id: {env: S3_KEY}
                  secret_access_key: {env: S3_SECRET}
                  part_size: 8MiB
                ledger:
                  type: postgresql
                  jdbc_url: jdbc:postgresql://db:5432/meshgate
                  user: meshgate
                  password: {env: DB_PASSWORD}
                """, Map.of("S3_KEY", "key", "S3_SECRET", "s3-secret", "DB_PASSWORD", "db-secret"));

        StoreSettings.S3Settings s3 = config.store().s3().orElseThrow();
        assertThat(s3.bucket()).isEqualTo("mesh-bucket");
        assertThat(s3.region()).contains("eu-west-2");
        assertThat(s3.endpoint()).contains(java.net.URI.create("http://127.0.0.1:9000"));
        assertThat(s3.pathStyle()).isTrue();
        assertThat(s3.partSize()).isEqualTo(8 * 1024 * 1024);
        assertThat(s3.secretAccessKey().orElseThrow().reveal()).isEqualTo("s3-secret");
        LedgerSettings.PostgresSettings postgres = config.ledger().postgres().orElseThrow();
        assertThat(postgres.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/meshgate");
        assertThat(postgres.password().orElseThrow().reveal()).isEqualTo("db-secret");
        assertThat(config.nodeId()).isEqualTo("node-7");
        assertThat(config.outboundLease()).isEqualTo(java.time.Duration.ofSeconds(30));
        assertThat(config.toString()).doesNotContain("s3-secret").doesNotContain("db-secret");
    }

    @Test
    void namesWhatAnS3StoreOrPostgresqlLedgerLacks() {
        assertThatThrownBy(() -> read(MINIMAL + "store:\n  type: s3\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("bucket");
        assertThatThrownBy(() -> read(MINIMAL + "store:\n  type: s3\n  bucket: b\n  access_key_id: k\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("secret_access_key");
        assertThatThrownBy(() -> read(MINIMAL + "ledger:\n  type: postgresql\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("jdbc_url");
    }

    @Test
    void acceptsTheTerraformModulesScheduleNamesAndRateExpressions() {
        GatewayConfig config = read(MINIMAL + "get_messages_schedule: rate(10 minutes)\nhandshake_schedule: rate(1 hour)\n");

        assertThat(config.pollInterval()).isEqualTo(Duration.ofMinutes(10));
        assertThat(config.handshakeInterval()).isEqualTo(Duration.ofHours(1));
        assertThat(read(MINIMAL + "handshake_schedule: 12h\n").handshakeInterval()).isEqualTo(Duration.ofHours(12));
        assertThatThrownBy(() -> read(MINIMAL + "poll_interval: 5m\nget_messages_schedule: rate(5 minutes)\n"))
                .hasMessageContaining("get_messages_schedule: set poll_interval or get_messages_schedule");
        assertThatThrownBy(() -> read(MINIMAL + "handshake_schedule: cron(0 * * * ? *)\n"))
                .hasMessageContaining("handshake_schedule: cron expressions are not supported");
    }

    @Test
    void readsTheEventBridgeAndSnsEventSettings() {
        GatewayConfig config = read(MINIMAL + """
                events:
                  eventbridge_bus: mesh-events
                  eventbridge_endpoint: http://127.0.0.1:4010
                  sns_topic_arn: arn:aws:sns:eu-west-2:123456789012:mesh-events
                  aws_region: eu-west-2
                """);

        assertThat(config.events().aws()).isEqualTo(new AwsEventSettings(java.util.Optional.of("mesh-events"),
                "meshgate", java.util.Optional.of(java.net.URI.create("http://127.0.0.1:4010")),
                java.util.Optional.of("arn:aws:sns:eu-west-2:123456789012:mesh-events"), java.util.Optional.empty(),
                java.util.Optional.of("eu-west-2")));
        assertThatThrownBy(() -> read(MINIMAL + "events: {eventbridge_bus: b, eventbridge_source: aws.s3}\n"))
                .hasMessageContaining("events.eventbridge_source: must not start with aws.");
        assertThatThrownBy(() -> read(MINIMAL + "events: {sns_topic_arn: mesh-events}\n"))
                .hasMessageContaining("events.sns_topic_arn: must be a topic ARN");
    }

    @Test
    void aLedgerTypeNoProviderOpensNamesTheTypesThereAre() {
        assertThatThrownBy(() -> read(MINIMAL + "ledger:\n  type: dynamodb\n  table: t1\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("ledger.type: must be one of embedded, postgresql")
                .hasMessageContaining("needs meshgate-aws on the class path");
    }
}
