package meshgate.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import meshgate.protocol.AuthToken;
import meshgate.protocol.MeshHeaders;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One authenticated, retried MESH request at a time: signs each attempt with a fresh token, maps failures to the
 * {@link MeshException} hierarchy and retries those that can be helped by waiting.
 */
final class MeshHttp {
    private static final Logger LOG = LoggerFactory.getLogger(MeshHttp.class);
    static final ObjectMapper JSON = new ObjectMapper();
    /**
     * The largest JSON answer read. MESH's largest is an inbox page: at most 500 message ids of about 30 bytes, some
     * 16 KB; tracking and endpoint lookups are smaller. A mebibyte leaves ample room and still bounds what a server
     * posing as MESH, or a broken proxy, can make the client hold.
     */
    static final long MAX_JSON_BYTES = 1024 * 1024;
    /** The largest error body read: MESH's are a few hundred bytes; a proxy's HTML error page fits too. */
    static final long MAX_ERROR_BYTES = 64 * 1024;

    private final OkHttpClient http;
    private final HttpUrl baseUrl;
    private final MeshCredentials credentials;
    private final RetryPolicy retryPolicy;
    private final Clock clock;
    private final String userAgent;
    private final MeshTls tls;
    private final java.util.concurrent.atomic.AtomicLong retries = new java.util.concurrent.atomic.AtomicLong();

    MeshHttp(OkHttpClient http, URI baseUrl, MeshCredentials credentials, RetryPolicy retryPolicy, Clock clock,
            String userAgent, MeshTls tls) {
        this.http = http;
        this.tls = tls;
        this.baseUrl = HttpUrl.get(baseUrl.toString());
        this.credentials = credentials;
        this.retryPolicy = retryPolicy;
        this.clock = clock;
        this.userAgent = userAgent;
    }

    /** Reads a response that MESH answered with a success status; the response is closed afterwards unless kept. */
    @FunctionalInterface
    interface ResponseReader<T> {
        T read(Response response) throws IOException;
    }

    /** Builds the request for one attempt, with a fresh Authorization token. */
    @FunctionalInterface
    interface RequestFactory {
        Request.Builder build(Request.Builder signed);
    }

    HttpUrl url(String pathAndQuery) {
        HttpUrl url = baseUrl.resolve(pathAndQuery.startsWith("/") ? pathAndQuery : "/" + pathAndQuery);
        if (url == null) {
            throw new IllegalArgumentException("bad MESH path " + pathAndQuery);
        }
        return url;
    }

    /** How many times a call was tried again since this client was built. */
    long retries() {
        return retries.get();
    }

    String mailbox() {
        return credentials.mailbox();
    }

    /** Executes with retries; {@code reader} sees only successful responses and owns closing when it keeps one. */
    <T> T execute(String operation, RequestFactory factory, ResponseReader<T> reader) {
        return withRetries(operation, () -> executeOnce(operation, factory, reader));
    }

    /** Runs {@code attempt} under the retry policy; only retryable {@link MeshException}s are tried again. */
    <T> T withRetries(String operation, Attempt<T> attempt) {
        Instant start = clock.instant();
        for (int number = 1; ; number++) {
            try {
                return attempt.run();
            } catch (MeshException e) {
                Duration elapsed = Duration.between(start, clock.instant());
                // An indeterminate send is for the caller to look up again later: a retry here would send again.
                if (!e.isRetryable() || e instanceof MeshIndeterminateException || number >= retryPolicy.maxAttempts()
                        || elapsed.compareTo(retryPolicy.maxElapsed()) >= 0) {
                    throw e;
                }
                Duration wait = backoff(number, e);
                retries.incrementAndGet();
                LOG.info("mesh_retry operation={} attempt={} status={} wait_ms={} reason=\"{}\"", operation, number,
                        e.httpStatus(), wait.toMillis(), e.getMessage());
                sleep(wait);
            }
        }
    }

    @FunctionalInterface
    interface Attempt<T> {
        T run();
    }

    /** One attempt, no retry: for requests whose retry needs a check first (the chunk that creates a message). */
    <T> T executeOnce(String operation, RequestFactory factory, ResponseReader<T> reader) {
        Request request = factory.build(signedRequest()).build();
        Response response;
        tls.takeMissingCertificate();
        try {
            response = http.newCall(request).execute();
        } catch (IOException e) {
            if (tls.takeMissingCertificate()) {
                throw new MeshTlsException(operation + " failed: the server asked for a client certificate and none "
                        + "is configured that it accepts (" + e.getMessage() + ")", 0, null, null, null, e);
            }
            throw transportFailure(operation, e);
        }
        boolean keep = false;
        try {
            if (!response.isSuccessful() && response.code() != 300) {
                throw errorFrom(operation, response);
            }
            T result = reader.read(response);
            keep = result instanceof Response;
            return result;
        } catch (IOException e) {
            throw transportFailure(operation, e);
        } finally {
            if (!keep) {
                response.close();
            }
        }
    }

