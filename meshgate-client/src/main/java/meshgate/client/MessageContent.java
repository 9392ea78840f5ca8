package meshgate.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Content to send that can be read from any offset: a file, an object in a store that serves ranged reads. Each chunk
 * is read on its own (and again for a retry, or to resume after a restart), so nothing larger than one chunk is ever
 * held in memory.
 */
public interface MessageContent {
    /** The content's size in bytes. */
    long length();

    /** A stream from {@code offset} to the end; the caller reads what it needs and closes it. */
    InputStream open(long offset) throws IOException;

    static MessageContent of(Path file) throws IOException {
        long length = Files.size(file);
        return new MessageContent() {
            @Override
            public long length() {
                return length;
            }

            @Override
            public InputStream open(long offset) throws IOException {
                FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
                channel.position(offset);
                return Channels.newInputStream(channel);
            }

            @Override
            public String toString() {
                return file.toString();
            }
        };
    }
}
