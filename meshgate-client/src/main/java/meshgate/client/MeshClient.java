package meshgate.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import meshgate.protocol.ChunkRange;
import meshgate.protocol.MeshHeaders;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.ConnectionPool;
import okhttp3.ConnectionSpec;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client of the MESH API for one mailbox. Thread-safe; share one per mailbox. Messages of any size are streamed:
 * memory stays within about one chunk ({@link Builder#chunkSize}) plus one crumb ({@link Builder#crumbSize}).
 */
public final class MeshClient implements AutoCloseable {
    static final Logger LOG = LoggerFactory.getLogger(MeshClient.class);

    /** Below the 20 MB per-request limit of MESH's internet-facing endpoints, with room for gzip's worst case. */
    public static final int DEFAULT_CHUNK_SIZE = 19 * 1024 * 1024;
    /** Idle connections kept for reuse by default; see {@link Builder#connectionPoolSize}. */
    public static final int DEFAULT_CONNECTION_POOL_SIZE = 16;
    /** MESH requires every chunk but the last to be larger than 5 MiB. */
    public static final int MIN_CHUNK_SIZE = 5 * 1024 * 1024 + 1;
    /** The per-request limit of MESH's HSCN endpoints. */
    public static final int MAX_CHUNK_SIZE = 100_000_000;
    public static final int DEFAULT_CRUMB_SIZE = 64 * 1024;
    public static final String VERSION = "0.1.0";
    /** How this client names itself to MESH, in {@code mex-ClientVersion} ({@code name==version}) and User-Agent. */
    public static final String CLIENT_NAME = "meshgate";

    private final OkHttpClient ok;
    private final MeshHttp http;
    private final int chunkSize;
    private final int crumbSize;
    private final boolean deduplicateSends;
    private final Clock clock;
    private final Duration callBudget;
    /** Deflates chunks for compressed sends: one thread a core, shared by this client's sends, idle ones let go. */
    private final ThreadPoolExecutor compressors;

    private MeshClient(Builder builder) {
        this.chunkSize = builder.chunkSize;
        this.crumbSize = builder.crumbSize;
        this.deduplicateSends = builder.deduplicateSends;
        this.clock = builder.clock;
        this.callBudget = callBudget(builder.retryPolicy, builder.connectTimeout, builder.readTimeout);
        this.compressors = compressors();
        OkHttpClient.Builder okBuilder = new OkHttpClient.Builder()
                .protocols(List.of(Protocol.HTTP_1_1))
                .connectTimeout(builder.connectTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(builder.readTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .writeTimeout(builder.readTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .retryOnConnectionFailure(false)
                .followRedirects(false)
                .connectionPool(new ConnectionPool(builder.connectionPoolSize, 5, TimeUnit.MINUTES));
        MeshTls tls = builder.tls;
        if ("https".equalsIgnoreCase(builder.baseUrl.getScheme())) {
            okBuilder.sslSocketFactory(tls.sslContext().getSocketFactory(), tls.trustManager());
            if (!tls.verifies()) {
                LOG.warn("mesh_tls_verification_disabled base_url={} mailbox={} note=\"server certificates and host "
                        + "names are NOT checked; use only with a local sandbox\"", builder.baseUrl,
                        builder.credentials.mailbox());
            } else if (!tls.verifiesHostname()) {
                LOG.warn("mesh_tls_hostname_verification_disabled base_url={} mailbox={}", builder.baseUrl,
                        builder.credentials.mailbox());
            }
            if (!tls.verifiesHostname()) {
                okBuilder.hostnameVerifier((host, session) -> true);
            }
        } else {
            // Plain HTTP only (a local sandbox): OkHttp then makes no TLS context of its own, whose trusted roots
            // take a short command a tenth of a second to read.
            okBuilder.connectionSpecs(List.of(ConnectionSpec.CLEARTEXT));
        }
        this.ok = okBuilder.build();
        // MESH's own client's format: name;version;runtime;architecture;OS;OS version.
        String userAgent = String.join(";", CLIENT_NAME, VERSION, System.getProperty("java.version", "N/A"),
                System.getProperty("os.arch", "N/A"), System.getProperty("os.name", "N/A"),
                System.getProperty("os.version", "N/A"));
        this.http = new MeshHttp(ok, builder.baseUrl, builder.credentials, builder.retryPolicy, clock, userAgent, tls);
    }

    /**
     * The longest one call of this client can take, retries included: the call that posts a message's first chunk,
     * the longest, since each of its failed attempts is followed by a lookup by local id (a call of its own). An
     * attempt waits at most the connect timeout, then the read timeout for each read; a MESH answer that trickles
     * in byte by byte can take longer still.
     */
    public Duration callBudget() {
        return callBudget;
    }

    /** {@link #callBudget()} of a client built with these settings. */
    public static Duration callBudget(RetryPolicy retryPolicy, Duration connectTimeout, Duration readTimeout) {
        Duration attempt = connectTimeout.plus(readTimeout);
        Duration lookup = retryPolicy.longestCall(attempt);
        return retryPolicy.longestCall(attempt.plus(lookup));
    }

    public static Builder builder() {
        return new Builder();
    }

    public String mailbox() {
        return http.mailbox();
    }

    public int chunkSize() {
        return chunkSize;
    }

    /** How many calls were tried again (after a connection error, 429 or 5xx) since this client was built. */
    public long retries() {
        return http.retries();
    }

    /** Validates the mailbox and credentials (MESH asks for this once a day), identifying this client to MESH. */
    public void handshake() {
        http.execute("handshake", r -> r.url(http.url(mailboxPath()))
                .header(MeshHeaders.CLIENT_VERSION, CLIENT_NAME + "==" + VERSION)
                .header(MeshHeaders.OS_NAME, System.getProperty("os.name", "unknown"))
                .header(MeshHeaders.OS_VERSION, System.getProperty("os.version", "unknown"))
                .header(MeshHeaders.OS_ARCHITECTURE, System.getProperty("os.arch", "unknown"))
                .header(MeshHeaders.JAVA_VERSION, System.getProperty("java.version", "unknown"))
                .post(RequestBody.create(new byte[0])), response -> null);
        LOG.info("mesh_handshake mailbox={} result=ok", mailbox());
    }

    /**
     * Sends a file, chunk by chunk, reading one crumb at a time (when compressing, deflating the next chunk while one
     * uploads).
     */
    public SendResult send(OutboundMessage message, Path file) {
        try {
            return send(message, MessageContent.of(file), SendListener.NONE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * Sends content read by offset, telling {@code listener} after each chunk MESH accepts, so that a caller can
     * record progress and {@link #resume} after a restart.
     */
    public SendResult send(OutboundMessage message, MessageContent content, SendListener listener) {
        return resume(message, content, SendProgress.start(clock.instant(), chunkSize), listener);
    }

    /**
     * Carries on a send from recorded progress, with the chunk size it began with. Without a message id (the answer
     * to chunk 1 was never recorded), MESH is first asked for a message with the same local id, recipient, workflow
     * id, file name and chunk count, uploaded since the send began, so that resuming never makes a second message.
     * When MESH's answer cannot tell (see {@link MeshIndeterminateException}), nothing is sent.
     */
    public SendResult resume(OutboundMessage message, MessageContent content, SendProgress progress,
            SendListener listener) {
        try (ChunkSource source = ChunkSource.of(content, progress.chunkSize(), crumbSize, message.compress(),
                compressors)) {
            return send(message, source, progress, listener);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + content, e);
        }
    }

    /** Sends exactly {@code length} bytes of a stream; holds one chunk in memory so that it can be sent again. */
    public SendResult send(OutboundMessage message, InputStream content, long length) {
        try (ChunkSource source = ChunkSource.of(content, length, chunkSize, crumbSize, message.compress(),
                compressors)) {
            return send(message, source, SendProgress.start(clock.instant(), chunkSize), SendListener.NONE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends a stream of unknown length. MESH needs the chunk count with the first chunk, so content longer than one
     * chunk is first spooled to a temporary file (deleted afterwards); memory stays bounded either way.
     */
    public SendResult send(OutboundMessage message, InputStream content) {
        try {
            byte[] head = content.readNBytes(chunkSize);
            if (head.length < chunkSize) {
                return send(message, head);
            }
            Path spool = Files.createTempFile("meshgate-send-", ".spool");
            try {
                try (OutputStream out = Files.newOutputStream(spool)) {
                    out.write(head);
                    head = null;
                    content.transferTo(out);
                }
                return send(message, spool);
            } finally {
                Files.deleteIfExists(spool);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public SendResult send(OutboundMessage message, byte[] content) {
        return send(message, new java.io.ByteArrayInputStream(content), content.length);
    }

    private SendResult send(OutboundMessage message, ChunkSource source, SendProgress progress,
            SendListener listener) throws IOException {
        if (source.length == 0 && !message.gzipEncoded()) {
            // MESH refuses an empty body (COLLECT 02); an empty gzip member decodes to the same empty content.
            return send(message.withCompression(), ChunkSource.of(InputStream.nullInputStream(), 0, source.chunkSize,
                    crumbSize, true, compressors), progress, listener);
        }
        OutboundMessage routed = message.localId().isEmpty() && deduplicateSends
                ? message.withLocalId("meshgate-" + UUID.randomUUID())
                : message;
        checkHeaderValues(routed);
        int total = source.count();
        long[] sent = {0};
        String messageId = progress.messageId().orElse(null);
        int next = progress.chunksAccepted() + 1;
        if (messageId == null && progress.chunksAccepted() > 0) {
            throw new IllegalArgumentException("progress has accepted chunks but no message id");
        }
        if (messageId == null && routed.localId().isPresent() && !progress.isFresh()) {
            messageId = recover(routed, OptionalInt.of(total), progress.startedAt(), Optional.empty(), 0).orElse(null);
            next = messageId == null ? 1 : 2;
        }
        if (messageId == null) {
            Optional<Set<String>> earlier = earlierWithLocalId(message, routed);
            messageId = http.withRetries("send",
                    () -> sendFirstChunk(routed, source, total, progress.startedAt(), earlier, sent));
            listener.chunkAccepted(messageId, 1, total);
            next = 2;
        }
        for (int number = next; number <= total; number++) {
            ChunkRange range = new ChunkRange(number, total);
            RequestBody body = body(source, number);
            uploadChunk(routed, messageId, range, body);
            sent[0] += contentLength(body);
            listener.chunkAccepted(messageId, number, total);
        }
        LOG.info("mesh_sent mailbox={} to={} workflow_id={} message_id={} local_id={} chunks={} bytes={} compressed={}",
                mailbox(), routed.to(), routed.workflowId(), messageId, routed.localId().orElse(""), total, sent[0],
                routed.compress());
        return new SendResult(messageId, routed.localId().orElse(""), total, sent[0]);
    }

    private void uploadChunk(OutboundMessage message, String messageId, ChunkRange range, RequestBody body) {
        try {
            http.execute("send chunk " + range, r -> {
                r.url(http.url(mailboxPath() + "/outbox/" + messageId + "/" + range.number()))
                        .header(MeshHeaders.CHUNK_RANGE, range.toString())
                        .header(MeshHeaders.CONTENT_TYPE, MeshHeaders.OCTET_STREAM);
                message.contentType().ifPresent(v -> r.header(MeshHeaders.MEX_CONTENT_TYPE, v));
                if (message.gzipEncoded()) {
                    r.header(MeshHeaders.CONTENT_ENCODING, "gzip");
                }
                return r.post(typed(body, MeshHeaders.OCTET_STREAM));
            }, response -> null);
        } catch (MeshRejectedException e) {
            // 423: the message is no longer uploading. After a lost answer to the last chunk, that means MESH
            // took it; anything else is a real failure.
            if (e.httpStatus() != 423 || !range.isLast() || track(messageId).status() == DeliveryStatus.UPLOADING) {
                throw e;
            }
            LOG.info("mesh_send_recovered message_id={} chunk={} note=\"last chunk had been accepted\"", messageId,
                    range);
        }
    }

    /**
     * Sends chunk 1, which creates the message. When the outcome is unknown (the connection failed, or MESH
     * answered 5xx), MESH may have created it anyway: before the next try, look for it by local id, so that a retry
     * never makes a second message. {@code earlier}: the messages that had the local id before, when known.
     */
    private String sendFirstChunk(OutboundMessage message, ChunkSource source, int total, Instant started,
            Optional<Set<String>> earlier, long[] sent) {
        try {
            RequestBody body = body(source, 1);
            String id = http.executeOnce("send", r -> firstChunkRequest(r, message, total, body),
                    response -> MeshHttp.json(response).path("message_id").asText(null));
            if (id == null || id.isEmpty()) {
                throw new MeshRejectedException("send failed: MESH accepted but gave no message_id", 202, null, null,
                        null, null);
            }
            sent[0] += contentLength(body);
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (MeshException e) {
            if (!e.isRetryable() || message.localId().isEmpty() || !deduplicateSends) {
                throw e;
            }
            Optional<String> existing;
            try {
                existing = recover(message, OptionalInt.of(total), started, earlier, e.httpStatus());
            } catch (MeshIndeterminateException unknown) {
                unknown.addSuppressed(e);
                throw unknown;
            }
            // Not created: the failure stands, and the retry sends chunk 1 again.
            return existing.orElseThrow(() -> e);
        }
    }

    /**
     * Settles a send whose outcome was never recorded (the sender stopped before MESH answered, or the send ended in
     * {@link MeshIndeterminateException}), judged as a send judges its own first chunk: the id of the message MESH
     * holds with this message's local id, recipient, workflow id and file name (and chunk count, when known), uploaded
     * no earlier than {@code startedAt} less a clock skew; empty when MESH holds no message with the local id, or only
     * another one. Throws {@link MeshIndeterminateException} when MESH's answer cannot tell (several messages have the
     * local id, a field to compare is missing, only the upload time separates them) or cannot be had.
     */
    public Optional<String> findSent(OutboundMessage message, OptionalInt chunks, Instant startedAt) {
        if (message.localId().isEmpty()) {
            throw new IllegalArgumentException("a send is found by its local id, and this message has none");
        }
        return recover(message, chunks, startedAt, Optional.empty(), 0);
    }

    /**
     * After a first chunk with an unknown outcome: the id of the message it created, or empty when it created none.
     * Throws {@link MeshIndeterminateException} (with {@code failedStatus}, the status of the answer that left the
     * outcome unknown) when MESH's answer cannot tell, or cannot be had.
     */
    private Optional<String> recover(OutboundMessage message, OptionalInt total, Instant started,
            Optional<Set<String>> earlier, int failedStatus) {
        String localId = message.localId().orElseThrow();
        LocalIdRecovery.Lookup found;
        try {
            found = lookUpLocalId(localId);
        } catch (MeshException lookupFailed) {
            throw new MeshIndeterminateException("send of local id " + localId + " has an unknown outcome: tracking "
                    + "by local id failed: " + lookupFailed.getMessage(), failedStatus, lookupFailed);
        }
        LocalIdRecovery.Verdict verdict = LocalIdRecovery.judge(found, message, total, started, earlier);
        switch (verdict.kind()) {
            case SENT -> LOG.info("mesh_send_recovered mailbox={} message_id={} local_id={} reason=\"{}\"", mailbox(),
                    verdict.messageId().orElseThrow(), localId, verdict.reason());
            case NOT_SENT -> LOG.info("mesh_send_not_created mailbox={} local_id={} reason=\"{}\"", mailbox(), localId,
                    verdict.reason());
            case UNKNOWN -> {
                LOG.warn("mesh_send_indeterminate mailbox={} local_id={} to={} workflow_id={} reason=\"{}\"",
                        mailbox(), localId, message.to(), message.workflowId(), verdict.reason());
                throw new MeshIndeterminateException("send of local id " + localId + " has an unknown outcome: "
                        + verdict.reason(), failedStatus, null);
            }
        }
        return verdict.messageId();
    }

    /**
     * The messages that carry the caller's local id before this send creates one, so that recovery never takes one of
     * them for this send's message whatever the clocks say. A local id made here is new, so none carry it. Empty when
     * not known (the lookup failed, or MESH only says there are several).
     */
    private Optional<Set<String>> earlierWithLocalId(OutboundMessage asGiven, OutboundMessage routed) {
        if (!deduplicateSends || routed.localId().isEmpty()) {
            return Optional.empty();
        }
        if (asGiven.localId().isEmpty()) {
            return Optional.of(Set.of());
        }
        try {
            return lookUpLocalId(routed.localId().get()).ids();
        } catch (MeshException e) {
            LOG.info("mesh_local_id_lookup_failed mailbox={} local_id={} reason=\"{}\"", mailbox(),
                    routed.localId().get(), e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * As MESH's own clients do: a single chunk carries the content type as its HTTP Content-Type, the chunks of a
     * larger message are octet-stream; {@code mex-content-type} carries it either way, which is what MESH passes on.
     */
    private Request.Builder firstChunkRequest(Request.Builder r, OutboundMessage message, int total, RequestBody body) {
        String httpType = total > 1 ? MeshHeaders.OCTET_STREAM : message.contentType().orElse(MeshHeaders.OCTET_STREAM);
        Headers.Builder headers = new Headers.Builder()
                .add(MeshHeaders.FROM, mailbox())
                .add(MeshHeaders.TO, message.to())
                .add(MeshHeaders.WORKFLOW_ID, message.workflowId())
                .add(MeshHeaders.CHUNK_RANGE, new ChunkRange(1, total).toString())
                .add(MeshHeaders.CONTENT_TYPE, httpType);
        message.contentType().ifPresent(v -> headers.add(MeshHeaders.MEX_CONTENT_TYPE, v));
        message.subject().ifPresent(v -> headers.addUnsafeNonAscii(MeshHeaders.SUBJECT, v));
        message.localId().ifPresent(v -> headers.addUnsafeNonAscii(MeshHeaders.LOCAL_ID, v));
        message.fileName().ifPresent(v -> headers.addUnsafeNonAscii(MeshHeaders.FILE_NAME, v));
        message.partnerId().ifPresent(v -> headers.addUnsafeNonAscii("mex-partnerid", v));
        message.contentChecksum().ifPresent(v -> headers.add(MeshHeaders.CONTENT_CHECKSUM, v));
        if (message.contentCompressed()) {
            headers.add(MeshHeaders.CONTENT_COMPRESSED, "Y");
        }
        if (message.contentEncrypted()) {
            headers.add(MeshHeaders.CONTENT_ENCRYPTED, "Y");
        }
        if (message.gzipEncoded()) {
            headers.add(MeshHeaders.CONTENT_ENCODING, "gzip");
        }
        Headers signed = r.url(http.url(mailboxPath() + "/outbox")).build().headers();
        return r.headers(signed.newBuilder().addAll(headers.build()).build()).post(typed(body, httpType));
    }

    /** The body under the media type we send: OkHttp puts a body's own media type over a Content-Type header. */
    private static RequestBody typed(RequestBody body, String mediaType) {
        MediaType type = MediaType.parse(mediaType);
        return new RequestBody() {
            @Override
            public MediaType contentType() {
                return type;
            }

            @Override
            public long contentLength() throws IOException {
                return body.contentLength();
            }

            @Override
            public void writeTo(okio.BufferedSink sink) throws IOException {
                body.writeTo(sink);
            }
        };
    }

    private static RequestBody body(ChunkSource source, int number) throws IOException {
        return source.body(number);
    }

    private static long contentLength(RequestBody body) {
        try {
            return body.contentLength();
        } catch (IOException e) {
            return -1;
        }
    }

    private static void checkHeaderValues(OutboundMessage message) {
        List<String> values = new ArrayList<>(List.of(message.to(), message.workflowId()));
        message.subject().ifPresent(values::add);
        message.localId().ifPresent(values::add);
        message.fileName().ifPresent(values::add);
        message.contentChecksum().ifPresent(values::add);
        message.contentType().ifPresent(values::add);
        for (String value : values) {
            if (value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw new IllegalArgumentException("MESH header values must not contain control characters: '"
                        + value.replaceAll("\\p{Cntrl}", "?") + "'");
            }
        }
        if (message.to().isBlank() || message.workflowId().isBlank()) {
            throw new IllegalArgumentException("a MESH message needs a recipient mailbox and a workflow id");
        }
    }

    /** One page of the inbox. */
    public InboxPage inboxPage(InboxQuery query) {
        HttpUrl.Builder url = http.url(mailboxPath() + "/inbox").newBuilder()
                .addQueryParameter("max_results", Integer.toString(query.maxResults()));
        query.workflowFilter().ifPresent(f -> url.addQueryParameter("workflow_filter", f));
        return inboxPage(url.build());
    }

    /** The page named by an earlier page's {@link InboxPage#nextPage()}. */
    public InboxPage inboxPage(String nextPage) {
        return inboxPage(http.url(nextPage));
    }

    private InboxPage inboxPage(HttpUrl url) {
        return http.execute("list inbox", r -> r.url(url).get(), response -> {
            JsonNode json = MeshHttp.json(response);
            List<String> ids = new ArrayList<>();
            json.path("messages").forEach(id -> ids.add(id.asText()));
            String next = json.path("links").path("next").asText(null);
            long count = json.path("approx_inbox_count").asLong(ids.size());
            return new InboxPage(ids, Optional.ofNullable(next).filter(s -> !s.isBlank()), count);
        });
    }

    /** Every message id in the inbox, following MESH's pages to the end. */
    public List<String> inbox(InboxQuery query) {
        List<String> all = new ArrayList<>();
        InboxPage page = inboxPage(query);
        all.addAll(page.messageIds());
        while (page.nextPage().isPresent()) {
            page = inboxPage(page.nextPage().get());
            all.addAll(page.messageIds());
        }
        return all;
    }

    public List<String> inbox() {
        return inbox(InboxQuery.all());
    }

    /** The inbox's messages with their details ({@code GET .../inbox/rich}), every page, from MESH's default start. */
    public List<RichMessage> richInbox() {
        return richList("inbox");
    }

    /** What this mailbox sent, with status ({@code GET .../outbox/rich}), every page, from MESH's default start. */
    public List<RichMessage> richOutbox() {
        return richList("outbox");
    }

    private List<RichMessage> richList(String list) {
        List<RichMessage> all = new ArrayList<>();
        HttpUrl url = http.url(mailboxPath() + "/" + list + "/rich");
        while (url != null) {
            HttpUrl page = url;
            String next = http.execute("rich " + list, r -> r.url(page).get(), response -> {
                JsonNode json = MeshHttp.json(response);
                json.path("messages").forEach(m -> all.add(RichMessage.fromJson(m)));
                return json.path("links").path("next").asText("");
            });
            url = next.isBlank() ? null : http.url(next);
        }
        return all;
    }

    /** MESH's count of messages waiting in the inbox. */
    public long inboxCount() {
        return http.execute("count inbox", r -> r.url(http.url(mailboxPath() + "/count")).get(),
                response -> MeshHttp.json(response).path("count").asLong());
    }

    /** A message's headers without its content. */
    public MessageMetadata headers(String messageId) {
        return http.execute("message headers", r -> r.url(http.url(inboxPath(messageId))).head(),
                response -> metadataOf(response, messageId));
    }

    /** Opens a message for reading as MESH holds it (gzip-encoded when sent so); the caller closes it. */
    public MessageInputStream open(String messageId) {
        return new MessageInputStream(this, messageId, fetchChunk(messageId, 1));
    }

    /**
     * Opens one chunk of a message, as MESH holds it: to carry on a download that an earlier process stopped at a
     * chunk boundary. {@code metadata} is the message's, as {@link #headers} gives it; the stream ends with the chunk.
     */
    public MessageInputStream openChunk(String messageId, MessageMetadata metadata, int number) {
        if (number < 1) {
            throw new IllegalArgumentException("chunks are numbered from 1, got " + number);
        }
        return new MessageInputStream(this, messageId, metadata, number, fetchChunk(messageId, number), true);
    }

    /** Streams a message into {@code out}; with {@code decompress}, a gzip-encoded message is written decoded. */
    public MessageMetadata download(String messageId, OutputStream out, boolean decompress) {
        try (MessageInputStream in = open(messageId)) {
            InputStream content = decompress ? in.decoded(crumbSize) : in;
            byte[] crumb = new byte[crumbSize];
            for (int read; (read = content.read(crumb)) >= 0; ) {
                out.write(crumb, 0, read);
            }
            out.flush();
            LOG.info("mesh_downloaded mailbox={} message_id={} chunks={} decompressed={}", mailbox(), messageId,
                    in.totalChunks(), decompress && in.metadata().isGzipEncoded());
            return in.metadata();
        } catch (IOException e) {
            throw new MeshTransportException("download of " + messageId + " failed: " + e.getMessage(), 0, null, null,
                    null, e);
        }
    }

    /**
     * Streams a message into a file, durably: written beside the target under a temporary name, forced to disk, then
     * renamed, so the target is never seen incomplete.
     */
    public MessageMetadata download(String messageId, Path target, boolean decompress) {
        Path dir = target.toAbsolutePath().getParent();
        Path part = dir.resolve(target.getFileName() + ".part-" + UUID.randomUUID());
        try {
            Files.createDirectories(dir);
            MessageMetadata metadata;
            try (FileChannel channel = FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    OutputStream out = java.nio.channels.Channels.newOutputStream(channel)) {
                metadata = download(messageId, out, decompress);
                channel.force(true);
            }
            try {
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return metadata;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        } finally {
            try {
                Files.deleteIfExists(part);
            } catch (IOException ignored) {
                // best effort: a stray .part file is harmless and named as such
            }
        }
    }

    /** Acknowledges a message: MESH removes it from the inbox and tells the sender it was collected. */
    public void acknowledge(String messageId) {
        http.execute("acknowledge", r -> r.url(http.url(inboxPath(messageId) + "/status/acknowledged"))
                .put(RequestBody.create(new byte[0])), response -> null);
        LOG.info("mesh_acknowledged mailbox={} message_id={}", mailbox(), messageId);
    }

    /** MESH's tracking record of a message this mailbox sent. */
    public TrackingInfo track(String messageId) {
        HttpUrl url = http.url(mailboxPath() + "/outbox/tracking").newBuilder()
                .addQueryParameter("messageID", messageId).build();
        return http.execute("track", r -> r.url(url).get(), response -> TrackingInfo.fromJson(MeshHttp.json(response)));
    }

    /** The message this mailbox sent with the given local id, if any (MESH's older tracking by local id). */
    public Optional<TrackingInfo> trackByLocalId(String localId) {
        LocalIdRecovery.Lookup found = lookUpLocalId(localId);
        if (found.several()) {
            throw new MeshRejectedException("track by local id failed: several messages have local id " + localId,
                    300, null, null, null, null);
        }
        return found.single();
    }

    private LocalIdRecovery.Lookup lookUpLocalId(String localId) {
        HttpUrl url = http.url(mailboxPath() + "/outbox/tracking").newBuilder().addPathSegment(localId).build();
        try {
            return http.execute("track by local id", r -> r.url(url).get(), response -> response.code() == 300
                    ? LocalIdRecovery.Lookup.many()
                    : LocalIdRecovery.Lookup.one(TrackingInfo.fromJson(MeshHttp.json(response))));
        } catch (MeshNotFoundException e) {
            return LocalIdRecovery.Lookup.none();
        }
    }

    /** Mailboxes of an organisation (ODS code) that receive a workflow. */
    public List<MailboxMatch> lookupEndpoint(String odsCode, String workflowId) {
        HttpUrl url = http.url("/messageexchange/endpointlookup").newBuilder()
                .addPathSegment(odsCode).addPathSegment(workflowId).build();
        return http.execute("endpoint lookup", r -> r.url(url).get(), MeshClient::mailboxMatches);
    }

    /** Mailboxes registered for a workflow. */
    public List<MailboxMatch> searchWorkflow(String workflowId) {
        HttpUrl url = http.url("/messageexchange/workflowsearch").newBuilder().addPathSegment(workflowId).build();
        return http.execute("workflow search", r -> r.url(url).get(), MeshClient::mailboxMatches);
    }

    private static List<MailboxMatch> mailboxMatches(Response response) throws IOException {
        List<MailboxMatch> matches = new ArrayList<>();
        MeshHttp.json(response).path("results").forEach(result -> matches.add(new MailboxMatch(
                result.hasNonNull("mailbox_id") ? result.path("mailbox_id").asText() : result.path("address").asText(),
                result.hasNonNull("mailbox_name") ? result.path("mailbox_name").asText()
                        : result.path("description").asText(""))));
        return matches;
    }

    /** Chunk {@code number} of a message, as an open response the caller closes. */
    Response fetchChunk(String messageId, int number) {
        String path = number == 1 ? inboxPath(messageId) : inboxPath(messageId) + "/" + number;
        return http.execute("download chunk " + number, r -> r.url(http.url(path)).get(), response -> {
            String range = response.header(MeshHeaders.CHUNK_RANGE);
            try {
                if (range != null && ChunkRange.parseAnswered(range).number() != number) {
                    throw new IOException("MESH answered chunk " + range + " when asked for chunk " + number);
                }
            } catch (IllegalArgumentException malformed) {
                throw new IOException("malformed mex-chunk-range '" + range + "'", malformed);
            }
            return response;
        });
    }

    static MessageMetadata metadataOf(Response response, String messageId) {
        TreeMap<String, String> headers = new TreeMap<>();
        for (String name : response.headers().names()) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith("mex-") || lower.equals(MeshHeaders.CONTENT_TYPE)
                    || lower.equals(MeshHeaders.CONTENT_ENCODING)) {
                headers.put(lower, response.header(name));
            }
        }
        headers.putIfAbsent(MeshHeaders.MESSAGE_ID, messageId);
        return new MessageMetadata(headers);
    }

    private static ThreadPoolExecutor compressors() {
        int threads = Runtime.getRuntime().availableProcessors();
        AtomicInteger made = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), task -> {
                    Thread thread = new Thread(task, "meshgate-gzip-" + made.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    private String mailboxPath() {
        return "/messageexchange/" + mailbox();
    }

    private String inboxPath(String messageId) {
        return mailboxPath() + "/inbox/" + messageId;
    }

    @Override
    public void close() {
        compressors.shutdownNow();
        ok.dispatcher().executorService().shutdown();
        ok.connectionPool().evictAll();
    }

    /** Settings of a {@link MeshClient}; only base URL and credentials are required. */
    public static final class Builder {
        private URI baseUrl;
        private MeshCredentials credentials;
        private MeshTls tls = MeshTls.systemDefault();
        private int chunkSize = DEFAULT_CHUNK_SIZE;
        private int crumbSize = DEFAULT_CRUMB_SIZE;
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private Duration connectTimeout = Duration.ofSeconds(30);
        private Duration readTimeout = Duration.ofMinutes(2);
        private boolean deduplicateSends = true;
        private int connectionPoolSize = DEFAULT_CONNECTION_POOL_SIZE;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        public Builder baseUrl(URI value) {
            this.baseUrl = value;
            return this;
        }

        public Builder environment(MeshEnvironment value) {
            return baseUrl(value.baseUrl());
        }

        public Builder credentials(MeshCredentials value) {
            this.credentials = value;
            return this;
        }

        public Builder credentials(String mailbox, String password, String sharedKey) {
            return credentials(new MeshCredentials(mailbox, password, sharedKey));
        }

        public Builder tls(MeshTls value) {
            this.tls = Objects.requireNonNull(value);
            return this;
        }

        /**
         * Bytes of content per MESH chunk: default 19 MiB, below the 20 MB per-request limit of the internet-facing
         * endpoints; more than 5 MiB (MESH's minimum for all but the last chunk) and at most 100 MB.
         */
        public Builder chunkSize(int value) {
            if (value < MIN_CHUNK_SIZE || value > MAX_CHUNK_SIZE) {
                throw new IllegalArgumentException("chunk_size must be more than 5 MiB and at most 100 MB, got " + value);
            }
            this.chunkSize = value;
            return this;
        }

        /** Bytes read or written at a time while streaming: default 64 KiB. */
        public Builder crumbSize(int value) {
            if (value < 1024 || value > 16 * 1024 * 1024) {
                throw new IllegalArgumentException("crumb_size must be between 1 KiB and 16 MiB, got " + value);
            }
            this.crumbSize = value;
            return this;
        }

        public Builder retryPolicy(RetryPolicy value) {
            this.retryPolicy = Objects.requireNonNull(value);
            return this;
        }

        public Builder connectTimeout(Duration value) {
            this.connectTimeout = value;
            return this;
        }

        public Builder readTimeout(Duration value) {
            this.readTimeout = value;
            return this;
        }

        /**
         * Idle connections kept open for reuse, each for up to 5 minutes (default 16). Give at least the number of
         * threads that use this client at once: a connection beyond the pool is closed after its request, and the
         * next request pays for a new mutual-TLS handshake.
         */
        public Builder connectionPoolSize(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("connectionPoolSize must be at least 1, got " + value);
            }
            this.connectionPoolSize = value;
            return this;
        }

        /**
         * Whether a send whose first chunk had an unknown outcome is checked by local id before being tried again
         * (default on; a local id {@code meshgate-{uuid}} is then given to messages that have none).
         */
        public Builder deduplicateSends(boolean value) {
            this.deduplicateSends = value;
            return this;
        }

        public Builder clock(Clock value) {
            this.clock = value;
            return this;
        }

        public MeshClient build() {
            Objects.requireNonNull(baseUrl, "baseUrl");
            Objects.requireNonNull(credentials, "credentials");
            return new MeshClient(this);
        }
    }
}
