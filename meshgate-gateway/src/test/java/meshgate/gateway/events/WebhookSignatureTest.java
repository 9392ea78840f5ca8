package meshgate.gateway.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import meshgate.gateway.config.Secret;
import meshgate.gateway.config.WebhookSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A webhook receiver that checks requests as docs/security.md tells receivers to: the signature over the timestamp
 * and the exact body, the timestamp within 5 minutes of its own clock, and the Authorization header.
 */
class WebhookSignatureTest {
    private static final String SIGNING_SECRET = "whsec-test-3b9f";
    private static final String AUTHORIZATION = "Bearer hook-bearer-71c2";
    private static final Duration TOLERANCE = Duration.ofMinutes(5);
    private static final MeshEvent EVENT = new MeshEvent(EventKind.MESSAGE_RECEIVED, new EventDetail("X26ABC1", "MSG1",
            "X26ABC2", "X26ABC1", "TEST_WORKFLOW", "DATA", null, "inbound/X26ABC1/MSG1.dat", 10, "received", null,
            "2026-11-30T10:00:00Z", null, null, null, null, null, null, null));

    HttpServer receiver;
    final List<String> signatures = new CopyOnWriteArrayList<>();
    final List<String> accepted = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/events", this::receive);
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    private void receive(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String signature = exchange.getRequestHeaders().getFirst("MeshGate-Signature");
        signatures.add(String.valueOf(signature));
        boolean ok = AUTHORIZATION.equals(exchange.getRequestHeaders().getFirst("Authorization"))
                && verify(signature, body, Instant.now());
        if (ok) {
            accepted.add(new String(body, StandardCharsets.UTF_8));
        }
        exchange.sendResponseHeaders(ok ? 204 : 401, -1);
        exchange.close();
    }

    /** The receiver's side, written from the documentation rather than with the gateway's own code. */
    private static boolean verify(String header, byte[] body, Instant now) {
        if (header == null) {
            return false;
        }
        Map<String, String> fields = new HashMap<>();
        for (String part : header.split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                fields.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
            }
        }
        try {
            long timestamp = Long.parseLong(fields.getOrDefault("t", ""));
            if (Math.abs(now.getEpochSecond() - timestamp) > TOLERANCE.toSeconds()) {
                return false;
            }
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SIGNING_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            byte[] expected = HexFormat.of().formatHex(mac.doFinal(body)).getBytes(StandardCharsets.US_ASCII);
            return MessageDigest.isEqual(expected,
                    fields.getOrDefault("v1", "").getBytes(StandardCharsets.US_ASCII));
        } catch (NumberFormatException | java.security.GeneralSecurityException e) {
            return false;
        }
    }

    private EventSink sink(Clock clock) {
        URI url = URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/events");
        return EventSinks.webhook(new WebhookSettings(url, Optional.of(Secret.literal(AUTHORIZATION)),
                Optional.of(Secret.literal(SIGNING_SECRET))), clock);
    }

    private int post(String signature, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/events"))
                .header("Authorization", AUTHORIZATION).header("MeshGate-Signature", signature)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void theReceiverAcceptsTheSignedEventAndRefusesItWithATamperedBody() throws Exception {
        assertThatCode(() -> sink(Clock.systemUTC()).emit(EVENT)).doesNotThrowAnyException();
        assertThat(accepted).hasSize(1);
        assertThat(signatures.get(0)).matches("t=\\d+,v1=[0-9a-f]{64}");
        String body = accepted.get(0);

        assertThat(post(signatures.get(0), body.replace("MSG1", "MSG2"))).isEqualTo(401);
        assertThat(post(signatures.get(0), body)).isEqualTo(204);
    }

    @Test
    void theReceiverRefusesASignatureOlderThanItsTolerance() {
        Clock tenMinutesAgo = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10));

        assertThatThrownBy(() -> sink(tenMinutesAgo).emit(EVENT)).isInstanceOf(IOException.class)
                .hasMessageContaining("answered HTTP 401");
        assertThat(accepted).isEmpty();
    }
}
