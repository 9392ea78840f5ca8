package meshgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import meshgate.sandbox.MeshSandbox;
import meshgate.sandbox.tls.LocalCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every MESH command against the sandbox over HTTPS with client certificates, configured by a YAML file. */
class MeshCommandsTest {
    private static final String PASSPHRASE = "cli-test-passphrase";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path shared;

    static LocalCertificates certificates;
    static MeshSandbox sandbox;
    static int closedPort;

    @TempDir
    Path dir;

    Path config;

    @BeforeAll
    static void startSandbox() throws Exception {
        certificates = LocalCertificates.openOrCreate(shared.resolve("tls"), List.of("X26ABC1", "X26ABC2"), PASSPHRASE);
        sandbox = MeshSandbox.builder().https(certificates.serverContext()).requireClientCertificate(true).start();
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }

    @BeforeEach
    void writeSettings() throws Exception {
        sandbox.reset();
        Files.writeString(dir.resolve("passphrase.txt"), PASSPHRASE + "\n");
        config = settings("base_url: " + sandbox.baseUrl() + "\n");
    }

    private Path settings(String connection) throws Exception {
        return Files.writeString(dir.resolve("meshgate.yaml"), connection + """
                shared_key: TestKey
                ca_bundle: %1$s
                certificate: %2$s
                private_key: %3$s
                private_key_passphrase: {file: passphrase.txt}
                chunk_size: 6MiB
                compress_threshold: 1MiB
                mailboxes:
                  - mailbox_id: X26ABC1
                    password: password
                  - mailbox_id: X26ABC2
                    password: {env: X26ABC2_PASSWORD}
                    certificate: %4$s
                    private_key: %5$s
                    private_key_passphrase: {file: passphrase.txt}
                """.formatted(certificates.caBundle(), certificates.clientCertificate("X26ABC1"),
                certificates.clientKey("X26ABC1"), certificates.clientCertificate("X26ABC2"),
                certificates.clientKey("X26ABC2")));
    }

    private CliRun meshgate(String... args) {
        return meshgate(Map.of(), args);
    }

    private CliRun meshgate(Map<String, String> variables, String... args) {
        return meshgateWithInput(variables, new byte[0], args);
    }

    private CliRun meshgateWithInput(Map<String, String> variables, byte[] stdin, String... args) {
        Map<String, String> environment = new HashMap<>(variables);
        environment.putIfAbsent("X26ABC2_PASSWORD", "password");
        environment.putIfAbsent("MESHGATE_CONFIG", config.toString());
        return CliRun.run(environment, stdin, args);
    }

    private String send(String workflow, String text) throws Exception {
        Path file = Files.writeString(dir.resolve("message.txt"), text);
        CliRun sent = meshgate("send", "--to", "X26ABC2", "--workflow", workflow, file.toString());
        assertThat(sent.exitCode()).as(sent.toString()).isZero();
        return sent.out().strip();
    }

    private static void assertOneClearLine(CliRun run, int exitCode, String containing) {
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(exitCode);
        assertThat(run.err().lines()).as(run.toString()).hasSize(1);
        assertThat(run.err()).startsWith("meshgate: ").contains(containing).doesNotContain("\tat ");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void validateMailboxSaysTheMailboxIsValid() {
        CliRun run = meshgate("validate-mailbox");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).isEqualTo("X26ABC1 is valid at " + sandbox.baseUrl() + "\n");
    }

