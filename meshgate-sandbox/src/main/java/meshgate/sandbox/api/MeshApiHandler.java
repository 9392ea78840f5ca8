package meshgate.sandbox.api;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import meshgate.sandbox.fault.FaultKind;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.AbstractHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox's one Jetty handler: finds the route, applies latency and injected faults (never to admin routes),
 * runs the endpoint and writes its reply. Logs one DEBUG line per request, without the Authorization header.
 */
public final class MeshApiHandler extends AbstractHandler {
    private static final Logger LOG = LoggerFactory.getLogger(MeshApiHandler.class);

    private final SandboxContext ctx;
    private final Router router;
    private final AdminAccess adminAccess;

    public MeshApiHandler(SandboxContext ctx) {
        this(ctx, AdminAccess.open());
    }

    public MeshApiHandler(SandboxContext ctx, AdminAccess adminAccess) {
        this.ctx = ctx;
        this.router = routes(ctx);
        this.adminAccess = adminAccess;
    }

    private static Router routes(SandboxContext ctx) {
        SendEndpoints send = new SendEndpoints(ctx);
        InboxEndpoints inbox = new InboxEndpoints(ctx);
        TrackingEndpoints tracking = new TrackingEndpoints(ctx);
        LookupEndpoints lookup = new LookupEndpoints(ctx);
        AdminEndpoints admin = new AdminEndpoints(ctx, send);
        RichListEndpoints rich = new RichListEndpoints(ctx);
        String mx = "/messageexchange";
        String mb = mx + "/{mailbox}";
        Router r = new Router();
        for (String ping : new String[] {mx + "/_ping", mx + "/deepping", "/_ping", "/health", "/healthcheck",
                "/_status"}) {
            r.api("GET", ping, lookup::ping);
        }
        r.admin("POST", "/admin/reset", admin::reset)
                .admin("POST", "/admin/messages", admin::injectMessage)
                .admin("POST", "/admin/expire", admin::expire)
                .admin("GET", "/admin/faults", admin::faults)
                .admin("PUT", "/admin/faults", admin::updateFaults)
                .admin("POST", mx + "/report", admin::injectReport)
                .admin("GET", mx + "/reset", admin::reset)
                .admin("POST", mx + "/reset", admin::reset)
                .admin("GET", mx + "/reset/{mailbox}", admin::resetMailbox)
                .admin("POST", mx + "/reset/{mailbox}", admin::resetMailbox);
        // The public sandbox's own spellings, so suites written against it run unchanged.
        for (String prefix : new String[] {"/admin", mx + "/admin"}) {
            r.admin("DELETE", prefix + "/reset", admin::reset)
                    .admin("DELETE", prefix + "/reset/{mailbox}", admin::resetMailbox)
                    .admin("GET", prefix + "/message/{messageId}", admin::message)
                    .admin("POST", prefix + "/message/{messageId}/event", admin::messageEvent)
                    .admin("GET", prefix + "/mailbox/{mailbox}", admin::mailbox);
        }
        r.admin("POST", mx + "/admin/report", admin::injectReport);
        r.api("GET", mx + "/endpointlookup/{ods}/{workflow}", lookup::endpointLookup)
                .api("GET", mx + "/workflowsearch/{workflow}", lookup::workflowSearch)
                // mailbox details are part of MESH's API, without authentication as in the public sandbox
                .api("GET", mx + "/mailbox/{mailbox}", admin::mailbox)
                .api("GET", mb, inbox::handshake)
                .api("POST", mb, inbox::handshake)
                .api("POST", mb + "/update", inbox::update)
                .api("POST", mb + "/outbox", send::send)
                .api("GET", mb + "/outbox/tracking", tracking::byMessageId)
                .api("GET", mb + "/outbox/tracking/{localId}", tracking::byLocalId)
                .api("GET", mb + "/outbox/{id}/status", tracking::byPathId)
                .api("POST", mb + "/outbox/{id}/{chunk}", send::chunk)
                .api("GET", mb + "/inbox", inbox::list)
                .api("GET", mb + "/inbox/rich", rich::inbox)
                .api("GET", mb + "/outbox/rich", rich::outbox)
                .api("GET", mb + "/count", inbox::count)
                .download("GET", mb + "/inbox/{id}", inbox::download)
                .api("HEAD", mb + "/inbox/{id}", inbox::head)
                .download("GET", mb + "/inbox/{id}/{chunk}", inbox::downloadChunk)
                .api("PUT", mb + "/inbox/{id}/status/acknowledged", inbox::acknowledge);
        return r;
    }

