package meshgate.gateway;

import static meshgate.gateway.GatewayFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Gauge;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import meshgate.gateway.ledger.InboundRecord;
import meshgate.gateway.ledger.InboundState;
import meshgate.gateway.ledger.OutboundState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A received message is acknowledged once it is stored; its event is kept in the ledger and delivered at least once,
 * tried again with backoff until the sink takes it, without waiting for the next poll and across a restart.
 */
class EventOutboxTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    HttpServer webhook;
    final List<String> delivered = new CopyOnWriteArrayList<>();
    final AtomicInteger refusals = new AtomicInteger();
    final AtomicInteger tries = new AtomicInteger();

    @BeforeEach
    void startWebhook() throws Exception {
        webhook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        webhook.createContext("/events", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            tries.incrementAndGet();
            if (refusals.getAndDecrement() > 0) {
                exchange.sendResponseHeaders(500, -1);
            } else {
                delivered.add(body);
                exchange.sendResponseHeaders(204, -1);
            }
            exchange.close();
        });
        webhook.start();
    }

    @AfterEach
    void stopWebhook() {
        webhook.stop(0);
    }

    private String receiverSettings() {
        return String.join("\n",
                "poll_interval: 1h",
                "events:",
                "  log: false",
                "  webhook_url: http://127.0.0.1:" + webhook.getAddress().getPort() + "/events");
    }

    /** X26ABC2's gateway sends one message to X26ABC1 and returns its MESH message id once MESH accepted it. */
    private static String messageForOne(GatewayFixture fixture) throws Exception {
        Gateway two = fixture.gateway("X26ABC2", "");
        fixture.drop("X26ABC2", "for-one.csv", "an event is owed".getBytes(StandardCharsets.UTF_8),
                "{\"mex-from\": \"X26ABC2\", \"mex-to\": \"X26ABC1\", \"mex-workflowid\": \"TEST_WORKFLOW\"}");
        eventually(Duration.ofSeconds(30), "the message for X26ABC1 accepted", () ->
                !two.ledger().outbound(OutboundState.ACCEPTED).isEmpty());
        return two.ledger().outbound(OutboundState.ACCEPTED).get(0).meshMessageId();
    }

    @Test
    void anEventTheWebhookRefusesIsTriedAgainWithoutAPollWhileTheMessageIsAcknowledged() throws Exception {
        try (GatewayFixture fixture = GatewayFixture.start(dir)) {
            String messageId = messageForOne(fixture);
            refusals.set(Integer.MAX_VALUE);
            Gateway one = fixture.gateway("X26ABC1", receiverSettings());

            eventually(Duration.ofSeconds(30), "the message acknowledged and its event refused twice", () ->
                    acknowledged(one, messageId) && tries.get() >= 2);
            assertThat(delivered).isEmpty();
            assertThat(pendingEvents(one)).isEqualTo(1.0);
            assertThat(one.ledger().findInbound("X26ABC1", messageId).orElseThrow().eventEmitted()).isFalse();

            refusals.set(1);
            eventually(Duration.ofSeconds(60), "the event delivered", () -> !delivered.isEmpty());
            assertThat(JSON.readTree(delivered.get(0)).path("message_id").asText()).isEqualTo(messageId);
            eventually(Duration.ofSeconds(10), "the event recorded as delivered", () ->
                    one.ledger().findInbound("X26ABC1", messageId).orElseThrow().eventEmitted());
            assertThat(pendingEvents(one)).isEqualTo(0.0);
        }
    }

    @Test
    void anEventNotYetDeliveredIsDeliveredAfterARestart() throws Exception {
        try (GatewayFixture fixture = GatewayFixture.start(dir)) {
            String messageId = messageForOne(fixture);
            refusals.set(Integer.MAX_VALUE);
            try (Gateway before = Gateway.start(fixture.config("X26ABC1", receiverSettings()))) {
                eventually(Duration.ofSeconds(30), "the message acknowledged and its event refused", () ->
                        acknowledged(before, messageId) && tries.get() >= 1);
            }
            assertThat(delivered).isEmpty();

            refusals.set(0);
            Gateway after = fixture.gateway("X26ABC1", receiverSettings());
            eventually(Duration.ofSeconds(60), "the event delivered after the restart", () ->
                    after.ledger().findInbound("X26ABC1", messageId).orElseThrow().eventEmitted());
            assertThat(delivered).isNotEmpty();
            assertThat(delivered).allSatisfy(event ->
                    assertThat(JSON.readTree(event).path("message_id").asText()).isEqualTo(messageId));
        }
    }

    private static boolean acknowledged(Gateway gateway, String messageId) {
        return gateway.ledger().findInbound("X26ABC1", messageId).map(InboundRecord::state)
                .filter(InboundState.ACKNOWLEDGED::equals).isPresent();
    }

    private static double pendingEvents(Gateway gateway) {
        Gauge gauge = gateway.metrics().registry().find("meshgate.events.pending").gauge();
        return gauge == null ? Double.NaN : gauge.value();
    }
}
