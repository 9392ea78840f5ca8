package meshgate.gateway.store;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/**
 * An object being written. {@link #commit} makes it durable (forced to storage) and visible under its key with its
 * metadata, in one step; {@link #close} without commit discards it.
 */
public interface ObjectWriter extends Closeable {
    OutputStream stream();

    /** Commits under the key the writer was created for, replacing any object there. */
    void commit(Map<String, String> metadata) throws IOException;

    /**
     * Commits as {@link #commit} does, but under {@code key} (the writer's own key or another) and only if no object
     * holds it: claiming the key is atomic, so of two writers racing for one key exactly one wins. The loser gets
     * {@link java.nio.file.FileAlreadyExistsException}, the object there is untouched, and this writer stays open with
     * its content, to be committed under another key or closed.
     */
    void commitNew(String key, Map<String, String> metadata) throws IOException;
}