    @Override
    public void handle(String target, Request base, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        base.setHandled(true);
        long started = System.nanoTime();
        Exchange ex = new Exchange(request);
        Router.Match match = router.match(request.getMethod(), request.getRequestURI());
        Optional<FaultKind> fault = Optional.empty();
        if (match.route() != null && !match.route().admin()) {
            pause();
            ctx.faults().holdIfAsked(request.getMethod(), request.getRequestURI());
            fault = ctx.faults().decide(request.getMethod(), request.getRequestURI(), match.route().download());
        }
        Optional<ApiError> refused = match.route() != null && match.route().admin()
                ? adminAccess.refusal(request) : Optional.empty();
        int status = refused.isPresent()
                ? write(response, refused.get().toReply(ex.versionForErrors(), ctx.json()), ex)
                : respond(base, response, ex, match, fault.orElse(null));
        if (LOG.isDebugEnabled()) {
            LOG.debug("request method={} path={} status={} mailbox={} fault={} ms={}", request.getMethod(),
                    request.getRequestURI(), status, ex.mailbox() == null ? "-" : ex.mailbox(),
                    fault.map(Enum::name).orElse("-"), (System.nanoTime() - started) / 1_000_000);
        }
    }

    /** Answers the request (or drops it, for a fault); returns the status for the log, 0 for a dropped connection. */
    private int respond(Request base, HttpServletResponse response, Exchange ex, Router.Match match, FaultKind fault)
            throws IOException {
        if (fault != null) {
            switch (fault) {
                case HTTP_500, HTTP_503, HTTP_429 -> {
                    ctx.faults().count(fault);
                    int status = fault == FaultKind.HTTP_500 ? 500 : fault == FaultKind.HTTP_503 ? 503 : 429;
                    Reply reply = ApiError.bare(status).toReply(ex.versionForErrors(), ctx.json());
                    if (status == 429) {
                        reply.header("Retry-After", "1");
                    }
                    return write(response, reply, ex);
                }
                case DROP_BEFORE_BODY -> {
                    ctx.faults().count(fault);
                    drop(base);
                    return 0;
                }
                default -> {
                    // these happen after the endpoint has run
                }
            }
        }
        Reply reply = invoke(ex, match);
        if (fault == FaultKind.HTTP_503_AFTER_PROCESSING) {
            ctx.faults().count(fault);
            return write(response, ApiError.bare(503).toReply(ex.versionForErrors(), ctx.json()), ex);
        }
        if (fault == FaultKind.DROP_AFTER_PROCESSING) {
            ctx.faults().count(fault);
            drop(base);
            return 0;
        }
        if ((fault == FaultKind.DROP_MID_DOWNLOAD || fault == FaultKind.WRONG_CONTENT_LENGTH) && reply.successful()
                && reply.body() != null && reply.body().length() > 0) {
            ctx.faults().count(fault);
            writeHalfThenDrop(base, response, reply);
            return 0;
        }
        if (fault == FaultKind.STALL_MID_DOWNLOAD && reply.successful() && reply.body() != null
                && reply.body().length() > 0) {
            ctx.faults().count(fault);
            writeHalfThenStall(base, response, reply);
            return 0;
        }
        if (fault == FaultKind.MALFORMED_JSON && reply.successful() && reply.body() != null
                && reply.body().length() > 1) {
            ctx.faults().count(fault);
            byte[] json = bytes(reply.body());
            Reply cut = new Reply(reply.status(), reply.headers(),
                    ReplyBody.of(java.util.Arrays.copyOf(json, json.length / 2)));
            return write(response, cut, ex);
        }
        if (fault == FaultKind.BAD_CHUNK_RANGE && reply.successful()) {
            ctx.faults().count(fault);
            reply.headers().keySet().removeIf(name -> name.equalsIgnoreCase("mex-chunk-range"));
            reply.headers().put("Mex-Chunk-Range", "chunk-one-of-many");
        }
        return write(response, reply, ex);
    }

