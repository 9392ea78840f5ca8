package meshgate.sandbox.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Chunks as files {@code {root}/{messageId}/chunk-{n}}; each upload goes to a temp file first and is then moved in. */
public final class FolderChunkStore implements ChunkStore {
    private final Path root;

    public FolderChunkStore(Path root) {
        this.root = root;
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public long write(String messageId, int number, InputStream body) throws IOException {
        Path folder = Files.createDirectories(root.resolve(messageId));
        Path temp = Files.createTempFile(folder, "upload-", ".part");
        try {
            long size = 0;
            try (java.io.OutputStream out = Files.newOutputStream(temp)) {
                // Whole buffers: a request body arrives a TLS record (16 KiB) at a time, and a write per record
                // costs the sandbox more than the bytes do.
                byte[] buffer = new byte[256 * 1024];
                for (int read; (read = body.readNBytes(buffer, 0, buffer.length)) > 0; size += read) {
                    out.write(buffer, 0, read);
                }
            }
            Files.move(temp, chunk(messageId, number), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            return size;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    @Override
    public boolean has(String messageId, int number) {
        return Files.isRegularFile(chunk(messageId, number));
    }

    @Override
    public long size(String messageId, int number) {
        try {
            return has(messageId, number) ? Files.size(chunk(messageId, number)) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public InputStream open(String messageId, int number) throws IOException {
        return has(messageId, number) ? Files.newInputStream(chunk(messageId, number)) : InputStream.nullInputStream();
    }

    @Override
    public void delete(String messageId) {
        Folders.deleteRecursively(root.resolve(messageId));
    }

    @Override
    public void clear() {
        Folders.deleteChildren(root);
    }

    @Override
    public void close() {
        // files stay: a restarted sandbox serves them again
    }

    private Path chunk(String messageId, int number) {
        return root.resolve(messageId).resolve("chunk-" + number);
    }
}
