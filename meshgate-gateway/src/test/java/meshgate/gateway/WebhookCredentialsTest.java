package meshgate.gateway;

import static meshgate.gateway.GatewayFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import meshgate.gateway.ledger.OutboundState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Credentials written into a webhook's URL reach the webhook, and never the gateway's log. */
class WebhookCredentialsTest {
    private static final String PASSWORD = "hook-pass-5f1c9e";
    private static final String TOKEN = "hook-token-8d2a71";

    @TempDir
    Path dir;
    HttpServer webhook;
    final List<String> authorizations = new CopyOnWriteArrayList<>();
    final List<String> queries = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startWebhook() throws Exception {
        webhook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        webhook.createContext("/events", exchange -> {
            exchange.getRequestBody().readAllBytes();
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            queries.add(String.valueOf(exchange.getRequestURI().getRawQuery()));
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        webhook.start();
    }

    @AfterEach
    void stopWebhook() {
        webhook.stop(0);
    }

    @Test
    void aFailingWebhookWithCredentialsInItsUrlLogsNeitherItsPasswordNorItsToken() throws Exception {
        String settings = String.join("\n",
                "poll_interval: 1h",
                "events:",
                "  log: false",
                "  webhook_url: http://meshgate:" + PASSWORD + "@127.0.0.1:" + webhook.getAddress().getPort()
                        + "/events?token=" + TOKEN);
        String log;
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (GatewayFixture fixture = GatewayFixture.start(dir)) {
            Gateway two = fixture.gateway("X26ABC2", "");
            fixture.drop("X26ABC2", "for-one.csv", "an event is owed".getBytes(StandardCharsets.UTF_8),
                    "{\"mex-from\": \"X26ABC2\", \"mex-to\": \"X26ABC1\", \"mex-workflowid\": \"TEST_WORKFLOW\"}");
            eventually(Duration.ofSeconds(30), "the message for X26ABC1 accepted", () ->
                    !two.ledger().outbound(OutboundState.ACCEPTED).isEmpty());
            fixture.gateway("X26ABC1", settings);
            eventually(Duration.ofSeconds(30), "the event refused twice and the failures logged", () ->
                    queries.size() >= 2 && captured.toString(StandardCharsets.UTF_8).contains("event_failed"));
        } finally {
            System.setErr(err);
            log = captured.toString(StandardCharsets.UTF_8);
        }

        assertThat(log).contains("event_failed").contains("127.0.0.1:" + webhook.getAddress().getPort() + "/events")
                .doesNotContain(PASSWORD).doesNotContain(TOKEN);
        assertThat(queries).allSatisfy(query -> assertThat(query).isEqualTo("token=" + TOKEN));
        assertThat(authorizations).allSatisfy(header -> assertThat(header).startsWith("Basic "));
    }
}
