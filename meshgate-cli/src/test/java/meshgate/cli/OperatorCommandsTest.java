package meshgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import meshgate.gateway.Gateway;
import meshgate.gateway.config.GatewayConfigLoader;
import meshgate.gateway.ledger.InboundState;
import meshgate.gateway.ledger.OutboundRecord;
import meshgate.gateway.ledger.OutboundState;
import meshgate.sandbox.MeshSandbox;
import meshgate.sandbox.tls.LocalCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code meshgate status}, {@code messages} and {@code retry} against a running gateway (the sandbox over mutual TLS,
 * a local folder store, the ledger of a subclass) that has sent and received one file and failed another: the
 * commands read its settings file, as {@code gateway run} does, and open its ledger while it runs.
 */
abstract class OperatorCommandsTest {
    private static final String PASSPHRASE = "operator-test";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    private MeshSandbox sandbox;
    private Gateway gateway;
    private Path config;
    private Path data;

    /** The settings file's {@code ledger:} line, for a ledger under {@code data} or of the subclass's own. */
    abstract String ledger(Path data);

    @BeforeEach
    void startGateway() throws IOException {
        LocalCertificates certificates = LocalCertificates.openOrCreate(dir.resolve("tls"),
                List.of("X26ABC1", "X26ABC2"), PASSPHRASE);
        sandbox = MeshSandbox.builder().https(certificates.serverContext()).requireClientCertificate(true).start();
        data = dir.resolve("data");
        Path passphrase = Files.writeString(dir.resolve("passphrase.txt"), PASSPHRASE + "\n");
        StringBuilder yaml = new StringBuilder()
                .append("base_url: ").append(sandbox.baseUrl()).append('\n')
                .append("shared_key: TestKey\n")
                .append("ca_bundle: ").append(certificates.caBundle()).append('\n')
                .append("mailboxes:\n");
        for (String mailbox : List.of("X26ABC1", "X26ABC2")) {
            yaml.append("  - mailbox_id: ").append(mailbox).append('\n')
                    .append("    password: password\n")
                    .append("    certificate: ").append(certificates.clientCertificate(mailbox)).append('\n')
                    .append("    private_key: ").append(certificates.clientKey(mailbox)).append('\n')
                    .append("    private_key_passphrase: {file: ").append(passphrase).append("}\n");
        }
        yaml.append("store: {type: local, root: ").append(data).append("}\n")
                .append(ledger(data)).append('\n')
                .append("poll_interval: 500ms\n")
                .append("outbound_rescan_interval: 500ms\n")
                .append("outbound_settle_time: 200ms\n")
                .append("tracking_interval: 1s\n");
        config = Files.writeString(dir.resolve("meshgate.yaml"), yaml);
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));
        gateway = Gateway.start(GatewayConfigLoader.load(config, Map.of()));
    }

    @AfterEach
    void stopGateway() {
        if (gateway != null) {
            gateway.close();
        }
        sandbox.close();
    }

    @Test
    void statusMessagesAndRetryFollowASentAFailedAndARetriedFile() throws Exception {
        drop("daily.csv", "{\"mex-from\": \"X26ABC1\", \"mex-to\": \"X26ABC2\", \"mex-workflowid\": \"TEST_WORKFLOW\", "
                + "\"mex-localid\": \"daily-local\"}");
        drop("broken.csv", "{\"mex-from\": \"X26ABC1\", \"mex-workflowid\": \"TEST_WORKFLOW\"}");
        OutboundRecord sent = await("daily.csv to be acknowledged", () -> {
            gateway.pollNow();
            gateway.trackNow();
            return outbound("outbound/daily.csv").filter(r -> r.state() == OutboundState.ACKNOWLEDGED);
        });
        OutboundRecord failed = await("broken.csv to fail",
                () -> outbound("outbound/broken.csv").filter(r -> r.state() == OutboundState.FAILED));
        await("both mailboxes' handshake and poll to be recorded", () -> Optional.of(true).filter(x ->
                List.of("X26ABC1", "X26ABC2").stream().allMatch(m -> gateway.ledger().mailboxActivity(m)
                        .filter(a -> a.handshakeAt() != null && a.polledAt() != null).isPresent())));

        CliRun status = cli("status");
        assertThat(status.exitCode()).as(status.toString()).isEqualTo(StatusCommand.NEEDS_A_PERSON);
        assertThat(status.out()).contains("Outbound: 0 queued, 0 sending, 0 awaiting acknowledgement, 1 failed",
                "Mailbox X26ABC1", "Mailbox X26ABC2", "handshake:     ok at ", "0 messages at the last poll",
                "Failed before sending began, so of no mailbox yet: 1",
                "outbound/broken.csv: missing recipient", "Needs a person.");
        JsonNode statusJson = JSON.readTree(cli("status", "--json").out());
        assertThat(statusJson.path("needs_a_person").asBoolean()).isTrue();
        assertThat(statusJson.path("failed_without_mailbox").get(0).path("key").asText())
                .isEqualTo("outbound/broken.csv");

        CliRun one = cli("messages", "--search", "daily.csv");
        assertThat(one.exitCode()).as(one.toString()).isZero();
        assertThat(one.out()).contains("Sent message " + sent.id() + ": outbound/daily.csv",
                "message_id:", sent.meshMessageId(), "tracking_status:", "acknowledged", "acknowledged_at:",
                "sent_key:", "sent/" + sent.meshMessageId() + "/daily.csv", "History:", "QUEUED", "SENDING",
                "ACCEPTED", "ACKNOWLEDGED");
        JsonNode byLocalId = JSON.readTree(cli("messages", "--search", "DAILY-LOCAL", "--json").out());
        assertThat(byLocalId.path("count").asInt()).isEqualTo(1);
        JsonNode daily = byLocalId.path("messages").get(0);
        assertThat(daily.path("message_id").asText()).isEqualTo(sent.meshMessageId());
        assertThat(daily.path("tracking_status").asText()).isEqualTo("acknowledged");
        assertThat(daily.path("acknowledged_at").asText()).isNotBlank();
        assertThat(daily.path("history").findValuesAsText("state"))
                .containsExactly("QUEUED", "SENDING", "ACCEPTED", "ACKNOWLEDGED");

        CliRun received = cli("messages", "--search", sent.meshMessageId());
        assertThat(received.out()).as(received.toString()).contains("DIR", "out ", "in ", "2 messages");
        assertThat(cli("messages", "--mailbox", "X26ABC2", "--state", "acknowledged").out())
                .contains("outbound/daily.csv", "inbound/X26ABC2/", "2 messages");
        assertThat(cli("messages", "--state", "failed").out())
                .contains("Sent message " + failed.id() + ": outbound/broken.csv", "reason:");
        assertThat(cli("messages", "--state", "failed", "--since", "1h", "--json").out())
                .contains("\"count\" : 1");
        assertThat(cli("messages", "--state", "stuck").exitCode()).isEqualTo(ErrorHandler.USAGE);

        CliRun unknown = cli("retry", "999999");
        assertThat(unknown.exitCode()).isEqualTo(ErrorHandler.LOCAL_FAILURE);
        assertThat(unknown.err()).contains("no outbound record with id 999999");
        CliRun notFailed = cli("retry", "outbound/daily.csv");
        assertThat(notFailed.exitCode()).isEqualTo(ErrorHandler.LOCAL_FAILURE);
        assertThat(notFailed.err()).contains("is ACKNOWLEDGED, not FAILED");

        // The person fixes the cause where the file waits, then retries it.
        Path failedMeta = data.resolve("failed/broken.csv.meta.json");
        assertThat(data.resolve("failed/broken.csv.reason.txt")).exists();
        Files.writeString(failedMeta, "{\"mex-from\": \"X26ABC1\", \"mex-to\": \"X26ABC2\", \"mex-workflowid\": "
                + "\"TEST_WORKFLOW\"}");
        CliRun retry = cli("retry", "broken.csv");
        assertThat(retry.exitCode()).as(retry.toString()).isZero();
        assertThat(retry.out()).contains("Moved failed/broken.csv back to outbound/broken.csv");
        assertThat(data.resolve("failed/broken.csv")).doesNotExist();
        assertThat(data.resolve("failed/broken.csv.reason.txt")).doesNotExist();

        OutboundRecord resent = await("broken.csv to be delivered after the retry", () -> {
            gateway.pollNow();
            gateway.trackNow();
            return gateway.ledger().findOutbound(failed.id()).filter(r -> r.state() == OutboundState.ACKNOWLEDGED);
        });
        assertThat(resent.attempts()).isGreaterThanOrEqualTo(1);
        assertThat(gateway.ledger().findInbound("X26ABC2", resent.meshMessageId()).orElseThrow().state())
                .isEqualTo(InboundState.ACKNOWLEDGED);

        CliRun after = cli("status");
        assertThat(after.exitCode()).as(after.toString()).isZero();
        assertThat(after.out()).contains("Nothing needs a person.");
        assertThat(cli("retry", String.valueOf(failed.id())).err()).contains("not FAILED");
    }

    @Test
    void retryRecordsThePersonBeforeTheGatewaySeesTheFile() throws Exception {
        gateway.close();
        gateway = null;
        Files.createDirectories(data.resolve("failed"));
        // A record failed by an earlier run, its file waiting in failed/ under a name with its archive time.
        try (meshgate.gateway.ledger.OpenLedger opened = meshgate.gateway.ledger.OpenLedger.open(
                GatewayConfigLoader.load(config, Map.of()).ledger(), java.time.Clock.systemUTC())) {
            Path file = Files.writeString(data.resolve("failed/weekly.2026-11-30T101500Z.csv"), "a|b\n");
            OutboundRecord record = opened.ledger().recordOutbound("outbound/weekly.csv", Files.size(file),
                    Files.getLastModifiedTime(file).toInstant());
            opened.ledger().updateOutbound(record.failed("no mex-to", false));
        }

        CliRun retry = cli("retry", "failed/weekly.2026-11-30T101500Z.csv");

        assertThat(retry.exitCode()).as(retry.toString()).isZero();
        assertThat(data.resolve("outbound/weekly.csv")).hasContent("a|b");
        JsonNode weekly = JSON.readTree(cli("messages", "--search", "weekly", "--json").out()).path("messages").get(0);
        assertThat(weekly.path("state").asText()).isEqualTo("QUEUED");
        assertThat(weekly.path("reason").asText()).startsWith("retried by a person at ");
    }

    @Test
    void statusNeedsAPersonWhenMeshRefusesAMailbox() throws Exception {
        sandbox.changePassword("X26ABC2", "changed by the service desk");

        await("X26ABC2's refused handshake to be recorded", () -> gateway.ledger().mailboxActivity("X26ABC2")
                .filter(a -> a.handshakeFailed()));
        CliRun status = cli("status");

        assertThat(status.exitCode()).as(status.toString()).isEqualTo(StatusCommand.NEEDS_A_PERSON);
        assertThat(status.out()).contains("Mailbox X26ABC2  NEEDS A PERSON", "handshake:     FAILED at ",
                "last error:    ", "handshake failed: ", "Outbound: 0 queued, 0 sending, 0 awaiting acknowledgement, "
                        + "0 failed");
        assertThat(status.out()).doesNotContain("Mailbox X26ABC1  NEEDS A PERSON");
    }

    @Test
    void statusShowsEachSendWithItsChunksSoFarAndWhatAwaitsAcknowledgement() throws Exception {
        gateway.close();
        gateway = null;
        try (meshgate.gateway.ledger.OpenLedger opened = meshgate.gateway.ledger.OpenLedger.open(
                GatewayConfigLoader.load(config, Map.of()).ledger(), java.time.Clock.systemUTC())) {
            var ledger = opened.ledger();
            OutboundRecord big = ledger.recordOutbound("outbound/big.csv", 50_000_000, Instant.now());
            ledger.updateOutbound(big.sending("X26ABC1", "X26ABC2", "TEST_WORKFLOW", "big-1", 10_000_000, false,
                    Instant.now()).progress("20261207000000000000_BIG", 2, 5));
            OutboundRecord small = ledger.recordOutbound("outbound/small.csv", 10, Instant.now());
            ledger.updateOutbound(small.sending("X26ABC1", "X26ABC2", "TEST_WORKFLOW", "small-1", 10_000_000, false,
                    Instant.now()).accepted("20261207000000000000_SMALL", Instant.now()));
            ledger.recordOutbound("outbound/next.csv", 10, Instant.now());
        }

        CliRun status = cli("status");
        CliRun sending = cli("messages", "--state", "sending");

        assertThat(status.exitCode()).as(status.toString()).isZero();
        assertThat(status.out()).contains("Outbound: 1 queued, 1 sending, 1 awaiting acknowledgement, 0 failed",
                "  sending:       1\n                   outbound/big.csv  chunk 2/5", "  awaiting ack:  1");
        assertThat(sending.out()).contains("chunks:", "2/5", "chunk 2/5 sent", "20261207000000000000_BIG");
    }

    private CliRun cli(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.add("--config");
        all.add(config.toString());
        return CliRun.run(Map.of(), all.toArray(String[]::new));
    }

    private Optional<OutboundRecord> outbound(String key) {
        return gateway.ledger().outbound(OutboundState.values()).stream().filter(r -> r.objectKey().equals(key))
                .findFirst();
    }

    /** Writes the metadata, then the file under a hidden name and renames it, as docs/operations.md asks. */
    private void drop(String name, String metadata) throws IOException {
        Path outbound = Files.createDirectories(data.resolve("outbound"));
        Files.writeString(outbound.resolve(name + ".meta.json"), metadata);
        Path hidden = Files.writeString(outbound.resolve("." + name + ".writing"), "NHS_NUMBER|PROGRAMME\n"
                + "9434765919|HPV\n");
        Files.move(hidden, outbound.resolve(name));
    }

    private static <T> T await(String what, Supplier<Optional<T>> probe) throws InterruptedException {
        Instant end = Instant.now().plus(PATIENCE);
        while (Instant.now().isBefore(end)) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting for " + what);
    }
}
