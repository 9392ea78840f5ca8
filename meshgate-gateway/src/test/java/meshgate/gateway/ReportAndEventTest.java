package meshgate.gateway;

import static meshgate.gateway.GatewayFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import meshgate.gateway.ledger.OutboundRecord;
import meshgate.gateway.ledger.OutboundState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A message nobody collects expires; MESH's non-delivery REPORT comes back to the sender's gateway, is stored as
 * {@code .ctl} with the report's fields, and its event goes to the webhook and to the command configured.
 */
class ReportAndEventTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static GatewayFixture fixture;
    static HttpServer webhook;
    static final List<String> posted = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        fixture = new GatewayFixture(dir, sandbox -> sandbox.messageExpiry(Duration.ofSeconds(2))
                .expiryCheckInterval(Duration.ofMillis(300)));
        webhook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        webhook.createContext("/events", exchange -> {
            posted.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        webhook.start();
    }

    @AfterAll
    static void stop() {
        webhook.stop(0);
        fixture.close();
    }

    @Test
    void storesTheNonDeliveryReportAsCtlAndEmitsItsEvent() throws Exception {
        Path events = dir.resolve("events.jsonl");
        Gateway sender = fixture.gateway("X26ABC1", String.join("\n",
                "events:",
                "  log: true",
                "  webhook_url: http://127.0.0.1:" + webhook.getAddress().getPort() + "/events",
                "  command: [sh, -c, 'cat >> " + events + " && echo >> " + events + "']"));
        fixture.drop("X26ABC1", "never-collected.csv", "nobody reads this".getBytes(StandardCharsets.UTF_8),
                "{\"mex-from\": \"X26ABC1\", \"mex-to\": \"X26ABC3\", \"mex-workflowid\": \"TEST_WORKFLOW2\", "
                        + "\"mex-localid\": \"ndr-1\"}");

        eventually(Duration.ofSeconds(30), "a .ctl report stored", () -> {
            try {
                return sender.store().list("inbound/X26ABC1/").stream().anyMatch(o -> o.key().endsWith(".ctl"));
            } catch (java.io.IOException e) {
                return false;
            }
        });
        OutboundRecord sent = sender.ledger().outbound(OutboundState.values()).stream()
                .filter(r -> r.objectKey().equals("outbound/never-collected.csv")).findFirst().orElseThrow();
        String ctlKey = sender.store().list("inbound/X26ABC1/").stream().map(o -> o.key())
                .filter(k -> k.endsWith(".ctl")).findFirst().orElseThrow();
        // As terraform-aws-mesh-client writes it: a JSON object of MESH's headers, as MESH spells them.
        JsonNode report = JSON.readTree(Files.readString(fixture.root("X26ABC1").resolve(ctlKey)));
        assertThat(report.path("Mex-MessageType").asText()).isEqualTo("REPORT");
        assertThat(report.path("Mex-StatusCode").asText()).isEqualTo("14");
        assertThat(report.path("Mex-LinkedMsgID").asText()).isEqualTo(sent.meshMessageId());
        assertThat(report.path("Mex-LocalID").asText()).isEqualTo("ndr-1");
        assertThat(report.path("Mex-MessageID").asText()).isNotEmpty();
        assertThat(sender.store().decodedMetadata(ctlKey)).containsEntry("content-type", "application/json");

        eventually(Duration.ofSeconds(10), "the report's event delivered to webhook and command", () ->
                reportEvent(posted).isPresent() && Files.exists(events) && reportEvent(lines(events)).isPresent());
        for (JsonNode event : List.of(reportEvent(posted).get(), reportEvent(lines(events)).get())) {
            assertThat(event.path("type").asText()).isEqualTo("REPORT");
            assertThat(event.path("status_code").asText()).isEqualTo("14");
            assertThat(event.path("linked_message_id").asText()).isEqualTo(sent.meshMessageId());
            assertThat(event.path("key").asText()).isEqualTo(ctlKey);
            assertThat(event.path("mailbox").asText()).isEqualTo("X26ABC1");
        }

        sender.trackNow();
        assertThat(sender.ledger().findOutbound(sent.id()).orElseThrow().state())
                .isEqualTo(OutboundState.UNDELIVERABLE);
    }

    private static java.util.Optional<JsonNode> reportEvent(List<String> lines) {
        return lines.stream().filter(line -> !line.isBlank()).map(ReportAndEventTest::json)
                .filter(event -> event.path("event").asText().equals("report_received")).findFirst();
    }

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (java.io.IOException e) {
            return List.of();
        }
    }

    private static JsonNode json(String line) {
        try {
            return JSON.readTree(line);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
