package meshgate.gateway.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's HTTP endpoint: {@code GET /metrics} for Prometheus (text format 0.0.4, or OpenMetrics when the
 * scraper asks for it) and {@code GET /health}, which answers 200 with a small JSON body while the service runs.
 * Plain HTTP on the address configured, by default the loopback interface only.
 */
public final class MetricsServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);

    private final HttpServer server;
    private final ExecutorService executor;

    private MetricsServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Listens on {@code address} (port 0: any free port) and serves {@code metrics}; {@code health} gives the JSON
     * body of {@code /health}.
     */
    public static MetricsServer start(InetSocketAddress address, MeshGateMetrics metrics, Supplier<String> health) {
        HttpServer server;
        try {
            server = HttpServer.create(address, 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen for metrics on " + address + ": " + e.getMessage(), e);
        }
        server.createContext("/metrics", exchange -> answer(exchange, () -> {
            String accept = exchange.getRequestHeaders().getFirst("Accept");
            String body = metrics.scrape(accept);
            String type = accept != null && accept.contains("application/openmetrics-text")
                    ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
                    : "text/plain; version=0.0.4; charset=utf-8";
            return new Reply(200, type, body);
        }));
        server.createContext("/health", exchange -> answer(exchange,
                () -> new Reply(200, "application/json", health.get())));
        server.createContext("/", exchange -> answer(exchange,
                () -> new Reply(404, "text/plain; charset=utf-8", "not found: try /metrics or /health\n")));
        ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "meshgate-metrics");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.start();
        MetricsServer started = new MetricsServer(server, executor);
        LOG.info("metrics_listening address={}:{} paths=[/metrics, /health]",
                started.address().getHostString(), started.address().getPort());
        return started;
    }

    /** The address listened on, with the port chosen when 0 was asked for. */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    private record Reply(int status, String contentType, String body) {
    }

    private static void answer(HttpExchange exchange, Supplier<Reply> reply) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            Reply answer = reply.get();
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", answer.contentType());
            if (method.equals("HEAD")) {
                exchange.sendResponseHeaders(answer.status(), -1);
                return;
            }
            exchange.sendResponseHeaders(answer.status(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
