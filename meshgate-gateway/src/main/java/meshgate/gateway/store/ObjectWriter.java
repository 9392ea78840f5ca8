package meshgate.gateway.store;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;

/**
 * An object being written under the key and with the metadata it was created with ({@link ObjectStore#create},
 * {@link ObjectStore#createNew}). {@link #commit} makes it durable (forced to storage) and visible under its key with
 * its metadata, in one step; {@link #close} without commit discards it.
 */
public interface ObjectWriter extends Closeable {
    OutputStream stream();

    /**
     * Commits the object; a writer commits once. A writer from {@link ObjectStore#createNew} refuses with
     * {@link java.nio.file.FileAlreadyExistsException} when another object took the key meanwhile: the object there is
     * untouched, nothing of this writer is left, and its content must be written again to be stored under another key.
     */
    void commit() throws IOException;
}
