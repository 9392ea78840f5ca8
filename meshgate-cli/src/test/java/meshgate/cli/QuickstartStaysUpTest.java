package meshgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code meshgate quickstart} as a person runs it, a process of its own: after the demo the sandbox and the gateway
 * keep running, a file dropped as it says goes to the other mailbox, the operator's commands read the running
 * gateway's ledger from another process, and SIGTERM (as Ctrl-C) stops it cleanly.
 */
class QuickstartStaysUpTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void quickstartKeepsTheGatewayRunningUntilStoppedAndTheCommandsItPrintsWork() throws Exception {
        Path data = dir.resolve("meshgate-data");
        Path config = data.resolve("meshgate.yaml");
        try (MeshgateProcess quickstart = MeshgateProcess.start(dir, "quickstart", "--data-dir", data.toString())) {
            quickstart.awaitOutputLine("the demo to end and the gateway to keep running",
                    line -> line.startsWith("Running. Ctrl-C to stop."));
            assertThat(quickstart.output()).contains("tracking says: acknowledged",
                    "./meshgate status --config " + config, "./meshgate messages --config " + config);

            Path outbound = data.resolve("outbound");
            Files.writeString(outbound.resolve("hello.txt.meta.json"), "{\"mex-from\": \"X26ABC1\", \"mex-to\": "
                    + "\"X26ABC2\", \"mex-workflowid\": \"TEST_WORKFLOW\"}");
            Files.move(Files.writeString(outbound.resolve(".hello.txt"), "hello\n"), outbound.resolve("hello.txt"));
            JsonNode hello = awaitMessage(config, "hello.txt", "ACCEPTED", "ACKNOWLEDGED");
            assertThat(hello.path("from").asText()).isEqualTo("X26ABC1");
            assertThat(hello.path("message_id").asText()).isNotBlank();

            CliRun status = CliRun.run(Map.of(), "status", "--config", config.toString());
            assertThat(status.exitCode()).as(status.toString()).isZero();
            assertThat(status.out()).contains("Mailbox X26ABC1", "Mailbox X26ABC2", "handshake:     ok at ",
                    "at the last poll", "Nothing needs a person.");

            // The web console it prints shows the same file.
            java.util.regex.Matcher console = java.util.regex.Pattern.compile("Web console: (http://127\\.0\\.0\\.1:\\d+/)")
                    .matcher(quickstart.output());
            assertThat(console.find()).as(quickstart.output()).isTrue();
            var http = java.net.http.HttpClient.newHttpClient();
            var page = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(console.group(1)
                    + "search?q=hello.txt")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("hello.txt", hello.path("message_id").asText());

            assertThat(quickstart.stop(Duration.ofSeconds(90))).as(quickstart.output()).isTrue();
            assertThat(quickstart.output()).contains("Stopping the gateway and the sandbox...", "Stopped.");
        }
        assertThat(data.resolve("ledger/meshgate.lock.db")).doesNotExist();
    }

    @Test
    void stoppingItDuringTheDemoClosesTheGatewayAndTheSandbox() throws Exception {
        Path data = dir.resolve("meshgate-data");
        try (MeshgateProcess quickstart = MeshgateProcess.start(dir, "quickstart", "--once", "--data-dir",
                data.toString())) {
            quickstart.awaitOutputLine("the gateway to start", line -> line.startsWith("3. Gateway running"));

            assertThat(quickstart.stop(Duration.ofSeconds(90))).as(quickstart.output()).isTrue();

            assertThat(quickstart.output()).containsPattern("Stopped( before the demo finished)?\\.");
        }
        assertThat(data.resolve("ledger/meshgate.lock.db")).doesNotExist();
    }

    /** Asks {@code meshgate messages} until the one message matching {@code search} is in one of {@code states}. */
    private static JsonNode awaitMessage(Path config, String search, String... states) throws Exception {
        Instant end = Instant.now().plus(Duration.ofSeconds(120));
        CliRun last = null;
        while (Instant.now().isBefore(end)) {
            last = CliRun.run(Map.of(), "messages", "--config", config.toString(), "--search", search, "--json");
            if (last.exitCode() == 0) {
                JsonNode found = JSON.readTree(last.out()).path("messages");
                if (found.size() == 1 && java.util.List.of(states).contains(found.get(0).path("state").asText())) {
                    return found.get(0);
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("timed out waiting for " + search + " to be " + String.join(" or ", states) + "\n"
                + last);
    }
}
