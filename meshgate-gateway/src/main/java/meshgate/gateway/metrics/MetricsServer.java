package meshgate.gateway.metrics;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.AbstractHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's HTTP endpoint: {@code GET /metrics} for Prometheus (text format 0.0.4, or OpenMetrics when the
 * scraper asks for it) and {@code GET /health}, which answers 200 with a small JSON body while the service runs.
 * Plain HTTP on the address configured, by default the loopback interface only.
 *
 * <p>A liveness probe that goes unanswered gets a healthy process restarted, so no client may hold the endpoint: a
 * request is handed to one of a few threads only once its headers have all arrived, and a connection that sends
 * nothing for the read timeout is closed. With a token, every request must carry {@code Authorization: Bearer TOKEN}.
 */
public final class MetricsServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);
    /** Scrapes and probes are quick and rare; a few threads serve them, and Jetty needs two for its own I/O. */
    private static final int MAX_THREADS = 6;
    private static final String BEARER = "Bearer ";

    /** How long a connection may send nothing before it is closed, and the token requests must bear, if any. */
    public record Options(Duration readTimeout, Optional<String> bearerToken) {
        public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(10);

        public Options {
            Objects.requireNonNull(readTimeout, "readTimeout");
            Objects.requireNonNull(bearerToken, "bearerToken");
        }

        public static Options defaults() {
            return new Options(DEFAULT_READ_TIMEOUT, Optional.empty());
        }

        @Override
        public String toString() {
            return "Options[readTimeout=" + readTimeout + ", bearerToken=" + (bearerToken.isPresent() ? "***" : "none")
                    + "]";
        }
    }

    private final Server server;
    private final ServerConnector connector;

    private MetricsServer(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    /** As {@link #start(InetSocketAddress, MeshGateMetrics, Supplier, Options)} with the default options. */
    public static MetricsServer start(InetSocketAddress address, MeshGateMetrics metrics, Supplier<String> health) {
        return start(address, metrics, health, Options.defaults());
    }

    /**
     * Listens on {@code address} (port 0: any free port) and serves {@code metrics}; {@code health} gives the JSON
     * body of {@code /health}.
     */
    public static MetricsServer start(InetSocketAddress address, MeshGateMetrics metrics, Supplier<String> health,
            Options options) {
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 2);
        threads.setName("meshgate-metrics");
        threads.setDaemon(true);
        threads.setReservedThreads(0);
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(address.getHostString());
        connector.setPort(address.getPort());
        connector.setIdleTimeout(options.readTimeout().toMillis());
        server.addConnector(connector);
        server.setHandler(new Endpoints(metrics, health,
                options.bearerToken().map(t -> t.getBytes(StandardCharsets.UTF_8))));
        server.setStopTimeout(0);
        try {
            server.start();
        } catch (Exception e) {
            stopQuietly(server);
            throw new UncheckedIOException("cannot listen for metrics on " + address + ": " + e.getMessage(),
                    e instanceof IOException io ? io : new IOException(e));
        }
        MetricsServer started = new MetricsServer(server, connector);
        boolean loopback = started.address().getAddress() != null && started.address().getAddress().isLoopbackAddress();
        LOG.info("metrics_listening address={}:{} paths=[/metrics, /health] token={} read_timeout={}",
                started.address().getHostString(), started.address().getPort(),
                options.bearerToken().isPresent() ? "required" : "none", options.readTimeout());
        if (!loopback && options.bearerToken().isEmpty()) {
            LOG.warn("event=metrics_open_beyond_loopback address={}:{} fix=\"set metrics.token or metrics.host: "
                    + "127.0.0.1\"", started.address().getHostString(), started.address().getPort());
        }
        return started;
    }

    /** The address listened on, with the port chosen when 0 was asked for. */
    public InetSocketAddress address() {
        String host = connector.getHost() == null ? "0.0.0.0" : connector.getHost();
        return new InetSocketAddress(host, connector.getLocalPort());
    }

    @Override
    public void close() {
        stopQuietly(server);
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.debug("event=metrics_stop_failed error={}", e.toString());
        }
    }

    private record Reply(int status, String contentType, String body) {
    }

    private static final class Endpoints extends AbstractHandler {
        private final MeshGateMetrics metrics;
        private final Supplier<String> health;
        private final Optional<byte[]> token;

        Endpoints(MeshGateMetrics metrics, Supplier<String> health, Optional<byte[]> token) {
            this.metrics = metrics;
            this.health = health;
            this.token = token;
        }

        @Override
        public void handle(String target, Request base, HttpServletRequest request, HttpServletResponse response)
                throws IOException {
            base.setHandled(true);
            String method = request.getMethod();
            if (!authorized(request.getHeader("Authorization"))) {
                response.setHeader("WWW-Authenticate", "Bearer");
                write(response, method, new Reply(401, "text/plain; charset=utf-8", "bearer token required\n"));
                return;
            }
            if (!method.equals("GET") && !method.equals("HEAD")) {
                response.setHeader("Allow", "GET, HEAD");
                response.setStatus(405);
                response.setContentLength(0);
                return;
            }
            write(response, method, reply(target, request.getHeader("Accept")));
        }

        private Reply reply(String path, String accept) {
            return switch (path) {
                case "/metrics" -> new Reply(200, accept != null && accept.contains("application/openmetrics-text")
                        ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
                        : "text/plain; version=0.0.4; charset=utf-8", metrics.scrape(accept));
                case "/health" -> new Reply(200, "application/json", health.get());
                default -> new Reply(404, "text/plain; charset=utf-8", "not found: try /metrics or /health\n");
            };
        }

        /** Compared in constant time, so timing does not reveal how much of a guess was right. */
        private boolean authorized(String header) {
            if (token.isEmpty()) {
                return true;
            }
            if (header == null || !header.startsWith(BEARER)) {
                return false;
            }
            byte[] given = header.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
            return MessageDigest.isEqual(given, token.get());
        }

        private static void write(HttpServletResponse response, String method, Reply reply) throws IOException {
            byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
            response.setStatus(reply.status());
            response.setContentType(reply.contentType());
            response.setContentLength(body.length);
            if (!method.equals("HEAD")) {
                try (OutputStream out = response.getOutputStream()) {
                    out.write(body);
                }
            }
        }
    }
}
