package meshgate.gateway.store;

import java.io.IOException;

/**
 * An object's metadata exists but cannot be read as a map of names to text, for example a hand-written sidecar file
 * that is not valid JSON. The object itself is fine; it cannot be routed until its metadata is fixed.
 */
public final class MetadataUnreadableException extends IOException {
    private static final long serialVersionUID = 1L;

    public MetadataUnreadableException(String message) {
        super(message);
    }

    public MetadataUnreadableException(String message, Throwable cause) {
        super(message, cause);
    }
}
