package meshgate.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A liveness probe must get its answer whatever other clients of the port do. */
class MetricsServerTest {
    private static final String HEALTH = "{\"status\":\"UP\"}";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void healthAnswersWhileOtherConnectionsHaveSentHalfARequest() throws Exception {
        List<Socket> stalled = new ArrayList<>();
        try (MetricsServer server = MetricsServer.start(new InetSocketAddress("127.0.0.1", 0), new MeshGateMetrics(),
                () -> HEALTH)) {
            for (int i = 0; i < 20; i++) {
                stalled.add(halfRequest(server.address()));
            }
            HttpResponse<String> health = get(server, "/health", Optional.empty());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo(HEALTH);
        } finally {
            for (Socket socket : stalled) {
                socket.close();
            }
        }
    }

    @Test
    void aConnectionThatStallsMidRequestIsClosedAfterTheReadTimeout() throws Exception {
        MetricsServer.Options options = new MetricsServer.Options(Duration.ofSeconds(1), Optional.empty());
        try (MetricsServer server = MetricsServer.start(new InetSocketAddress("127.0.0.1", 0), new MeshGateMetrics(),
                () -> HEALTH, options);
                Socket socket = halfRequest(server.address())) {
            socket.setSoTimeout(30_000); // the bound on the wait, far above the server's 1 s
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void withATokenOnlyRequestsBearingItAreAnswered() throws Exception {
        MetricsServer.Options options = new MetricsServer.Options(Duration.ofSeconds(5), Optional.of("scrape-token"));
        try (MetricsServer server = MetricsServer.start(new InetSocketAddress("127.0.0.1", 0), new MeshGateMetrics(),
                () -> HEALTH, options)) {
            assertThat(get(server, "/metrics", Optional.empty()).statusCode()).isEqualTo(401);
            assertThat(get(server, "/health", Optional.of("Bearer wrong")).statusCode()).isEqualTo(401);
            assertThat(get(server, "/metrics", Optional.of("Bearer scrape-token")).statusCode()).isEqualTo(200);
            assertThat(get(server, "/health", Optional.of("Bearer scrape-token")).body()).isEqualTo(HEALTH);
        }
    }

    /** A connection that sent the request line and one header, but never the blank line that ends the headers. */
    private static Socket halfRequest(InetSocketAddress address) throws Exception {
        Socket socket = new Socket(address.getAddress(), address.getPort());
        OutputStream out = socket.getOutputStream();
        out.write("GET /health HTTP/1.1\r\nHost: localhost\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    private HttpResponse<String> get(MetricsServer server, String path, Optional<String> authorization)
            throws Exception {
        InetSocketAddress address = server.address();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + address.getPort() + path))
                .timeout(Duration.ofSeconds(10));
        authorization.ifPresent(value -> request.header("Authorization", value));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
