package meshgate.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A server posing as MESH (or a broken proxy in front of it) cannot make the client hold an answer of any size in
 * memory: JSON answers and error bodies are read only up to a cap.
 */
class AnswerSizeTest {
    private HttpServer server;
    private volatile int status;
    private volatile String body;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, 0); // chunked: the client cannot trust a length up front
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            } catch (IOException clientStoppedReading) {
                // expected once the client has read its cap
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private MeshClient client() {
        return MeshClient.builder()
                .baseUrl(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .credentials("X26ABC1", "password", "TestKey")
                .retryPolicy(new RetryPolicy(1, Duration.ofMillis(5), Duration.ofMillis(5), Duration.ofSeconds(5)))
                .build();
    }

    @Test
    void aJsonAnswerLargerThanOneMebibyteIsRefusedUnread() {
        status = 200;
        body = "{\"count\": 1, \"padding\": \"" + "x".repeat(4 * 1024 * 1024) + "\"}";
        try (MeshClient client = client()) {
            assertThatThrownBy(client::inboxCount).isInstanceOfSatisfying(MeshException.class, e -> {
                assertThat(e.httpStatus()).isEqualTo(200);
                assertThat(e.isRetryable()).isFalse();
                assertThat(e.getMessage()).contains("larger than 1 MiB");
            });
        }
    }

    @Test
    void aJsonAnswerWithinTheCapIsRead() {
        status = 200;
        body = "{\"count\": 7, \"padding\": \"" + "x".repeat(512 * 1024) + "\"}";
        try (MeshClient client = client()) {
            assertThat(client.inboxCount()).isEqualTo(7);
        }
    }

    @Test
    void anErrorBodyLargerThanItsCapIsNotReadAndTheStatusStillSaysWhatHappened() {
        status = 400;
        body = "{\"errorCode\": \"EPL-151\", \"errorDescription\": \"" + "y".repeat(1024 * 1024) + "\"}";
        try (MeshClient client = client()) {
            assertThatThrownBy(client::inboxCount).isInstanceOfSatisfying(MeshRejectedException.class, e -> {
                assertThat(e.httpStatus()).isEqualTo(400);
                assertThat(e.errorDescription()).isEmpty();
                assertThat(e.getMessage()).contains("HTTP 400").contains("error body larger than 64 KiB")
                        .hasSizeLessThan(500);
            });
        }
    }
}