    @Test
    void sendThenGetReturnsTheSameBytesThroughChunksAndCompression() throws Exception {
        byte[] content = csv(13 * 1024 * 1024, 4);
        Path file = Files.write(dir.resolve("export.bin"), content);

        CliRun sent = meshgate("send", "--to", "X26ABC2", "--workflow", "TEST_WORKFLOW", "--subject", "nightly export",
                "--local-id", "export-1", file.toString());

        assertThat(sent.exitCode()).as(sent.toString()).isZero();
        String messageId = sent.out().strip();
        assertThat(messageId).isNotBlank().doesNotContain("\n");
        // A slow machine may print progress lines first; the summary is the line that ends the send
        assertThat(sent.err()).containsPattern("(?m)(^|\r)sent 13\\.0 MiB in ");

        Path received = dir.resolve("in/export.bin");
        CliRun got = meshgate("get", messageId, "-o", received.toString(), "--headers", "--mailbox", "X26ABC2");

        assertThat(got.exitCode()).as(got.toString()).isZero();
        assertThat(Files.readAllBytes(received)).isEqualTo(content);
        assertThat(got.out()).contains("mex-from: X26ABC1", "mex-subject: nightly export", "mex-localid: export-1",
                "mex-filename: export.bin", "content-encoding: gzip");
        try (var leftovers = Files.list(received.getParent())) {
            assertThat(leftovers).containsExactly(received);
        }

        CliRun raw = meshgate("get", messageId, "--raw", "-q", "--mailbox", "X26ABC2");
        assertThat(raw.exitCode()).as(raw.toString()).isZero();
        assertThat(raw.stdoutBytes()).startsWith((byte) 0x1f, (byte) 0x8b);
        assertThat(raw.err()).isEmpty();
    }

    @Test
    void contentThatDoesNotCompressIsSentAsItIsUnlessCompressionIsAsked() throws Exception {
        byte[] content = new byte[3 * 1024 * 1024];
        new Random(5).nextBytes(content);
        Path file = Files.write(dir.resolve("already-compressed.zip"), content);

        for (boolean asked : new boolean[] {false, true}) {
            CliRun sent = asked
                    ? meshgate("send", "--to", "X26ABC2", "--workflow", "TEST_WORKFLOW", "--compress", "-q",
                            file.toString())
                    : meshgate("send", "--to", "X26ABC2", "--workflow", "TEST_WORKFLOW", "-q", file.toString());
            assertThat(sent.exitCode()).as(sent.toString()).isZero();
            CliRun got = meshgate("get", sent.out().strip(), "-o", dir.resolve("in-" + asked).toString(),
                    "--headers", "--mailbox", "X26ABC2");
            assertThat(got.exitCode()).as(got.toString()).isZero();
            assertThat(Files.readAllBytes(dir.resolve("in-" + asked))).isEqualTo(content);
            if (asked) {
                assertThat(got.out()).contains("content-encoding: gzip");
            } else {
                assertThat(got.out()).doesNotContain("content-encoding");
            }
        }
    }

    /** CSV-like text of {@code size} bytes, which compresses as an export does. */
    private static byte[] csv(int size, long seed) {
        Random random = new Random(seed);
        StringBuilder text = new StringBuilder(size + 64);
        while (text.length() < size) {
            text.append(9_000_000_000L + random.nextInt(999_999_999)).append(",HPV,2026-11-")
                    .append(10 + random.nextInt(20)).append(",RX").append(random.nextInt(999)).append('\n');
        }
        return text.substring(0, size).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    @Test
    void sendsStandardInputAndGetsToStandardOutput() {
        byte[] content = "NHS_NUMBER|PROGRAMME\n9434765919|HPV\n".getBytes(StandardCharsets.UTF_8);

        CliRun sent = meshgateWithInput(Map.of(), content, "send", "--to", "X26ABC2", "--workflow", "TEST_WORKFLOW",
                "--no-compress", "-");

        assertThat(sent.exitCode()).as(sent.toString()).isZero();
        String messageId = sent.out().strip();
        CliRun got = meshgate("get", messageId, "--mailbox", "X26ABC2", "--headers");
        assertThat(got.exitCode()).as(got.toString()).isZero();
        assertThat(got.stdoutBytes()).isEqualTo(content);
        assertThat(got.out()).isEmpty();
        assertThat(got.err()).contains("mex-workflowid: TEST_WORKFLOW", "mex-from: X26ABC1");
    }

    @Test
    void inboxListsEveryPageAndGivesJsonWithTheApproximateCount() throws Exception {
        List<String> sent = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            sent.add(send(i < 2 ? "TEST_WORKFLOW2" : "TEST_WORKFLOW", "message " + i));
        }

        CliRun listed = meshgate("inbox", "--mailbox", "X26ABC2", "--page-size", "10");

        assertThat(listed.exitCode()).as(listed.toString()).isZero();
        assertThat(listed.out().lines()).containsExactlyInAnyOrderElementsOf(sent);
        assertThat(listed.err()).isEqualTo("12 messages listed in X26ABC2's inbox (MESH's approximate count: 12)\n");

        CliRun json = meshgate("inbox", "--mailbox", "X26ABC2", "--json", "--workflow", "TEST_WORKFLOW2");
        assertThat(json.exitCode()).as(json.toString()).isZero();
        JsonNode result = JSON.readTree(json.out());
        java.util.List<String> fields = new java.util.ArrayList<>();
        result.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).as("MESH's own inbox shape").containsExactlyInAnyOrder("messages", "links",
                "approx_inbox_count");
        assertThat(result.path("links").path("self").asText())
                .isEqualTo("/messageexchange/X26ABC2/inbox?workflow_filter=TEST_WORKFLOW2");
        assertThat(result.path("links").has("next")).as("every page was followed").isFalse();
        assertThat(result.path("messages")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrderElementsOf(sent.subList(0, 2));
        assertThat(result.path("approx_inbox_count").isIntegralNumber()).isTrue();
        assertThat(json.err()).isEmpty();

        CliRun empty = meshgate("inbox", "--json");
        assertThat(JSON.readTree(empty.out()).path("messages")).isEmpty();
    }

