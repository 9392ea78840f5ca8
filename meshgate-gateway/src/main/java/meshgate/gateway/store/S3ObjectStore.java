package meshgate.gateway.store;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import meshgate.client.MessageContent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * An {@link ObjectStore} on an S3 bucket, or on any server that speaks the S3 API. A key is the object's S3 key; an
 * object's metadata is its S3 user metadata ({@code x-amz-meta-*}), except {@code Content-Type} and
 * {@code Content-Encoding}, which are the object's own headers.
 *
 * <p>Metadata values are stored URL-encoded as Python's {@code quote_plus} encodes them (UTF-8, space as {@code +}),
 * the way people who upload to S3 for MESH already write them, since S3 metadata can carry ASCII only;
 * {@link #metadata} returns every value in that encoding, user metadata exactly as stored, and names in lower case as
 * S3 keeps them.
 *
 * <p>Writes land on their final key only, so that storage events (CloudTrail {@code PutObject} and
 * {@code CompleteMultipartUpload}, S3 event notifications) fire once, for the real object with its metadata. A writer
 * is given its key and metadata when created. An object that fits in one part is sent in one {@code PutObject} with
 * its metadata. A larger one is uploaded part by part, holding one part in memory, in a multipart upload created on
 * its own key with its metadata and content type; S3 shows it only once {@code CompleteMultipartUpload} makes it whole,
 * and a writer closed without commit aborts it. Uploads interrupted by a crash leave incomplete multipart uploads,
 * which S3 never lists as objects (a bucket lifecycle rule that aborts them after a day frees their storage).
 *
 * <p>AWS allows 2 KB of user metadata per object (names and values, in UTF-8), and S3-API test servers do not hold
 * to it, so the store does: when the headers do not fit, the largest go to a sidecar object {@code {key}.meta.json}
 * (a JSON object of names to text, as a local folder's sidecar), written just before the object ({@code PutObject} or
 * {@code CompleteMultipartUpload}), so that whoever reads the new object finds it; the object carries
 * {@code x-amz-meta-meshgate-sidecar: true}. {@link #metadata} returns both together; a move or delete takes the
 * sidecar along. Writes that must not replace ({@link #createNew}, {@link #moveNew}) look first (when the writer is
 * created and again just before the object is written) and then write with {@code If-None-Match: *}, which AWS S3
 * enforces atomically on {@code PutObject} and {@code CompleteMultipartUpload}; a multipart upload refused because
 * its key was taken meanwhile is aborted. Servers that ignore the header (S3Proxy 2.6 among them) get
 * only the look before the write.
 */
public final class S3ObjectStore implements ObjectStore {
    /** S3's smallest part, other than the last. */
    public static final int MIN_PART_SIZE = 5 * 1024 * 1024;
    public static final int DEFAULT_PART_SIZE = 16 * 1024 * 1024;
    /** The largest object S3 copies in one request; larger ones are copied in parts of this size. */
    static final long MAX_COPY_SIZE = 5L * 1024 * 1024 * 1024;
    private static final int MAX_PARTS = 10_000;
    /** S3 allows 1,024 bytes; the rest is room for the sidecar's suffix. */
    private static final int MAX_KEY_BYTES = 1024 - LocalFolderStore.SIDECAR_SUFFIX.length();
    /** AWS's limit on an object's user metadata: the UTF-8 bytes of its names and values. */
    static final int MAX_USER_METADATA_BYTES = 2048;
    /** Counted with each name, so that the limit holds however a server counts the names. */
    private static final String USER_METADATA_PREFIX = "x-amz-meta-";
    /** On an object whose headers did not all fit in its user metadata: the rest are in its sidecar. */
    static final String SIDECAR_HEADER = "meshgate-sidecar";
    private static final String IF_NONE_MATCH_ANY = "*";
    private static final String CONTENT_TYPE = "content-type";
    private static final String CONTENT_ENCODING = "content-encoding";
    /** What S3 and the SDK put on an object sent without a type: the same as having none. */
    private static final Set<String> DEFAULT_CONTENT_TYPES = Set.of("application/octet-stream", "binary/octet-stream");
    private static final String TOKEN_PUNCTUATION = "!#$%&'*+-.^_`|~";
    private static final Logger log = LoggerFactory.getLogger(S3ObjectStore.class);

    private final S3Client s3;
    private final ObjectMapper json = new ObjectMapper();
    private final String bucket;
    private final int partSize;
    private final long maxCopySize;

    /**
     * A store on {@code bucket} through {@code s3}, which it closes when closed. For a server other than AWS S3, the
     * client should calculate and validate checksums only when required, as the {@link #builder() builder}'s does:
     * not every S3-API server (S3Proxy among them) takes the SDK's default trailing checksums.
     *
     * @param partSize bytes per part of a multipart upload, and so the most a writer holds in memory
     */
    public S3ObjectStore(S3Client s3, String bucket, int partSize) {
        this(s3, bucket, partSize, MAX_COPY_SIZE);
    }

    S3ObjectStore(S3Client s3, String bucket, int partSize, long maxCopySize) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.bucket = requireText(bucket, "bucket");
        this.partSize = checkPartSize(partSize);
        if (maxCopySize < MIN_PART_SIZE || maxCopySize > MAX_COPY_SIZE) {
            throw new IllegalArgumentException("maxCopySize must be between 5 MiB and 5 GiB: " + maxCopySize);
        }
        this.maxCopySize = maxCopySize;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The bucket this store keeps its objects in. */
    public String bucket() {
        return bucket;
    }

    @Override
    public List<ObjectInfo> list(String prefix) throws IOException {
        checkPrefix(prefix);
        List<ObjectInfo> found = new ArrayList<>();
        call("list", prefix, () -> {
            for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
                String key = object.key();
                if (isInternal(key) || key.endsWith("/")) {
                    continue;
                }
                if (isUsableKey(key)) {
                    found.add(new ObjectInfo(key, object.size(), millis(object.lastModified()), object.eTag()));
                } else {
                    log.warn("event=store.unusable_name bucket={} key={}", bucket, LocalFolderStore.printable(key));
                }
            }
            return null;
        });
        // S3 orders by UTF-8 bytes; the store's order is the same String order as every other store's.
        found.sort(Comparator.comparing(ObjectInfo::key));
        return found;
    }

    @Override
    public Optional<ObjectInfo> stat(String key) throws IOException {
        checkKey(key);
        try {
            HeadObjectResponse head = head(key);
            return Optional.of(new ObjectInfo(key, head.contentLength(), millis(head.lastModified()), head.eTag()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean encodesMetadata() {
        return true;
    }

    @Override
    public Map<String, String> metadata(String key) throws IOException {
        checkKey(key);
        HeadObjectResponse head = head(key);
        Map<String, String> metadata = new LinkedHashMap<>();
        String type = head.contentType();
        if (type != null && !DEFAULT_CONTENT_TYPES.contains(type.trim().toLowerCase(Locale.ROOT))) {
            metadata.put(CONTENT_TYPE, quotePlus(type));
        }
        String encoding = objectEncoding(head.contentEncoding());
        if (encoding != null) {
            metadata.put(CONTENT_ENCODING, quotePlus(encoding));
        }
        Map<String, String> user = new TreeMap<>();
        head.metadata().forEach((name, value) -> user.put(name.toLowerCase(Locale.ROOT), value));
        if (user.remove(SIDECAR_HEADER) != null) {
            readSidecar(key).forEach((name, value) -> user.put(name, quotePlus(value)));
        }
        metadata.putAll(user);
        return metadata;
    }

    @Override
    public MessageContent content(String key) throws IOException {
        checkKey(key);
        HeadObjectResponse head = head(key);
        return new ObjectContent(key, head.contentLength(), head.eTag());
    }

    @Override
    public ObjectWriter create(String key, Map<String, String> metadata) throws IOException {
        checkKey(key);
        return new S3Writer(key, Headers.of(metadata), null);
    }

    @Override
    public ObjectWriter createNew(String key, Map<String, String> metadata) throws IOException {
        checkKey(key);
        Headers headers = Headers.of(metadata);
        checkAbsent(key);
        return new S3Writer(key, headers, IF_NONE_MATCH_ANY);
    }

    /**
     * A writer of a new object (as {@link #createNew}) that one process can stop and another carry on: at a
     * {@link ResumableWriter#checkpoint() checkpoint} everything written so far is in parts S3 holds, and the
     * checkpoint names them; {@link #resumeNew} with the same key, metadata and checkpoint goes on from there. S3
     * keeps an incomplete upload until it is completed or aborted (the bucket's lifecycle rule aborts forgotten
     * ones), and shows nothing of it under the key before.
     */
    public ResumableWriter createNewResumable(String key, Map<String, String> metadata) throws IOException {
        checkKey(key);
        Headers headers = Headers.of(metadata);
        checkAbsent(key);
        return new S3Writer(key, headers, IF_NONE_MATCH_ANY);
    }

    /**
     * Carries on an upload from {@code checkpoint}; the bytes written next follow those the checkpoint holds.
     *
     * @throws NoSuchFileException when S3 no longer has the upload (completed, aborted, or expired): start again
     */
    public ResumableWriter resumeNew(String key, Map<String, String> metadata, UploadCheckpoint checkpoint)
            throws IOException {
        checkKey(key);
        Headers headers = Headers.of(metadata);
        try {
            call("resume", key, () -> s3.listParts(b -> b.bucket(bucket).key(key).uploadId(checkpoint.uploadId())
                    .maxParts(1)));
        } catch (IOException e) {
            if (e.getCause() instanceof S3Exception s3e && s3e.statusCode() == 404) {
                NoSuchFileException gone = new NoSuchFileException(key, null, "upload " + checkpoint.uploadId()
                        + " is no longer there");
                gone.initCause(e);
                throw gone;
            }
            throw e;
        }
        S3Writer writer = new S3Writer(key, headers, IF_NONE_MATCH_ANY);
        writer.uploadId = checkpoint.uploadId();
        checkpoint.parts().forEach(p -> writer.parts.add(CompletedPart.builder().partNumber(p.number())
                .eTag(p.eTag()).build()));
        writer.size = checkpoint.size();
        return writer;
    }

    /** Where a resumable upload has got to: its S3 upload id, the parts S3 holds, and how many bytes they hold. */
    public record UploadCheckpoint(String uploadId, List<Part> parts, long size) {
        public UploadCheckpoint {
            Objects.requireNonNull(uploadId, "uploadId");
            parts = List.copyOf(parts);
        }

        /** One part S3 holds. */
        public record Part(int number, String eTag) {
        }
    }

    /** An {@link ObjectWriter} whose progress can be recorded and carried on elsewhere. */
    public interface ResumableWriter extends ObjectWriter {
        /**
         * Uploads what is buffered, if S3 takes it as a part (at least 5 MiB, or nothing buffered), and returns where
         * the upload is; empty when what is buffered is too small to be a part yet (write more first).
         */
        Optional<UploadCheckpoint> checkpoint() throws IOException;

        /** Bytes written, including those of earlier processes. */
        long written();

        /** Ends this writer, leaving the upload to be carried on from its last checkpoint. */
        void suspend();
    }

    @Override
    public void putText(String key, String text, Map<String, String> metadata) throws IOException {
        checkKey(key);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        put(key, Headers.of(metadata), RequestBody.fromBytes(bytes), bytes.length, null);
    }

    @Override
    public void move(String from, String to) throws IOException {
        checkKey(from);
        checkKey(to);
        if (from.equals(to)) {
            return;
        }
        HeadObjectResponse source = head(from);
        moveObject(from, source, to, null);
    }

    @Override
    public void moveNew(String from, String to) throws IOException {
        checkKey(from);
        checkKey(to);
        HeadObjectResponse source = head(from);
        checkAbsent(to);
        moveObject(from, source, to, IF_NONE_MATCH_ANY);
    }

    /** Copies the object (its sidecar first) onto {@code to}, then deletes the source. */
    private void moveObject(String from, HeadObjectResponse source, String to, String ifNoneMatch)
            throws IOException {
        boolean sidecar = hasSidecar(source);
        if (sidecar) {
            conditionally(to, ifNoneMatch, () -> call("copy", sidecarKey(from), () -> s3.copyObject(b -> b
                    .sourceBucket(bucket).sourceKey(sidecarKey(from)).destinationBucket(bucket)
                    .destinationKey(sidecarKey(to)).metadataDirective(MetadataDirective.COPY)
                    .ifNoneMatch(ifNoneMatch))));
        }
        try {
            if (source.contentLength() <= maxCopySize) {
                conditionally(to, ifNoneMatch, () -> call("copy", from, () -> s3.copyObject(b -> b.sourceBucket(bucket)
                        .sourceKey(from).destinationBucket(bucket).destinationKey(to)
                        .metadataDirective(MetadataDirective.COPY).ifNoneMatch(ifNoneMatch))));
            } else {
                copyInParts(from, source.eTag(), source.contentLength(), to, Headers.of(source), ifNoneMatch);
            }
        } catch (FileAlreadyExistsException e) {
            if (sidecar) {
                deleteQuietly(sidecarKey(to));
            }
            throw e;
        }
        delete(from);
    }

    @Override
    public void delete(String key) throws IOException {
        checkKey(key);
        call("delete", key, () -> s3.deleteObject(b -> b.bucket(bucket).key(key)));
        // Its headers that did not fit in S3's metadata, if it had any: one request is cheaper than asking first.
        call("delete", sidecarKey(key), () -> s3.deleteObject(b -> b.bucket(bucket).key(sidecarKey(key))));
    }

    @Override
    public Optional<Path> localFolder(String prefix) {
        return Optional.empty();
    }

    @Override
    public void close() {
        s3.close();
    }

    @Override
    public String toString() {
        return "S3ObjectStore[" + bucket + "]";
    }

    private HeadObjectResponse head(String key) throws IOException {
        return call("head", key, () -> s3.headObject(b -> b.bucket(bucket).key(key)));
    }

    /**
     * Fails early when {@code key} is taken, or its sidecar is (another writer's claim in progress). S3 enforces
     * {@code If-None-Match} by itself; this check is what holds on servers that ignore it.
     */
    private void checkAbsent(String key) throws IOException {
        for (String taken : List.of(key, sidecarKey(key))) {
            try {
                head(taken);
                throw new FileAlreadyExistsException(key);
            } catch (NoSuchFileException free) {
                // as hoped
            }
        }
    }

    /**
     * Puts a whole object: its sidecar first, if its headers need one, so the object is never seen without all of
     * them. With {@code ifNoneMatch} {@code *}, neither replaces anything, and a taken key leaves nothing of ours.
     */
    private void put(String key, Headers headers, RequestBody body, long length, String ifNoneMatch)
            throws IOException {
        writeSidecar(key, headers, ifNoneMatch);
        try {
            conditionally(key, ifNoneMatch, () -> call("put", key, () -> s3.putObject(b -> b.bucket(bucket).key(key)
                    .metadata(headers.user()).contentType(headers.contentType())
                    .contentEncoding(headers.contentEncoding()).contentLength(length).ifNoneMatch(ifNoneMatch),
                    body)));
        } catch (FileAlreadyExistsException e) {
            dropSidecar(key, headers);
            throw e;
        }
    }

    private void writeSidecar(String key, Headers headers, String ifNoneMatch) throws IOException {
        if (headers.overflow().isEmpty()) {
            return;
        }
        byte[] bytes = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(headers.overflow());
        String sidecar = sidecarKey(key);
        conditionally(key, ifNoneMatch, () -> call("put", sidecar, () -> s3.putObject(b -> b.bucket(bucket)
                .key(sidecar).contentType("application/json").ifNoneMatch(ifNoneMatch), RequestBody.fromBytes(bytes))));
    }

    private void dropSidecar(String key, Headers headers) {
        if (!headers.overflow().isEmpty()) {
            deleteQuietly(sidecarKey(key));
        }
    }

    private Map<String, String> readSidecar(String key) throws IOException {
        String sidecar = sidecarKey(key);
        byte[] bytes = call("get", sidecar, () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key(sidecar)))
                .asByteArray();
        try {
            Map<String, String> headers = json.readValue(bytes, new TypeReference<TreeMap<String, String>>() { });
            return headers == null ? Map.of() : headers;
        } catch (JacksonException e) {
            throw new MetadataUnreadableException("metadata object " + sidecar + " is not a JSON object of names to "
                    + "text: " + e.getOriginalMessage(), e);
        }
    }

    private static boolean hasSidecar(HeadObjectResponse head) {
        return head.metadata().keySet().stream().anyMatch(SIDECAR_HEADER::equalsIgnoreCase);
    }

    /** The object beside {@code key} holding the headers that did not fit in its S3 metadata. */
    private static String sidecarKey(String key) {
        return key + LocalFolderStore.SIDECAR_SUFFIX;
    }

    @FunctionalInterface
    private interface S3Write {
        void run() throws IOException;
    }

    /** A write made with {@code If-None-Match: *} that S3 refused because the key is taken (or being taken). */
    private static void conditionally(String key, String ifNoneMatch, S3Write write) throws IOException {
        try {
            write.run();
        } catch (IOException e) {
            if (ifNoneMatch != null && e.getCause() instanceof S3Exception refused
                    && (refused.statusCode() == 412 || refused.statusCode() == 409)) {
                FileAlreadyExistsException taken = new FileAlreadyExistsException(key);
                taken.initCause(e);
                throw taken;
            }
            throw e;
        }
    }

    private void copyInParts(String from, String eTag, long size, String to, Headers headers, String ifNoneMatch)
            throws IOException {
        if ((size + maxCopySize - 1) / maxCopySize > MAX_PARTS) {
            throw new IOException("cannot copy " + from + ": " + size + " bytes is more than S3 can copy");
        }
        String uploadId = call("copy", to, () -> s3.createMultipartUpload(b -> b.bucket(bucket).key(to)
                .metadata(headers.user()).contentType(headers.contentType())
                .contentEncoding(headers.contentEncoding()))).uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            for (long start = 0; start < size; start += maxCopySize) {
                int number = parts.size() + 1;
                String range = "bytes=" + start + "-" + (Math.min(size, start + maxCopySize) - 1);
                var result = call("copy", from, () -> s3.uploadPartCopy(b -> b.sourceBucket(bucket).sourceKey(from)
                        .copySourceIfMatch(eTag).copySourceRange(range).destinationBucket(bucket)
                        .destinationKey(to).uploadId(uploadId).partNumber(number))).copyPartResult();
                parts.add(CompletedPart.builder().partNumber(number).eTag(result.eTag()).build());
            }
            conditionally(to, ifNoneMatch, () -> call("copy", to, () -> s3.completeMultipartUpload(b -> b
                    .bucket(bucket).key(to).uploadId(uploadId).multipartUpload(m -> m.parts(parts))
                    .ifNoneMatch(ifNoneMatch))));
            log.debug("event=store.s3.copied_in_parts bucket={} from={} to={} bytes={} parts={}", bucket, from, to,
                    size, parts.size());
        } catch (IOException | RuntimeException e) {
            abortQuietly(to, uploadId);
            throw e;
        }
    }

    private void abortQuietly(String key, String uploadId) {
        try {
            call("abort", key, () -> s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)));
        } catch (IOException | RuntimeException e) {
            log.warn("event=store.s3.abort_failed bucket={} key={} upload_id={} error=\"{}\"", bucket, key, uploadId,
                    e.toString());
        }
    }

    private void deleteQuietly(String key) {
        try {
            call("delete", key, () -> s3.deleteObject(b -> b.bucket(bucket).key(key)));
        } catch (IOException | RuntimeException e) {
            log.warn("event=store.s3.delete_failed bucket={} key={} error=\"{}\"", bucket, key, e.toString());
        }
    }

    @FunctionalInterface
    private interface S3Call<T> {
        T run();
    }

    /** Runs one S3 request, turning the SDK's unchecked failures into the store's {@link IOException}s. */
    private <T> T call(String operation, String key, S3Call<T> request) throws IOException {
        try {
            return request.run();
        } catch (S3Exception e) {
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            if (e.statusCode() == 404 && !"NoSuchBucket".equals(code) && !"NoSuchUpload".equals(code)) {
                NoSuchFileException missing = new NoSuchFileException(key);
                missing.initCause(e);
                throw missing;
            }
            throw new IOException("S3 " + operation + " of " + key + " in bucket " + bucket + " failed: status="
                    + e.statusCode() + " code=" + code + " request_id=" + e.requestId(), e);
        } catch (AbortedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException interrupted = new InterruptedIOException("S3 " + operation + " of " + key
                    + " interrupted");
            interrupted.initCause(e);
            throw interrupted;
        } catch (SdkException e) {
            throw new IOException("S3 " + operation + " of " + key + " in bucket " + bucket + " failed: "
                    + e.getMessage(), e);
        }
    }

    private static void checkKey(String key) {
        if (!isUsableKey(key)) {
            throw new IllegalArgumentException("not a usable object key: \"" + LocalFolderStore.printable(key) + "\"");
        }
    }

    private static boolean isUsableKey(String key) {
        return LocalFolderStore.isValidKey(key) && key.getBytes(StandardCharsets.UTF_8).length <= MAX_KEY_BYTES;
    }

    /** A prefix's folder part must be a usable key, so a listing never reaches outside the store's own names. */
    private static void checkPrefix(String prefix) {
        if (prefix == null) {
            throw new IllegalArgumentException("not a usable prefix: null");
        }
        int slash = prefix.lastIndexOf('/');
        boolean usable = (slash < 0 || LocalFolderStore.isValidKey(prefix.substring(0, slash)))
                && prefix.chars().noneMatch(c -> c < 0x20 || c == 0x7f || c == '\\');
        if (!usable) {
            throw new IllegalArgumentException("not a usable prefix: \"" + LocalFolderStore.printable(prefix) + "\"");
        }
    }

    /**
     * A key that is never an object's: a sidecar, or one with a hidden segment, which no store's key may have: a file
     * its writer puts under a hidden name to rename once complete (as outbound writers are told to), a tool's own
     * files, or a {@code .upload} left by a crash of versions that uploaded beside the final key.
     */
    private static boolean isInternal(String key) {
        if (key.startsWith(".") || key.contains("/.")) {
            return true;
        }
        return key.endsWith(LocalFolderStore.SIDECAR_SUFFIX);
    }

    /** Python's {@code urllib.parse.quote_plus}: UTF-8 percent-encoding, space as {@code +}, {@code _.-~} kept. */
    static String quotePlus(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("*", "%2A").replace("%7E", "~");
    }

    /**
     * The object's own Content-Encoding: {@code aws-chunked} describes how an upload was signed, not the content, and
     * some S3-API servers keep it.
     */
    private static String objectEncoding(String header) {
        if (header == null) {
            return null;
        }
        String kept = Arrays.stream(header.split(",")).map(String::trim)
                .filter(coding -> !coding.isEmpty() && !coding.equalsIgnoreCase("aws-chunked"))
                .collect(Collectors.joining(", "));
        return kept.isEmpty() ? null : kept;
    }

    private static Instant millis(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MILLIS);
    }

    private static int checkPartSize(int partSize) {
        if (partSize < MIN_PART_SIZE) {
            throw new IllegalArgumentException("partSize must be at least 5 MiB (" + MIN_PART_SIZE + " bytes): "
                    + partSize);
        }
        return partSize;
    }

    private static String requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
        return value;
    }

    /**
     * Metadata as S3 takes it: the two content headers apart, user metadata lower-cased and encoded, within AWS's
     * limit; {@code overflow} holds, as given, the headers that did not fit (kept in the sidecar).
     */
    private record Headers(String contentType, String contentEncoding, Map<String, String> user,
            Map<String, String> overflow) {
        static Headers of(Map<String, String> metadata) {
            String type = null;
            String encoding = null;
            Map<String, String> user = new TreeMap<>();
            Map<String, String> given = new TreeMap<>();
            for (Map.Entry<String, String> entry : metadata.entrySet()) {
                String name = entry.getKey() == null ? "" : entry.getKey().trim().toLowerCase(Locale.ROOT);
                String value = Objects.requireNonNull(entry.getValue(), () -> "metadata value of " + name);
                if (!isToken(name)) {
                    throw new IllegalArgumentException("not a usable metadata name: \"" + LocalFolderStore.printable(name) + "\"");
                }
                boolean repeated;
                if (name.equals(CONTENT_TYPE)) {
                    repeated = type != null;
                    type = value;
                } else if (name.equals(CONTENT_ENCODING)) {
                    repeated = encoding != null;
                    encoding = value;
                } else {
                    repeated = user.put(name, quotePlus(value)) != null;
                }
                if (repeated) {
                    throw new IllegalArgumentException("metadata " + name + " is given twice (names are "
                            + "case-insensitive)");
                }
                if (name.equals(SIDECAR_HEADER)) {
                    throw new IllegalArgumentException("metadata name " + SIDECAR_HEADER + " is the store's own");
                }
                given.put(name, value);
            }
            return fitted(type, encoding, user, given);
        }

        /**
         * Keeps in user metadata the most headers that fit within AWS's limit, smallest first, so that the short
         * routing headers stay on the object itself; the largest go to the sidecar.
         */
        private static Headers fitted(String type, String encoding, Map<String, String> user,
                Map<String, String> given) {
            if (bytes(user.entrySet()) <= MAX_USER_METADATA_BYTES) {
                return new Headers(type, encoding, user, Map.of());
            }
            Map<String, String> kept = new TreeMap<>(Map.of(SIDECAR_HEADER, "true"));
            Map<String, String> overflow = new TreeMap<>();
            int used = bytes(kept.entrySet());
            List<Map.Entry<String, String>> smallestFirst = new ArrayList<>(user.entrySet());
            smallestFirst.sort(Comparator.comparingInt((Map.Entry<String, String> e) -> bytes(List.of(e)))
                    .thenComparing(Map.Entry::getKey));
            for (Map.Entry<String, String> entry : smallestFirst) {
                int size = bytes(List.of(entry));
                if (used + size <= MAX_USER_METADATA_BYTES) {
                    kept.put(entry.getKey(), entry.getValue());
                    used += size;
                } else {
                    overflow.put(entry.getKey(), given.get(entry.getKey()));
                }
            }
            return new Headers(type, encoding, kept, overflow);
        }

        private static int bytes(java.util.Collection<Map.Entry<String, String>> entries) {
            return entries.stream().mapToInt(e -> (USER_METADATA_PREFIX + e.getKey()).getBytes(StandardCharsets.UTF_8)
                    .length + e.getValue().getBytes(StandardCharsets.UTF_8).length).sum();
        }

        /** The headers of an existing object, values as stored (its sidecar, if any, is copied on its own). */
        static Headers of(HeadObjectResponse head) {
            return new Headers(head.contentType(), objectEncoding(head.contentEncoding()), head.metadata(), Map.of());
        }

        private static boolean isToken(String name) {
            return !name.isEmpty() && name.chars().allMatch(c -> c < 0x7f
                    && (Character.isLetterOrDigit(c) || TOKEN_PUNCTUATION.indexOf(c) >= 0));
        }
    }

    /** An object's content read with ranged requests, each tied to the version the content was opened on. */
    private final class ObjectContent implements MessageContent {
        private final String key;
        private final long length;
        private final String eTag;

        ObjectContent(String key, long length, String eTag) {
            this.key = key;
            this.length = length;
            this.eTag = eTag;
        }

        @Override
        public long length() {
            return length;
        }

        @Override
        public InputStream open(long offset) throws IOException {
            if (offset < 0 || offset > length) {
                throw new IllegalArgumentException("offset " + offset + " is outside 0.." + length);
            }
            if (offset == length) {
                return InputStream.nullInputStream();
            }
            ResponseInputStream<GetObjectResponse> in = call("get", key, () -> s3.getObject(b -> b.bucket(bucket)
                    .key(key).range("bytes=" + offset + "-").ifMatch(eTag)));
            return new AbortOnEarlyClose(in);
        }

        @Override
        public String toString() {
            return "s3://" + bucket + "/" + key;
        }
    }

    /**
     * Closing a response stream part-way would otherwise read the rest of the object to reuse the connection; a reader
     * that takes one chunk of a large object drops the connection instead.
     */
    private static final class AbortOnEarlyClose extends FilterInputStream {
        private final ResponseInputStream<?> response;
        private boolean ended;

        AbortOnEarlyClose(ResponseInputStream<?> response) {
            super(response);
            this.response = response;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            ended |= b < 0;
            return b;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            int n = super.read(bytes, offset, length);
            ended |= n < 0;
            return n;
        }

        @Override
        public void close() throws IOException {
            if (!ended) {
                response.abort();
            }
            super.close();
        }
    }

    /**
     * Writes one object on its own key: in one {@code PutObject} if it fits in one part, else in a multipart upload
     * created on the key with the object's headers, which S3 shows only once completed. With {@code ifNoneMatch}
     * {@code *} the key is checked when the writer is created and again just before the object is written, and the
     * write itself is conditional; a key found taken aborts the upload and ends the writer.
     */
    private final class S3Writer implements ResumableWriter {
        private final String key;
        private final Headers headers;
        private final String ifNoneMatch;
        private final List<CompletedPart> parts = new ArrayList<>();
        private PartBuffer buffer = new PartBuffer(partSize);
        private String uploadId;
        private long size;
        private boolean finished;
        private final OutputStream stream = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                Objects.checkFromIndexSize(offset, length, bytes.length);
                checkOpen();
                while (length > 0) {
                    if (buffer.isFull()) {
                        uploadPart();
                    }
                    int n = buffer.write(bytes, offset, length);
                    offset += n;
                    length -= n;
                    size += n;
                }
            }

            /** Closing the stream ends the writing, not the object: the writer owns it until commit or close. */
            @Override
            public void close() {
            }
        };

        S3Writer(String key, Headers headers, String ifNoneMatch) {
            this.key = key;
            this.headers = headers;
            this.ifNoneMatch = ifNoneMatch;
        }

        @Override
        public OutputStream stream() {
            return stream;
        }

        @Override
        public void commit() throws IOException {
            checkOpen();
            boolean committed = false;
            try {
                if (uploadId == null) {
                    checkStillFree();
                    put(key, headers, body(), buffer.size(), ifNoneMatch);
                } else {
                    completeUpload();
                }
                committed = true;
            } finally {
                close(committed);
            }
        }

        /** The last part, then the sidecar if the headers need one, then the object in one step. */
        private void completeUpload() throws IOException {
            if (buffer.size() > 0) {
                uploadPart();
            }
            checkStillFree();
            writeSidecar(key, headers, ifNoneMatch);
            try {
                conditionally(key, ifNoneMatch, () -> call("upload", key, () -> s3.completeMultipartUpload(b -> b
                        .bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts))
                        .ifNoneMatch(ifNoneMatch))));
            } catch (FileAlreadyExistsException e) {
                dropSidecar(key, headers);
                throw e;
            }
            log.debug("event=store.s3.multipart_committed bucket={} key={} bytes={} parts={}", bucket, key, size,
                    parts.size());
        }

        @Override
        public Optional<UploadCheckpoint> checkpoint() throws IOException {
            checkOpen();
            if (buffer.size() > 0 && buffer.size() < MIN_PART_SIZE) {
                return Optional.empty();
            }
            if (buffer.size() > 0 || uploadId == null) {
                if (buffer.size() == 0) {
                    return Optional.empty();
                }
                uploadPart();
            }
            return Optional.of(new UploadCheckpoint(uploadId, parts.stream()
                    .map(p -> new UploadCheckpoint.Part(p.partNumber(), p.eTag())).toList(), size));
        }

        @Override
        public long written() {
            return size;
        }

        @Override
        public void suspend() {
            finished = true;
            buffer = null;
        }

        /** S3 refuses a conditional write onto a taken key by itself; this is what holds where a server does not. */
        private void checkStillFree() throws IOException {
            if (ifNoneMatch != null) {
                checkAbsent(key);
            }
        }

        @Override
        public void close() {
            close(false);
        }

        /** Ends the writer; an upload not committed is aborted, so nothing of it is left. */
        private void close(boolean committed) {
            if (finished) {
                return;
            }
            finished = true;
            buffer = null;
            if (!committed && uploadId != null) {
                abortQuietly(key, uploadId);
            }
        }

        private void uploadPart() throws IOException {
            if (uploadId == null) {
                uploadId = call("upload", key, () -> s3.createMultipartUpload(b -> b.bucket(bucket).key(key)
                        .metadata(headers.user()).contentType(headers.contentType())
                        .contentEncoding(headers.contentEncoding()))).uploadId();
                log.debug("event=store.s3.multipart_started bucket={} key={}", bucket, key);
            }
            int number = parts.size() + 1;
            if (number > MAX_PARTS) {
                throw new IOException("cannot write " + key + ": larger than " + MAX_PARTS + " parts of " + partSize
                        + " bytes");
            }
            int length = buffer.size();
            UploadPartResponse part = call("upload", key, () -> s3.uploadPart(b -> b.bucket(bucket).key(key)
                    .uploadId(uploadId).partNumber(number).contentLength((long) length), body()));
            parts.add(CompletedPart.builder().partNumber(number).eTag(part.eTag()).build());
            buffer.clear();
        }

        private RequestBody body() {
            PartBuffer part = buffer;
            return RequestBody.fromContentProvider(part::newStream, part.size(), "application/octet-stream");
        }

        private void checkOpen() throws IOException {
            if (finished) {
                throw new IOException("already committed or closed: " + key);
            }
        }
    }

    /** Settings for a store on AWS S3 or another S3-API server. */
    public static final class Builder {
        private String bucket;
        private String region;
        private URI endpoint;
        private boolean pathStyle;
        private String accessKeyId;
        private String secretAccessKey;
        private int partSize = DEFAULT_PART_SIZE;

        private Builder() {
        }

        /** The bucket; required. */
        public Builder bucket(String bucket) {
            this.bucket = bucket;
            return this;
        }

        /** The bucket's region, such as {@code eu-west-2}; by default the SDK's (AWS_REGION, profile). */
        public Builder region(String region) {
            this.region = region;
            return this;
        }

        /** The server of an S3-compatible store; by default AWS S3's endpoint for the region. */
        public Builder endpoint(URI endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        /** Addresses the bucket in the path ({@code host/bucket/key}) rather than the host name, as many servers need. */
        public Builder pathStyle(boolean pathStyle) {
            this.pathStyle = pathStyle;
            return this;
        }

        /** Fixed credentials; by default the SDK's chain (environment, profile, container or instance role). */
        public Builder credentials(String accessKeyId, String secretAccessKey) {
            this.accessKeyId = requireText(accessKeyId, "accessKeyId");
            this.secretAccessKey = requireText(secretAccessKey, "secretAccessKey");
            return this;
        }

        /** Bytes per part of a multipart upload (at least 5 MiB; 16 MiB by default), held in memory per writer. */
        public Builder partSize(int partSize) {
            this.partSize = checkPartSize(partSize);
            return this;
        }

        public S3ObjectStore build() {
            requireText(bucket, "bucket");
            S3ClientBuilder client = S3Client.builder()
                    .httpClientBuilder(Apache5HttpClient.builder())
                    .forcePathStyle(pathStyle)
                    // Checksums only where S3 demands them, so that servers without flexible checksums work too;
                    // payloads are still signed over HTTP and protected by TLS over HTTPS.
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
            if (region != null) {
                client.region(Region.of(region));
            }
            if (endpoint != null) {
                client.endpointOverride(endpoint);
            }
            if (accessKeyId != null) {
                client.credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(accessKeyId, secretAccessKey)));
            }
            return new S3ObjectStore(client.build(), bucket, partSize);
        }

        @Override
        public String toString() {
            return "S3ObjectStore.Builder[bucket=" + bucket + ", region=" + region + ", endpoint=" + endpoint
                    + ", pathStyle=" + pathStyle + ", partSize=" + partSize + "]";
        }
    }
}