    private Reply invoke(Exchange ex, Router.Match match) {
        if (match.route() == null) {
            return ApiError.bare(match.status()).toReply(ex.versionForErrors(), ctx.json());
        }
        ex.params(match.params());
        try {
            return match.route().endpoint().handle(ex);
        } catch (ApiError e) {
            return e.toReply(ex.versionForErrors(), ctx.json());
        } catch (Exception e) {
            String internalId = UUID.randomUUID().toString();
            LOG.warn("request failed method={} path={} internal_id={}", ex.method(), ex.path(), internalId, e);
            return Reply.json(500, ctx.json().createObjectNode().put("internal_id", internalId)
                    .put("message", "An internal error occurred.\n\nPlease contact support."), "application/json");
        }
    }

    private int write(HttpServletResponse response, Reply reply, Exchange ex) throws IOException {
        response.setStatus(reply.status());
        for (Map.Entry<String, String> header : reply.headers().entrySet()) {
            response.setHeader(header.getKey(), header.getValue());
        }
        if (reply.body() == null) {
            response.setContentLength(0);
            return reply.status();
        }
        long length = reply.body().length();
        if (length >= 0) {
            response.setContentLengthLong(length);
        }
        if (!"HEAD".equals(ex.method())) {
            try (OutputStream out = response.getOutputStream()) {
                reply.body().writeTo(out);
            }
        }
        return reply.status();
    }

    private static byte[] bytes(ReplyBody body) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        body.writeTo(out);
        return out.toByteArray();
    }

    private void writeHalfThenDrop(Request base, HttpServletResponse response, Reply reply) throws IOException {
        long length = reply.body().length();
        long half = length > 0 ? length / 2 : 16;
        response.setStatus(reply.status());
        reply.headers().forEach(response::setHeader);
        if (length > 0) {
            response.setContentLengthLong(length);
        }
        OutputStream out = response.getOutputStream();
        try {
            reply.body().writeTo(new CutOff(out, half));
        } catch (CutOff.Reached e) {
            // the planned cut
        }
        out.flush();
        drop(base);
    }

    private static final Duration LONGEST_STALL = Duration.ofMinutes(5);

    /** Half the body, then silence with the connection open until the peer closes it or the sandbox stops. */
    private void writeHalfThenStall(Request base, HttpServletResponse response, Reply reply) throws IOException {
        long length = reply.body().length();
        response.setStatus(reply.status());
        reply.headers().forEach(response::setHeader);
        response.setContentLengthLong(length);
        OutputStream out = response.getOutputStream();
        try {
            reply.body().writeTo(new CutOff(out, length / 2));
        } catch (CutOff.Reached e) {
            // the planned cut
        }
        out.flush();
        long until = System.nanoTime() + LONGEST_STALL.toNanos();
        EndPoint endPoint = base.getHttpChannel().getEndPoint();
        try {
            while (endPoint.isOpen() && System.nanoTime() < until) {
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        drop(base);
    }

    private static void drop(Request base) {
        base.getHttpChannel().abort(new IOException("connection dropped by fault injection"));
    }

    private void pause() {
        long millis = ctx.faults().settings().latency().toMillis();
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Passes through the first {@code limit} bytes, then stops the writer. */
    private static final class CutOff extends FilterOutputStream {
        static final class Reached extends IOException {
            Reached() {
                super("cut", null);
            }
        }

        private long remaining;

        CutOff(OutputStream out, long limit) {
            super(out);
            this.remaining = limit;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            int n = (int) Math.min(len, remaining);
            out.write(b, off, n);
            remaining -= n;
            if (remaining <= 0) {
                throw new Reached();
            }
        }

        @Override
        public void close() {
            // the response stream is closed by the drop
        }
    }
}
