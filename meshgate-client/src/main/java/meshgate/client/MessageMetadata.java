package meshgate.client;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import meshgate.protocol.ChunkRange;
import meshgate.protocol.MeshHeaders;

/**
 * The MESH headers of a received message ({@code mex-*}, plus Content-Type and Content-Encoding), keys lower-cased.
 * Typed accessors cover the fields every receiver needs; {@link #headers()} has them all, to store beside the payload.
 */
public record MessageMetadata(Map<String, String> headers) {
    public MessageMetadata {
        TreeMap<String, String> copy = new TreeMap<>();
        headers.forEach((k, v) -> copy.put(k.toLowerCase(Locale.ROOT), v));
        headers = Collections.unmodifiableMap(copy);
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    public String messageId() {
        return header(MeshHeaders.MESSAGE_ID).orElse("");
    }

    public Optional<String> from() {
        return header(MeshHeaders.FROM);
    }

    public Optional<String> to() {
        return header(MeshHeaders.TO);
    }

    public Optional<String> workflowId() {
        return header(MeshHeaders.WORKFLOW_ID);
    }

    public Optional<String> fileName() {
        return header(MeshHeaders.FILE_NAME);
    }

    public Optional<String> localId() {
        return header(MeshHeaders.LOCAL_ID);
    }

    public Optional<String> subject() {
        return header(MeshHeaders.SUBJECT);
    }

    /** {@code DATA} or {@code REPORT}. */
    public String messageType() {
        return header(MeshHeaders.MESSAGE_TYPE).orElse(MeshHeaders.TYPE_DATA).toUpperCase(Locale.ROOT);
    }

    public boolean isReport() {
        return MeshHeaders.TYPE_REPORT.equals(messageType());
    }

    /** True when the payload travels gzip-encoded ({@code Content-Encoding: gzip}). */
    public boolean isGzipEncoded() {
        return header(MeshHeaders.CONTENT_ENCODING).map(v -> v.trim().equalsIgnoreCase("gzip")).orElse(false);
    }

    public int totalChunks() {
        return header(MeshHeaders.CHUNK_RANGE).map(v -> ChunkRange.parseAnswered(v).total()).orElse(1);
    }
}
