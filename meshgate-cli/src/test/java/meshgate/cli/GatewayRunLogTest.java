package meshgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import meshgate.sandbox.MeshSandbox;
import meshgate.sandbox.tls.LocalCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code meshgate gateway run} as an operator runs it, a process of its own against the sandbox and a local folder
 * store: a file dropped under outbound/ is sent to the other mailbox of the same gateway, received and acknowledged,
 * and the log tells each step at INFO, in text and in JSON.
 */
class GatewayRunLogTest {
    private static final String PASSPHRASE = "log-test-passphrase";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path shared;

    static LocalCertificates certificates;
    static MeshSandbox sandbox;

    @TempDir
    Path dir;

    @BeforeAll
    static void startSandbox() throws Exception {
        certificates = LocalCertificates.openOrCreate(shared.resolve("tls"), List.of("X26ABC1", "X26ABC2"), PASSPHRASE);
        sandbox = MeshSandbox.builder().https(certificates.serverContext()).requireClientCertificate(true).start();
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }

    @Test
    void gatewayRunLogsTheSendAndTheReceiptAtInfoAsText() throws Exception {
        Path settings = settings("");
        try (MeshgateProcess gateway = MeshgateProcess.start(dir, "gateway", "run", "--config", settings.toString())) {
            // Dropped once started: what is already under outbound/ at the first start is adopted, not sent
            gateway.awaitLogLine("gateway_started", line -> line.contains("gateway_started"));
            drop("text-run");
            String accepted = gateway.awaitLogLine("outbound_accepted",
                    line -> line.contains("outbound_accepted") && line.contains("text-run.csv"));
            String messageId = accepted.replaceAll(".* message_id=(\\S+).*", "$1");
            String acknowledged = gateway.awaitLogLine("inbound_acknowledged",
                    line -> line.contains("inbound_acknowledged") && line.contains(messageId));

            assertThat(accepted).contains(" INFO ", "outbound_accepted key=outbound/text-run.csv from=X26ABC1 "
                    + "to=X26ABC2 workflow_id=TEST_WORKFLOW message_id=" + messageId);
            assertThat(acknowledged).contains(" INFO ", "inbound_acknowledged mailbox=X26ABC2 message_id=" + messageId);
        }
    }

    @Test
    void gatewayRunLogsOneJsonObjectPerLineWithTheFieldsOfTheTextLine() throws Exception {
        Path settings = settings("logging:\n  format: json\n");
        try (MeshgateProcess gateway = MeshgateProcess.start(dir, "gateway", "run", "--config", settings.toString())) {
            // Dropped once started: what is already under outbound/ at the first start is adopted, not sent
            gateway.awaitLogLine("gateway_started", line -> line.contains("gateway_started"));
            drop("json-run");
            String accepted = gateway.awaitLogLine("outbound_accepted",
                    line -> line.contains("\"outbound_accepted\"") && line.contains("json-run.csv"));
            JsonNode sent = JSON.readTree(accepted);
            String messageId = sent.path("message_id").asText();
            JsonNode received = JSON.readTree(gateway.awaitLogLine("inbound_acknowledged",
                    line -> line.contains("\"inbound_acknowledged\"") && line.contains(messageId)));

            assertThat(messageId).isNotBlank();
            assertThat(sent.path("event").asText()).isEqualTo("outbound_accepted");
            assertThat(sent.path("level").asText()).isEqualTo("INFO");
            assertThat(sent.path("logger").asText()).startsWith("meshgate.gateway.outbound.");
            assertThat(sent.path("thread").asText()).isNotBlank();
            assertThat(sent.path("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d.*Z");
            assertThat(sent.path("message").asText()).startsWith("outbound_accepted key=outbound/json-run.csv ");
            assertThat(sent.path("key").asText()).isEqualTo("outbound/json-run.csv");
            assertThat(sent.path("from").asText()).isEqualTo("X26ABC1");
            assertThat(sent.path("to").asText()).isEqualTo("X26ABC2");
            assertThat(sent.path("workflow_id").asText()).isEqualTo("TEST_WORKFLOW");
            assertThat(sent.path("chunks").asText()).isEqualTo("1");
            assertThat(received.path("event").asText()).isEqualTo("inbound_acknowledged");
            assertThat(received.path("level").asText()).isEqualTo("INFO");
            assertThat(received.path("mailbox").asText()).isEqualTo("X26ABC2");
            assertThat(received.path("message_id").asText()).isEqualTo(messageId);
            assertThat(received.path("key").asText()).startsWith("inbound/X26ABC2/");
            assertThat(everyLineIsAJsonObject(gateway.logLines())).as(gateway.output()).isTrue();
        }
    }

    private static boolean everyLineIsAJsonObject(List<String> lines) {
        List<String> notJson = new ArrayList<>();
        for (String line : lines) {
            try {
                if (!JSON.readTree(line).isObject()) {
                    notJson.add(line);
                }
            } catch (IOException e) {
                notJson.add(line);
            }
        }
        return notJson.isEmpty();
    }

    private Path settings(String extra) throws IOException {
        Files.writeString(dir.resolve("passphrase.txt"), PASSPHRASE + "\n");
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
                    .append("    private_key_passphrase: {file: passphrase.txt}\n");
        }
        yaml.append("store: {type: local, root: ").append(dir.resolve("data")).append("}\n")
                .append("poll_interval: 1s\n")
                .append("outbound_rescan_interval: 1s\n")
                .append("outbound_settle_time: 200ms\n")
                .append(extra);
        Path file = dir.resolve("meshgate.yaml");
        Files.writeString(file, yaml);
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    /** Writes under a hidden name and renames, as docs/operations.md asks of writers. */
    private void drop(String name) throws IOException {
        Path outbound = Files.createDirectories(dir.resolve("data/outbound"));
        Files.writeString(outbound.resolve(name + ".csv.meta.json"), "{\"mex-from\": \"X26ABC1\", \"mex-to\": "
                + "\"X26ABC2\", \"mex-workflowid\": \"TEST_WORKFLOW\", \"mex-localid\": \"" + name + "\"}");
        Path hidden = Files.writeString(outbound.resolve("." + name + ".csv.writing"), "NHS_NUMBER|PROGRAMME\n"
                + "9434765919|HPV\n");
        Files.move(hidden, outbound.resolve(name + ".csv"));
    }
}
