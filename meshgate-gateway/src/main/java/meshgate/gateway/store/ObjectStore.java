package meshgate.gateway.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import meshgate.client.MessageContent;

/**
 * Where the gateway's files live: a bucket of objects named by {@code /}-separated keys, each with string metadata
 * ({@code mex-*} headers among them). Implementations: a local folder (metadata in a sidecar file) and S3.
 * Writes are atomic: an object is visible under its key, with its metadata, only once complete.
 */
public interface ObjectStore extends AutoCloseable {
    /**
     * The most UTF-8 bytes the last segment of a new object's key may have. File systems allow 255 bytes per name,
     * and a local folder's own names beside an object (a hidden temporary file, a metadata sidecar and its temporary
     * file) add up to 53 more.
     */
    int MAX_NAME_BYTES = 200;

    /**
     * Every object whose key starts with {@code prefix}, at any depth, in key order. Store-internal files (metadata
     * sidecars, writes in progress) never appear.
     */
    List<ObjectInfo> list(String prefix) throws IOException;

    /** The object under {@code key}, if there is one. */
    Optional<ObjectInfo> stat(String key) throws IOException;

    /** The object's metadata as stored (names as given); empty when it has none. */
    Map<String, String> metadata(String key) throws IOException;

    /**
     * True when this store keeps metadata values URL-encoded at rest (Python's {@code quote_plus}), as S3 must for
     * values that are not ASCII; {@link #metadata} then returns them encoded.
     */
    default boolean encodesMetadata() {
        return false;
    }

    /** The metadata with its values as they were given to {@link #create} or {@link #putText}. */
    default Map<String, String> decodedMetadata(String key) throws IOException {
        Map<String, String> metadata = metadata(key);
        if (!encodesMetadata()) {
            return metadata;
        }
        Map<String, String> decoded = new java.util.TreeMap<>();
        metadata.forEach((name, value) -> {
            try {
                decoded.put(name, java.net.URLDecoder.decode(value, java.nio.charset.StandardCharsets.UTF_8));
            } catch (IllegalArgumentException notEncoded) {
                decoded.put(name, value);
            }
        });
        return decoded;
    }

    /** The object's content, readable from any offset. */
    MessageContent content(String key) throws IOException;

    /**
     * Starts writing {@code key} with {@code metadata}, both given before the content so that the object can be
     * written where it belongs from its first byte; nothing is visible until {@link ObjectWriter#commit}, which
     * replaces any object there. {@code Content-Type} and {@code Content-Encoding} in the metadata are the object's
     * own headers where the store has them (S3).
     *
     * @throws IllegalArgumentException if the key or a metadata name cannot be used, before anything is written
     */
    ObjectWriter create(String key, Map<String, String> metadata) throws IOException;

    /**
     * Starts writing {@code key} as {@link #create} does, but its commit never replaces: claiming the key is atomic, so
     * of two writers racing for one key exactly one wins.
     *
     * @throws java.nio.file.FileAlreadyExistsException if the key is taken already, before any content is written;
     *     {@link ObjectWriter#commit} throws it too if the key was taken meanwhile
     */
    ObjectWriter createNew(String key, Map<String, String> metadata) throws IOException;

    /** Writes a small text object with metadata, atomically. */
    void putText(String key, String text, Map<String, String> metadata) throws IOException;

    /** Moves an object and its metadata to another key, replacing what is there. */
    void move(String from, String to) throws IOException;

    /**
     * Moves an object and its metadata to {@code to} only if no object holds it, claiming the key atomically; else
     * {@link java.nio.file.FileAlreadyExistsException}, and both objects stay as they were.
     */
    void moveNew(String from, String to) throws IOException;

    /** Deletes an object and its metadata; nothing happens if it is absent. */
    void delete(String key) throws IOException;

    /** The folder behind {@code prefix} when the store is on the local file system (to watch it); else empty. */
    Optional<Path> localFolder(String prefix);

    @Override
    void close() throws IOException;
}