    @Test
    void ackRemovesTheMessageAndTrackFollowsItsDelivery() throws Exception {
        String messageId = send("TEST_WORKFLOW", "hello");

        CliRun accepted = meshgate("track", messageId);
        assertThat(accepted.exitCode()).as(accepted.toString()).isZero();
        assertThat(accepted.out()).startsWith("status: accepted\nmessage_id: " + messageId + "\n")
                .contains("recipient: X26ABC2");

        CliRun acked = meshgate("ack", messageId, "--mailbox", "X26ABC2");
        assertThat(acked.exitCode()).as(acked.toString()).isZero();
        assertThat(acked.out()).isEqualTo("acknowledged " + messageId + "\n");
        assertThat(meshgate("inbox", "--mailbox", "X26ABC2").out()).isEmpty();

        CliRun tracked = meshgate("track", messageId, "--json");
        assertThat(JSON.readTree(tracked.out()).path("status").asText()).isEqualTo("acknowledged");
    }

    @Test
    void lookupAndWorkflowsFindMailboxes() {
        CliRun lookup = meshgate("lookup", "X26", "TEST_WORKFLOW");
        assertThat(lookup.exitCode()).as(lookup.toString()).isZero();
        assertThat(lookup.out()).startsWith("X26ABC2\t");

        CliRun workflows = meshgate("workflows", "TEST_WORKFLOW");
        assertThat(workflows.exitCode()).as(workflows.toString()).isZero();
        assertThat(workflows.out()).contains("X26ABC2\t");

        CliRun none = meshgate("lookup", "X99", "NO_SUCH_WORKFLOW");
        assertThat(none.exitCode()).isZero();
        assertThat(none.out()).isEmpty();
        assertThat(none.err()).isEqualTo("no mailbox of X99 receives NO_SUCH_WORKFLOW\n");
    }

    @Test
    void aWrongPasswordIsOneClearLineAndExitOne() {
        CliRun run = meshgate(Map.of("MESHGATE_MAILBOX_X26ABC1_PASSWORD", "wrong"), "validate-mailbox");

        assertOneClearLine(run, 1, "check the mailbox id, its password and shared_key");
        assertThat(run.err()).doesNotContain("wrong");
    }

    @Test
    void anUnreachableServerIsOneClearLineAndExitOne() {
        CliRun run = meshgate(Map.of("MESHGATE_BASE_URL", "https://127.0.0.1:" + closedPort), "inbox");

        assertOneClearLine(run, 1, "127.0.0.1:" + closedPort);
    }

