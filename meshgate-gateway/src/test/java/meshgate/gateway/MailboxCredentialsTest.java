package meshgate.gateway;

import static meshgate.gateway.GatewayFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Gauge;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import meshgate.gateway.ledger.OutboundState;
import meshgate.sandbox.SandboxMailbox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mailbox whose password MESH refuses is paused, not its files: they wait in {@code outbound/}, the gateway says
 * so (log, metric, {@code /health}), and once the password works again every file goes, once, by itself.
 */
class MailboxCredentialsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FILES = 5;

    @TempDir
    Path dir;

    @Test
    void filesWaitWhileMeshRefusesTheMailboxPasswordAndAllGoOnceItWorksAgain() throws Exception {
        List<SandboxMailbox> mailboxes = SandboxMailbox.defaults().stream()
                .map(m -> m.id().equals("X26ABC1") ? new SandboxMailbox(m.id(), m.name(), m.odsCode(), "rotated") : m)
                .toList();
        try (GatewayFixture fixture = new GatewayFixture(dir, sandbox -> sandbox.mailboxes(mailboxes))) {
            Gateway two = fixture.gateway("X26ABC2", "");
            Gateway one = fixture.gateway("X26ABC1", "metrics:\n  port: 0");
            Set<String> expected = new TreeSet<>();
            for (int i = 0; i < FILES; i++) {
                String content = "file " + i + " from X26ABC1";
                expected.add(content);
                fixture.drop("X26ABC1", "out-" + i + ".csv", content.getBytes(StandardCharsets.UTF_8),
                        "{\"mex-from\": \"X26ABC1\", \"mex-to\": \"X26ABC2\", \"mex-workflowid\": \"TEST_WORKFLOW\", "
                                + "\"mex-localid\": \"credentials-" + i + "\"}");
            }
            fixture.drop("X26ABC2", "for-one.csv", "for X26ABC1".getBytes(StandardCharsets.UTF_8),
                    "{\"mex-from\": \"X26ABC2\", \"mex-to\": \"X26ABC1\", \"mex-workflowid\": \"TEST_WORKFLOW\", "
                            + "\"mex-localid\": \"for-one\"}");

            eventually(Duration.ofSeconds(60), "every file queued and the mailbox paused", () -> {
                assertThat(files(fixture.root("X26ABC1").resolve("failed"))).as("failed/").isEmpty();
                return waiting(one) == FILES
                        && health(one).path("status").asText().equals("DEGRADED")
                        && !two.ledger().outbound(OutboundState.ACCEPTED).isEmpty();
            });
            JsonNode paused = health(one).path("paused_mailboxes").get(0);
            assertThat(paused.path("mailbox").asText()).isEqualTo("X26ABC1");
            assertThat(paused.path("reason").asText()).contains("403");
            assertThat(pausedGauge(one)).isEqualTo(1.0);
            assertThat(one.ledger().outbound(OutboundState.ACCEPTED)).isEmpty();
            assertThat(one.ledger().inbound(meshgate.gateway.ledger.InboundState.values())).isEmpty();

            fixture.sandbox.changePassword("X26ABC1", "password");

            eventually(Duration.ofSeconds(120), "every file received by X26ABC2 and the message for X26ABC1 stored",
                    () -> received(fixture, two).size() == FILES
                            && one.ledger().inbound(meshgate.gateway.ledger.InboundState.ACKNOWLEDGED).size() == 1);
            eventually(Duration.ofSeconds(30), "outbound/ empty and /health UP", () ->
                    files(fixture.root("X26ABC1").resolve("outbound")).isEmpty()
                            && health(one).path("status").asText().equals("UP"));
            assertThat(new TreeSet<>(received(fixture, two))).isEqualTo(expected);
            assertThat(received(fixture, two)).hasSize(FILES);
            assertThat(one.ledger().outbound(OutboundState.ACCEPTED, OutboundState.ACKNOWLEDGED)).hasSize(FILES);
            assertThat(files(fixture.root("X26ABC1").resolve("failed"))).isEmpty();
            assertThat(pausedGauge(one)).isEqualTo(0.0);
        }
    }

    @Test
    void filesWaitWhileTheTlsHandshakeFailsAndGoOnceTheGatewayTrustsMeshAgain() throws Exception {
        try (GatewayFixture fixture = GatewayFixture.start(dir)) {
            Gateway two = fixture.gateway("X26ABC2", "");
            Path otherCa = meshgate.sandbox.tls.LocalCertificates.openOrCreate(dir.resolve("other-ca"),
                    List.of("X26ABC1"), GatewayFixture.PASSPHRASE).caBundle();
            Set<String> expected = new TreeSet<>();
            for (int i = 0; i < 3; i++) {
                String content = "file " + i + " over TLS";
                expected.add(content);
                fixture.drop("X26ABC1", "tls-" + i + ".csv", content.getBytes(StandardCharsets.UTF_8),
                        "{\"mex-from\": \"X26ABC1\", \"mex-to\": \"X26ABC2\", \"mex-workflowid\": \"TEST_WORKFLOW\"}");
            }
            try (Gateway untrusting = Gateway.start(fixture.config("X26ABC1",
                    "ca_bundle: " + otherCa + "\nmetrics:\n  port: 0"))) {
                eventually(Duration.ofSeconds(60), "every file queued and the mailbox paused", () -> {
                    assertThat(files(fixture.root("X26ABC1").resolve("failed"))).as("failed/").isEmpty();
                    return waiting(untrusting) == 3
                            && health(untrusting).path("status").asText().equals("DEGRADED");
                });
                assertThat(health(untrusting).path("paused_mailboxes").get(0).path("reason").asText())
                        .contains("TLS");
                assertThat(pausedGauge(untrusting)).isEqualTo(1.0);
            }

            fixture.gateway("X26ABC1", "");
            eventually(Duration.ofSeconds(60), "every file received by X26ABC2", () ->
                    received(fixture, two).size() == 3);
            assertThat(new TreeSet<>(received(fixture, two))).isEqualTo(expected);
            assertThat(files(fixture.root("X26ABC1").resolve("failed"))).isEmpty();
        }
    }

    /** Files waiting to be sent: queued, or begun and refused before the mailbox was paused. */
    private static int waiting(Gateway gateway) {
        return gateway.ledger().outbound(OutboundState.QUEUED, OutboundState.SENDING).size();
    }

    private static List<String> received(GatewayFixture fixture, Gateway gateway) {
        List<String> contents = new ArrayList<>();
        for (Path file : files(fixture.root("X26ABC2").resolve("inbound/X26ABC2"))) {
            if (file.getFileName().toString().endsWith(".dat")) {
                try {
                    contents.add(Files.readString(file));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return contents;
    }

    /** The stored objects under {@code folder}; files the gateway renames or removes meanwhile are passed over. */
    private static List<Path> files(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        List<Path> found = new ArrayList<>();
        try {
            Files.walkFileTree(folder, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file,
                        BasicFileAttributes attributes) {
                    String name = file.getFileName().toString();
                    if (attributes.isRegularFile() && !name.startsWith(".") && !name.endsWith(".meta.json")) {
                        found.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw e;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    private static double pausedGauge(Gateway gateway) {
        Gauge gauge = gateway.metrics().registry().find("meshgate.mailbox.paused").tag("mailbox", "X26ABC1").gauge();
        return gauge == null ? Double.NaN : gauge.value();
    }

    private static JsonNode health(Gateway gateway) {
        try {
            return JSON.readTree(healthBody(gateway));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** What {@code GET /health} answers. */
    static String healthBody(Gateway gateway) throws Exception {
        int port = gateway.metricsAddress().orElseThrow().getPort();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).body();
    }
}
