package meshgate.gateway.store;

import java.time.Instant;

/**
 * An object's key, size, last modification time and version: a tag that changes whenever the content is written,
 * even within the same millisecond and at the same size (S3: the ETag; a local folder: the file's identity and its
 * modification time to the nanosecond). {@code version} is null when the store cannot tell.
 */
public record ObjectInfo(String key, long size, Instant lastModified, String version) {
    public ObjectInfo(String key, long size, Instant lastModified) {
        this(key, size, lastModified, null);
    }

    /** The last segment of the key. */
    public String name() {
        int slash = key.lastIndexOf('/');
        return slash < 0 ? key : key.substring(slash + 1);
    }

    /** True when {@code other} is, as far as the store can tell, the same content of the same key. */
    public boolean sameVersionAs(ObjectInfo other) {
        return key.equals(other.key) && size == other.size && lastModified.equals(other.lastModified)
                && (version == null || other.version == null || version.equals(other.version));
    }
}
