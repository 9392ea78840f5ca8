package meshgate.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * MESH's API documentation gives tracking (by message id and by local id) a 403 "Message does not exist" for a message
 * it does not know, where the public sandbox says 404. The client must read that as "not found", not as a credential
 * failure: a gateway would otherwise pause a healthy mailbox, and recovery by local id would stop.
 */
class DocumentedNotFoundTest {
    /** The documented answer, in MESH's v1 error shape with the code of "Message does not exist" (RECEIVE 20). */
    private static final String MESSAGE_DOES_NOT_EXIST =
            "{\"errorEvent\":\"RECEIVE\",\"errorCode\":\"20\",\"errorDescription\":\"Message does not exist\"}";
    private static final String INVALID_TOKEN =
            "{\"errorEvent\":\"\",\"errorCode\":\"\",\"errorDescription\":\"Invalid Authentication Token\"}";

    private HttpServer server;
    private MeshClient client;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            byte[] body = (path.endsWith("/count") ? INVALID_TOKEN : MESSAGE_DOES_NOT_EXIST)
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(403, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        client = MeshClient.builder().baseUrl(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .credentials("X26ABC1", "password", "TestKey").build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.stop(0);
    }

    @Test
    void trackingAnUnknownMessageAnswered403MessageDoesNotExistIsNotFound() {
        assertThatThrownBy(() -> client.track("20200529155357895317_3573F8"))
                .isInstanceOfSatisfying(MeshNotFoundException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(403);
                    assertThat(e.errorCode()).contains("20");
                });
    }

    @Test
    void trackingByAnUnknownLocalIdAnswered403MessageDoesNotExistFindsNothing() {
        assertThat(client.trackByLocalId("never-sent")).isEmpty();
    }

    @Test
    void a403ThatIsNotMessageDoesNotExistStaysAnAuthenticationFailure() {
        assertThatThrownBy(client::inboxCount).isInstanceOf(MeshAuthenticationException.class);
    }
}
