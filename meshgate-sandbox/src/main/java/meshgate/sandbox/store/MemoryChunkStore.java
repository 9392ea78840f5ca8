package meshgate.sandbox.store;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Chunks kept in memory up to {@code spillThreshold} bytes; a larger chunk is streamed to a private temp folder so a
 * big message never sits on the heap. The temp folder is deleted on {@link #close()}.
 */
public final class MemoryChunkStore implements ChunkStore {
    /** Default size above which a chunk goes to disk: 1 MiB. */
    public static final int DEFAULT_SPILL_THRESHOLD = 1 << 20;

    private final int spillThreshold;
    private final Map<String, Object> chunks = new ConcurrentHashMap<>();
    private Path spillFolder;

    public MemoryChunkStore(int spillThreshold) {
        this.spillThreshold = spillThreshold;
    }

    @Override
    public long write(String messageId, int number, InputStream body) throws IOException {
        byte[] head = body.readNBytes(spillThreshold + 1);
        Object previous;
        if (head.length <= spillThreshold) {
            previous = chunks.put(key(messageId, number), head);
        } else {
            Path file = Files.createTempFile(spillFolder(), "chunk-", ".bin");
            try (OutputStream out = Files.newOutputStream(file)) {
                new SequenceInputStream(new ByteArrayInputStream(head), body).transferTo(out);
            }
            previous = chunks.put(key(messageId, number), file);
        }
        discard(previous);
        return size(messageId, number);
    }

    @Override
    public boolean has(String messageId, int number) {
        return chunks.containsKey(key(messageId, number));
    }

    @Override
    public long size(String messageId, int number) {
        Object chunk = chunks.get(key(messageId, number));
        if (chunk instanceof byte[] bytes) {
            return bytes.length;
        }
        try {
            return chunk instanceof Path file ? Files.size(file) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public InputStream open(String messageId, int number) throws IOException {
        Object chunk = chunks.get(key(messageId, number));
        if (chunk instanceof byte[] bytes) {
            return new ByteArrayInputStream(bytes);
        }
        return chunk instanceof Path file ? Files.newInputStream(file) : InputStream.nullInputStream();
    }

    @Override
    public void delete(String messageId) {
        String prefix = messageId + "/";
        chunks.keySet().removeIf(key -> {
            if (key.startsWith(prefix)) {
                discard(chunks.get(key));
                return true;
            }
            return false;
        });
    }

    @Override
    public void clear() {
        chunks.values().forEach(MemoryChunkStore::discard);
        chunks.clear();
    }

    @Override
    public synchronized void close() {
        clear();
        if (spillFolder != null) {
            Folders.deleteRecursively(spillFolder);
            spillFolder = null;
        }
    }

    private synchronized Path spillFolder() throws IOException {
        if (spillFolder == null) {
            spillFolder = Files.createTempDirectory("meshgate-sandbox-");
        }
        return spillFolder;
    }

    private static String key(String messageId, int number) {
        return messageId + "/" + number;
    }

    private static void discard(Object chunk) {
        if (chunk instanceof Path file) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
