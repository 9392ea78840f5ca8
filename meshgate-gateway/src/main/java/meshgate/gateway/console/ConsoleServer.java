package meshgate.gateway.console;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import meshgate.gateway.console.ConsoleModel.Frame;
import meshgate.gateway.console.ConsoleModel.Notice;
import meshgate.gateway.console.ConsoleSessions.Session;
import meshgate.gateway.ops.FailedFileRetry;
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
 * The operator's web console: pages rendered on the server from the ledger and the gateway's mailbox health
 * (overview, outbound, inbound, tracking, search), and one action, sending a failed file again. Plain HTTP on the
 * address configured, by default the loopback interface only.
 *
 * <p>With a token, a person signs in with it (a form; compared in constant time) and gets a session cookie that
 * scripts cannot read ({@code HttpOnly}) and that other sites' pages never send ({@code SameSite=Strict}). Without one,
 * which only the loopback interface allows, every visitor gets a session without signing in, and only requests
 * naming a loopback host are served, so a web page cannot reach the console by pointing its own name at 127.0.0.1.
 * Every POST must carry its session's CSRF token. No token, cookie or CSRF value is ever logged.
 */
public final class ConsoleServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleServer.class);
    private static final int MAX_THREADS = 8;
    static final String COOKIE = "meshgate_console";
    private static final java.util.regex.Pattern OUTBOUND_RECORD =
            java.util.regex.Pattern.compile("/outbound/(\\d{1,18})");
    private static final java.util.regex.Pattern INBOUND_RECORD =
            java.util.regex.Pattern.compile("/inbound/([A-Z0-9]+)/([^/]+)");
    private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "[::1]", "::1");
    private static final String CSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'";

    private final Server server;
    private final ServerConnector connector;

    private ConsoleServer(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    /**
     * Listens on {@code address} (port 0: any free port). A {@code token} is required on any address other than the
     * loopback interface.
     *
     * @throws IllegalArgumentException when the address is beyond loopback and there is no token
     */
    public static ConsoleServer start(InetSocketAddress address, Optional<String> token, String node,
            ConsoleData data, FailedFileRetry retry, Clock clock) {
        boolean loopback = address.getAddress() != null && address.getAddress().isLoopbackAddress();
        if (!loopback && token.isEmpty()) {
            throw new IllegalArgumentException("the web console would listen on " + address.getHostString()
                    + ", beyond the loopback interface, without a token: set console.token, or console.host: "
                    + "127.0.0.1");
        }
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 2);
        threads.setName("meshgate-console");
        threads.setDaemon(true);
        threads.setReservedThreads(0);
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(address.getHostString());
        connector.setPort(address.getPort());
        connector.setIdleTimeout(Duration.ofSeconds(30).toMillis());
        server.addConnector(connector);
        server.setHandler(new Pages(token.map(ConsoleServer::digest), node, data, retry,
                new ConsoleSessions(clock), new SignInThrottle(clock)));
        server.setStopTimeout(0);
        try {
            server.start();
        } catch (Exception e) {
            try {
                server.stop();
            } catch (Exception ignored) {
                // nothing more to release
            }
            throw new UncheckedIOException("cannot listen for the web console on " + address + ": "
                    + e.getMessage(), e instanceof IOException io ? io : new IOException(e));
        }
        ConsoleServer started = new ConsoleServer(server, connector);
        LOG.info("console_listening url=http://{}:{}/ sign_in={}", started.address().getHostString(),
                started.address().getPort(), token.isPresent() ? "token" : "none (loopback only)");
        return started;
    }

    /** The address listened on, with the port chosen when 0 was asked for. */
    public InetSocketAddress address() {
        String host = connector.getHost() == null ? "0.0.0.0" : connector.getHost();
        return new InetSocketAddress(host, connector.getLocalPort());
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.debug("console_stop_failed error={}", e.toString());
        }
    }

    /** Tokens are compared as digests, so that neither their content nor their length shows in the timing. */
    static byte[] digest(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class Pages extends AbstractHandler {
        private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);
        private final Optional<byte[]> tokenDigest;
        private final String node;
        private final ConsoleData data;
        private final FailedFileRetry retry;
        private final ConsoleSessions sessions;
        private final SignInThrottle throttle;

        Pages(Optional<byte[]> tokenDigest, String node, ConsoleData data, FailedFileRetry retry,
                ConsoleSessions sessions, SignInThrottle throttle) {
            this.tokenDigest = tokenDigest;
            this.node = node;
            this.data = data;
            this.retry = retry;
            this.sessions = sessions;
            this.throttle = throttle;
        }

        private boolean signInRequired() {
            return tokenDigest.isPresent();
        }

        @Override
        public void handle(String target, Request base, HttpServletRequest request, HttpServletResponse response)
                throws IOException {
            base.setHandled(true);
            securityHeaders(response);
            String method = request.getMethod();
            try {
                if (!signInRequired() && !loopbackHost(request)) {
                    problem(response, null, 421, "This console answers only to localhost, 127.0.0.1 or [::1].");
                    return;
                }
                if (target.equals("/console.css")) {
                    stylesheet(response, method);
                    return;
                }
                if (!method.equals("GET") && !method.equals("POST")) {
                    response.setHeader("Allow", "GET, POST");
                    problem(response, null, 405, "Only GET and POST are served here.");
                    return;
                }
                if (method.equals("POST") && !sameOrigin(request)) {
                    LOG.warn("console_cross_site_refused remote={} path={}", request.getRemoteAddr(), target);
                    problem(response, null, 403, "This form was sent from another site, and was refused.");
                    return;
                }
                if (target.equals("/login")) {
                    login(request, response, method);
                    return;
                }
                Optional<Session> session = sessions.find(cookie(request));
                if (session.isEmpty()) {
                    if (signInRequired()) {
                        if (method.equals("POST")) {
                            problem(response, null, 403, "Your session has ended: sign in again.");
                        } else {
                            redirect(response, "/login");
                        }
                        return;
                    }
                    session = Optional.of(startSession(request, response));
                }
                if (method.equals("POST")) {
                    if (!session.get().csrfMatches(request.getParameter("csrf"))) {
                        LOG.warn("console_csrf_refused remote={} path={}", request.getRemoteAddr(), target);
                        problem(response, session.get(), 403, "This form's CSRF token is missing or not this "
                                + "session's: reload the page and try again.");
                        return;
                    }
                    post(target, request, response, session.get());
                } else {
                    get(target, request, response, session.get());
                }
            } catch (RuntimeException e) {
                LOG.error("console_error path={} reason=\"{}\"", target, e.toString(), e);
                if (!response.isCommitted()) {
                    problem(response, null, 500, "The page could not be shown: see the gateway's log.");
                }
            }
        }

        private void get(String target, HttpServletRequest request, HttpServletResponse response, Session session)
                throws IOException {
            switch (target) {
                case "/" -> page(response, 200, "overview", frame("Overview", "overview", session, ""),
                        data.overview());
                case "/outbound" -> page(response, 200, "outbound", frame("Outbound", "outbound", session, ""),
                        data.outbound());
                case "/inbound" -> page(response, 200, "inbound", frame("Inbound", "inbound", session, ""),
                        data.inbound());
                case "/tracking" -> page(response, 200, "tracking", frame("Tracking", "tracking", session, ""),
                        data.tracking());
                case "/search" -> {
                    String query = Optional.ofNullable(request.getParameter("q")).orElse("");
                    page(response, 200, "search", frame("Search", "search", session, query), data.search(query));
                }
                default -> record(target, response, session);
            }
        }

        /** {@code /outbound/{id}} and {@code /inbound/{mailbox}/{message id}}: one record, whole. */
        private void record(String target, HttpServletResponse response, Session session) throws IOException {
            java.util.regex.Matcher outbound = OUTBOUND_RECORD.matcher(target);
            java.util.regex.Matcher inbound = INBOUND_RECORD.matcher(target);
            Optional<ConsoleModel.Found> found = outbound.matches()
                    ? data.outboundRecord(Long.parseLong(outbound.group(1)))
                    : inbound.matches() ? data.inboundRecord(inbound.group(1), inbound.group(2)) : Optional.empty();
            if (found.isEmpty()) {
                problem(response, session, 404, "There is no page at " + target + ".");
                return;
            }
            page(response, 200, "record", frame(found.get().kind() + " record", "record", session, ""),
                    found.get());
        }

        private void post(String target, HttpServletRequest request, HttpServletResponse response, Session session)
                throws IOException {
            switch (target) {
                case "/retry" -> retry(request, response, session);
                case "/logout" -> {
                    sessions.close(session);
                    response.addHeader("Set-Cookie", COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
                    redirect(response, signInRequired() ? "/login" : "/");
                }
                default -> problem(response, session, 404, "Nothing is done at " + target + ".");
            }
        }

        private void retry(HttpServletRequest request, HttpServletResponse response, Session session)
                throws IOException {
            String id = Optional.ofNullable(request.getParameter("id")).orElse("");
            if (!id.matches("\\d{1,18}")) {
                problem(response, session, 400, "Which record to send again is missing.");
                return;
            }
            String who = "the web console (" + (signInRequired() ? "signed in from " : "open on loopback, from ")
                    + session.remote + ")";
            try {
                FailedFileRetry.Retried done = retry.retry(Long.parseLong(id), who);
                session.notice = new Notice(true, "Moved " + done.failedKey() + " back to " + done.outboundKey()
                        + ": record " + done.recordId() + " is QUEUED and the gateway sends it shortly.");
            } catch (FailedFileRetry.RefusedException e) {
                session.notice = new Notice(false, "Not sent again: " + e.getMessage());
            }
            redirect(response, "/outbound");
        }

        private void login(HttpServletRequest request, HttpServletResponse response, String method)
                throws IOException {
            if (!signInRequired()) {
                redirect(response, "/");
                return;
            }
            if (method.equals("GET")) {
                signInPage(response, 200, Optional.empty());
                return;
            }
            Duration wait = throttle.holdOff();
            if (!wait.isZero()) {
                LOG.warn("console_sign_in_throttled remote={} retry_in_s={}", request.getRemoteAddr(),
                        wait.toSeconds() + 1);
                response.setHeader("Retry-After", String.valueOf(wait.toSeconds() + 1));
                signInPage(response, 429, Optional.of("Too many wrong tokens in the last minute: try again in "
                        + (wait.toSeconds() + 1) + " s."));
                return;
            }
            String given = Optional.ofNullable(request.getParameter("token")).orElse("");
            if (!MessageDigest.isEqual(digest(given), tokenDigest.get())) {
                throttle.failed();
                LOG.warn("console_sign_in_refused remote={}", request.getRemoteAddr());
                signInPage(response, 401, Optional.of("That is not the console's token."));
                return;
            }
            // A new session at each sign-in: an id planted before it is worth nothing.
            sessions.find(cookie(request)).ifPresent(sessions::close);
            startSession(request, response);
            LOG.info("console_signed_in remote={}", request.getRemoteAddr());
            redirect(response, "/");
        }

        private Session startSession(HttpServletRequest request, HttpServletResponse response) {
            Session session = sessions.open(request.getRemoteAddr());
            response.addHeader("Set-Cookie", COOKIE + "=" + session.id + "; Path=/; HttpOnly; SameSite=Strict");
            return session;
        }

        private Frame frame(String title, String current, Session session, String query) {
            return new Frame(title, current, session == null ? "" : session.csrf, signInRequired(), node, query,
                    session == null ? Optional.empty() : session.takeNotice());
        }

        private void signInPage(HttpServletResponse response, int status, Optional<String> error)
                throws IOException {
            page(response, status, "login", frame("Sign in", "login", null, ""), new ConsoleModel.SignIn(error));
        }

        private void problem(HttpServletResponse response, Session session, int status, String text)
                throws IOException {
            page(response, status, "problem", frame("Error " + status, "problem", session, ""),
                    new ConsoleModel.Problem(status, text));
        }

        private void page(HttpServletResponse response, int status, String template, Frame frame, Object page)
                throws IOException {
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("frame", frame);
            params.put("page", page);
            StringOutput output = new StringOutput();
            templates.render("console/" + template + ".jte", params, output);
            byte[] body = output.toString().getBytes(StandardCharsets.UTF_8);
            response.setStatus(status);
            response.setContentType("text/html; charset=utf-8");
            response.setContentLength(body.length);
            try (OutputStream out = response.getOutputStream()) {
                out.write(body);
            }
        }

        private static void stylesheet(HttpServletResponse response, String method) throws IOException {
            try (InputStream in = ConsoleServer.class.getResourceAsStream("console.css")) {
                byte[] body = in.readAllBytes();
                response.setStatus(200);
                response.setContentType("text/css; charset=utf-8");
                response.setContentLength(body.length);
                if (!method.equals("HEAD")) {
                    try (OutputStream out = response.getOutputStream()) {
                        out.write(body);
                    }
                }
            }
        }

        private static void redirect(HttpServletResponse response, String path) {
            response.setStatus(303);
            response.setHeader("Location", path);
            response.setContentLength(0);
        }

        private static void securityHeaders(HttpServletResponse response) {
            response.setHeader("Cache-Control", "no-store");
            response.setHeader("X-Content-Type-Options", "nosniff");
            response.setHeader("X-Frame-Options", "DENY");
            // Not no-referrer: with it, browsers send "Origin: null" on the console's own forms.
            response.setHeader("Referrer-Policy", "same-origin");
            response.setHeader("Content-Security-Policy", CSP);
        }

        private static String cookie(HttpServletRequest request) {
            Cookie[] cookies = request.getCookies();
            if (cookies == null) {
                return null;
            }
            for (Cookie c : cookies) {
                if (c.getName().equals(COOKIE)) {
                    return c.getValue();
                }
            }
            return null;
        }

        /** A form posted from this console's own pages: its Origin, when the browser sends one, is this host. */
        private static boolean sameOrigin(HttpServletRequest request) {
            String origin = request.getHeader("Origin");
            if (origin == null) {
                return true;
            }
            String host = request.getHeader("Host");
            return host != null && origin.equalsIgnoreCase("http://" + host);
        }

        private static boolean loopbackHost(HttpServletRequest request) {
            String host = request.getHeader("Host");
            if (host == null) {
                return false;
            }
            try {
                String name = URI.create("http://" + host).getHost();
                return name != null && LOOPBACK_NAMES.contains(name.toLowerCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
    }
}
