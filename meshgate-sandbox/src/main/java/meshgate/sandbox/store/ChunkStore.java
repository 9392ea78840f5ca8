package meshgate.sandbox.store;

import java.io.IOException;
import java.io.InputStream;

/** Where chunk bytes live, exactly as uploaded (still gzip-encoded when the sender sent them so). */
public interface ChunkStore extends AutoCloseable {

    /** Streams {@code body} into chunk {@code number} of message {@code messageId}, replacing any earlier upload. */
    long write(String messageId, int number, InputStream body) throws IOException;

    boolean has(String messageId, int number);

    /** The chunk's size in bytes, or 0 when it was never written (reports carry no data). */
    long size(String messageId, int number);

    /** The chunk's bytes; an empty stream when it was never written. */
    InputStream open(String messageId, int number) throws IOException;

    void delete(String messageId);

    void clear();

    @Override
    void close();
}
