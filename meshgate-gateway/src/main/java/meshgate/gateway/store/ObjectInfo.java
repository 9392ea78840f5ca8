package meshgate.gateway.store;

import java.time.Instant;

/** An object's key, size and last modification time. */
public record ObjectInfo(String key, long size, Instant lastModified) {
    /** The last segment of the key. */
    public String name() {
        int slash = key.lastIndexOf('/');
        return slash < 0 ? key : key.substring(slash + 1);
    }
}
