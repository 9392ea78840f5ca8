package meshgate.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import okio.Buffer;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkSourceTest {
    private static final int CHUNK = 1000;

    @TempDir
    Path dir;

    @Test
    void countsChunksAtTheEdges() throws IOException {
        assertThat(count(0)).isEqualTo(1);
        assertThat(count(1)).isEqualTo(1);
        assertThat(count(CHUNK)).isEqualTo(1);
        assertThat(count(CHUNK + 1)).isEqualTo(2);
        assertThat(count(5 * CHUNK)).isEqualTo(5);
    }

    @Test
    void fileChunksConcatenateToTheFile() throws IOException {
        byte[] content = random(3 * CHUNK + 17);
        Path file = Files.write(dir.resolve("m.dat"), content);
        try (ChunkSource source = ChunkSource.of(MessageContent.of(file), CHUNK, 64, false)) {
            assertThat(concatenate(source)).isEqualTo(content);
            assertThat(bytes(source, 2)).as("a chunk can be read again for a retry").isEqualTo(bytes(source, 2));
        }
    }

    @Test
    void compressedChunksAreOneGzipMemberEachAndDecompressToTheContent() throws IOException {
        byte[] content = "vaccination|record|".repeat(600).getBytes();
        Path file = Files.write(dir.resolve("m.csv"), content);
        try (ChunkSource source = ChunkSource.of(MessageContent.of(file), CHUNK, 64, true)) {
            byte[] wire = concatenate(source);
            assertThat(source.count()).isEqualTo((content.length + CHUNK - 1) / CHUNK);
            assertThat(wire.length).isLessThan(content.length);
            assertThat(decompressConcatenated(wire)).isEqualTo(content);
            try (InputStream jdk = new GZIPInputStream(new ByteArrayInputStream(wire))) {
                assertThat(jdk.readAllBytes()).as("readable by any multi-member gzip reader").isEqualTo(content);
            }
        }
    }

    @Test
    void streamChunksMatchFileChunks() throws IOException {
        byte[] content = random(2 * CHUNK + 1);
        try (ChunkSource source = ChunkSource.of(new ByteArrayInputStream(content), content.length, CHUNK, 64, true)) {
            assertThat(decompressConcatenated(concatenate(source))).isEqualTo(content);
        }
    }

    private int count(long length) {
        return ChunkSource.of(InputStream.nullInputStream(), length, CHUNK, 64, false).count();
    }

    private static byte[] concatenate(ChunkSource source) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int n = 1; n <= source.count(); n++) {
            out.write(bytes(source, n));
        }
        return out.toByteArray();
    }

    private static byte[] bytes(ChunkSource source, int n) throws IOException {
        Buffer buffer = new Buffer();
        source.body(n).writeTo(buffer);
        return buffer.readByteArray();
    }

    static byte[] decompressConcatenated(byte[] wire) throws IOException {
        try (InputStream in = new GzipCompressorInputStream(new ByteArrayInputStream(wire), true)) {
            return in.readAllBytes();
        }
    }

    private static byte[] random(int n) {
        byte[] bytes = new byte[n];
        new Random(n).nextBytes(bytes);
        return bytes;
    }
}