    @Test
    void anUnknownMessageIdIsOneClearLineAndExitOne() {
        assertOneClearLine(meshgate("get", "NO_SUCH_MESSAGE", "-o", dir.resolve("x").toString(), "-q"), 1, "404");
        assertThat(dir.resolve("x")).doesNotExist();
        assertOneClearLine(meshgate("track", "NO_SUCH_MESSAGE"), 1, "404");
        assertOneClearLine(meshgate("ack", "NO_SUCH_MESSAGE"), 1, "acknowledge failed");
    }

    @Test
    void verboseAddsTheStackTrace() {
        CliRun run = meshgate("get", "NO_SUCH_MESSAGE", "--verbose");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("meshgate: ").contains("MeshNotFoundException", "\tat ");
    }

    @Test
    void profilesChooseTheEnvironment() throws Exception {
        config = settings("base_url: https://127.0.0.1:" + closedPort + "\n"
                + "profiles:\n  local:\n    base_url: " + sandbox.baseUrl() + "\n"
                + "  other:\n    mailbox: X26ABC2\n    password: password\n    base_url: " + sandbox.baseUrl() + "\n");

        assertThat(meshgate("validate-mailbox", "--profile", "local").out()).startsWith("X26ABC1 is valid");
        assertThat(meshgate(Map.of("MESHGATE_PROFILE", "local"), "validate-mailbox").exitCode()).isZero();
        assertThat(meshgate(Map.of("MESHGATE_PROFILE", "other"), "validate-mailbox").out())
                .startsWith("X26ABC2 is valid");
        assertThat(meshgate("validate-mailbox").exitCode()).isEqualTo(1);
        assertOneClearLine(meshgate("validate-mailbox", "--profile", "production"), 3,
                "profile production: not found; profiles: local, other");
    }

    @Test
    void mailboxChoosesAmongTheConfiguredMailboxes() {
        assertThat(meshgate("validate-mailbox", "--mailbox", "x26abc2").out()).startsWith("X26ABC2 is valid");
        assertOneClearLine(meshgate("validate-mailbox", "--mailbox", "X26ABC9"), 3,
                "--mailbox X26ABC9: not configured; the settings have X26ABC1, X26ABC2");
    }

    @Test
    void disableSslVerificationIsForALocalSandboxOnly() throws Exception {
        Path local = Files.writeString(dir.resolve("local.yaml"), """
                base_url: %s
                disable_ssl_verification: true
                shared_key: TestKey
                certificate: %s
                private_key: %s
                private_key_passphrase: %s
                mailbox: X26ABC1
                password: password
                """.formatted(sandbox.baseUrl(), certificates.clientCertificate("X26ABC1"),
                certificates.clientKey("X26ABC1"), PASSPHRASE));
        assertThat(meshgate("validate-mailbox", "--config", local.toString()).exitCode()).isZero();

        Files.writeString(local, Files.readString(local).replace(sandbox.baseUrl(), "https://mesh.example.org"));
        assertOneClearLine(meshgate("validate-mailbox", "--config", local.toString()), 3,
                "disable_ssl_verification: true is only allowed for a sandbox on localhost or 127.0.0.1");

        Files.writeString(local, Files.readString(local).replace("https://mesh.example.org", sandbox.baseUrl())
                .replace("disable_ssl_verification: true\n", ""));
        assertOneClearLine(meshgate("validate-mailbox", "--config", local.toString()), 1,
                "check certificate, private_key and ca_bundle");
    }

    @Test
    void settingsProblemsAreLocalProblems() {
        assertOneClearLine(meshgate("inbox", "--config", dir.resolve("missing.yaml").toString()), 3,
                "does not exist");
        assertOneClearLine(meshgate("send", "--to", "X26ABC2", "--workflow", "WF", dir.resolve("nope").toString()),
                3, "no such file: ");
    }

    @Test
    void usageErrorsExitTwoAndHelpTeaches() {
        CliRun missing = meshgate("send", "--to", "X26ABC2");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).startsWith("meshgate: Missing required").contains("Try 'meshgate send --help'.");

        assertThat(meshgate("inboxx").exitCode()).isEqualTo(2);

        CliRun help = meshgate("send", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("standard input", "--no-compress", "--profile", "Exit codes:",
                "3   local problem");
    }
}
