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

    void commit(Map<String, String> metadata) throws IOException;
}