    Request.Builder signedRequest() {
        AuthToken token = AuthToken.create(credentials.mailbox(), credentials.password(), credentials.sharedKey(),
                UUID.randomUUID().toString(), 1, clock.instant());
        return new Request.Builder()
                .header(MeshHeaders.AUTHORIZATION, token.header())
                .header(MeshHeaders.ACCEPT, MeshHeaders.MEDIA_TYPE_V2)
                // Asked for explicitly so that gzip-encoded messages arrive as sent, and OkHttp leaves them alone.
                .header(MeshHeaders.ACCEPT_ENCODING, "gzip")
                .header("user-agent", userAgent);
    }

    static MeshException transportFailure(String operation, IOException e) {
        if (isTlsFailure(e)) {
            return new MeshTlsException(operation + " failed: TLS handshake: " + e.getMessage(), 0, null, null, null, e);
        }
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new MeshTransportException(operation + " failed: " + reason, 0, null, null, null, e);
    }

    private static boolean isTlsFailure(IOException e) {
        if (e instanceof SSLHandshakeException || e instanceof SSLPeerUnverifiedException) {
            return true;
        }
        if (e instanceof SSLException) {
            Throwable cause = e.getCause();
            return !(cause instanceof SocketException || cause instanceof EOFException
                    || cause instanceof InterruptedIOException);
        }
        return false;
    }

    /** Maps an unsuccessful response to the exception that says what happened, reading MESH's error body. */
    static MeshException errorFrom(String operation, Response response) {
        int status = response.code();
        String event = null;
        String code = null;
        String description = null;
        boolean oversized = false;
        try {
            ResponseBody body = response.body();
            Optional<String> read = body == null ? Optional.of("") : boundedText(body, MAX_ERROR_BYTES);
            oversized = read.isEmpty();
            String text = read.orElse("");
            if (!text.isBlank()) {
                JsonNode json = JSON.readTree(text);
                JsonNode detail = json.path("detail");
                if (detail.isArray() && !detail.isEmpty()) {
                    JsonNode first = detail.get(0);
                    event = first.path("event").asText(null);
                    code = first.path("code").asText(null);
                    description = first.path("msg").asText(null);
                } else if (json.has("errorDescription")) {
                    event = json.path("errorEvent").asText(null);
                    code = json.path("errorCode").asText(null);
                    description = json.path("errorDescription").asText(null);
                } else if (json.has("message")) {
                    description = json.path("message").asText(null);
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            // The status alone still says what happened.
        }
        String message = operation + " failed: HTTP " + status
                + (code != null && !code.isEmpty() ? " code " + code : "")
                + (description != null && !description.isEmpty() ? ": " + description : "")
                + (oversized ? " (error body larger than 64 KiB, not read)" : "");
        if ((status == 401 || status == 403) && !messageDoesNotExist(code, description)) {
            return new MeshAuthenticationException(message, status, event, code, description, null);
        }
        if (status == 403) {
            // MESH's documentation answers tracking of an unknown message with 403 "Message does not exist" (code
            // 20): the message is missing, the credentials are fine.
            return new MeshNotFoundException(message, status, event, code, description, null);
        }
        if (status == 404 || status == 410) {
            return new MeshNotFoundException(message, status, event, code, description, null);
        }
        if (status == 429 || status >= 500) {
            return new MeshUnavailableException(message, status, event, code, description, null);
        }
        return new MeshRejectedException(message, status, event, code, description, null);
    }

    private static boolean messageDoesNotExist(String code, String description) {
        return "20".equals(code) || "Message does not exist".equalsIgnoreCase(description);
    }

    private Duration backoff(int attempt, MeshException e) {
        long ceiling = retryPolicy.backoffCeiling(attempt).toMillis();
        long wait = ceiling <= 0 ? 0 : ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1);
        if (e.getCause() == null && e.httpStatus() == 429) {
            wait = Math.max(wait, Math.min(1000, retryPolicy.maxBackoff().toMillis()));
        }
        return Duration.ofMillis(wait);
    }

    private static void sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MeshTransportException("interrupted while waiting to retry", 0, null, null, null, e);
        }
    }

    /** A successful answer's JSON, refused unread beyond {@link #MAX_JSON_BYTES}. */
    static JsonNode json(Response response) throws IOException {
        ResponseBody body = response.body();
        String text = body == null ? "" : boundedText(body, MAX_JSON_BYTES).orElseThrow(() -> new MeshException(
                "MESH's answer to " + response.request().method() + " " + response.request().url().encodedPath()
                        + " is larger than 1 MiB; refused unread", response.code(), null, null, null, false, null));
        return text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
    }

    /**
     * The body as UTF-8 text if it has at most {@code limit} bytes, else empty; never buffers more than
     * {@code limit + 1} bytes, whatever Content-Length says or however long the server keeps sending.
     */
    static Optional<String> boundedText(ResponseBody body, long limit) throws IOException {
        if (body.contentLength() > limit) {
            return Optional.empty();
        }
        BufferedSource source = body.source();
        if (source.request(limit + 1)) {
            return Optional.empty();
        }
        return Optional.of(source.getBuffer().readUtf8());
    }
}
