package meshgate.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;
import okio.Buffer;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.io.input.CloseShieldInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkSourceTest {
    private static final int CHUNK = 1000;

    @TempDir
    Path dir;

    private final ExecutorService pool = Executors.newFixedThreadPool(2);

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

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
        try (ChunkSource source = ChunkSource.of(MessageContent.of(file), CHUNK, 64, false, pool)) {
            assertThat(concatenate(source)).isEqualTo(content);
            assertThat(bytes(source, 2)).as("a chunk can be read again for a retry").isEqualTo(bytes(source, 2));
        }
    }

    @Test
    void compressedChunksAreOneGzipMemberEachAndDecompressToTheContent() throws IOException {
        byte[] content = "vaccination|record|".repeat(600).getBytes();
        Path file = Files.write(dir.resolve("m.csv"), content);
        try (ChunkSource source = ChunkSource.of(MessageContent.of(file), CHUNK, 64, true, pool)) {
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
        try (ChunkSource source = ChunkSource.of(new ByteArrayInputStream(content), content.length, CHUNK, 64, true,
                pool)) {
            assertThat(decompressConcatenated(concatenate(source))).isEqualTo(content);
        }
    }

    @Test
    void aChunkLargerThanASegmentIsSeveralMembersThatDecompressToTheContent() throws IOException {
        int chunk = 2 * ChunkSource.SEGMENT + 12345;
        byte[] content = "9434765919|FLU|20241003|new|TRUE|".repeat(chunk * 2 / 34 + 100).getBytes();
        Path file = Files.write(dir.resolve("big.csv"), content);
        try (ChunkSource source = ChunkSource.of(MessageContent.of(file), chunk, 8192, true, pool)) {
            byte[] first = bytes(source, 1);
            assertThat(members(first)).as("one member per segment of the chunk").isEqualTo(3);
            ByteArrayOutputStream wire = new ByteArrayOutputStream();
            wire.write(first);
            for (int n = 2; n <= source.count(); n++) {
                wire.write(bytes(source, n));
            }
            assertThat(decompressConcatenated(wire.toByteArray())).isEqualTo(content);
        }
    }

    @Test
    void theNextChunkIsCompressedWhileTheCurrentOneIsSentAndNoFurther() throws Exception {
        byte[] content = "vaccination|record|".repeat(300).getBytes();
        Path file = Files.write(dir.resolve("m.csv"), content);
        RecordingContent recorded = new RecordingContent(MessageContent.of(file));
        ExecutorService one = Executors.newSingleThreadExecutor();
        try (ChunkSource source = ChunkSource.of(recorded, CHUNK, 64, true, one)) {
            byte[] first = bytes(source, 1);
            one.submit(() -> { }).get(); // the queue is first in, first out: chunk 2's work is done too
            assertThat(recorded.opened).as("chunk 2 read ahead, chunk 3 not yet").containsExactly(0L, (long) CHUNK);
            byte[] second = bytes(source, 2);
            assertThat(bytes(source, 2)).as("a retry sends the same bytes").isEqualTo(second);
            one.submit(() -> { }).get();
            assertThat(recorded.opened).as("asking for chunk 2 again reads nothing again")
                    .containsExactly(0L, (long) CHUNK, 2L * CHUNK);
            ByteArrayOutputStream wire = new ByteArrayOutputStream();
            wire.write(first);
            wire.write(second);
            for (int n = 3; n <= source.count(); n++) {
                wire.write(bytes(source, n));
            }
            assertThat(decompressConcatenated(wire.toByteArray())).isEqualTo(content);
        } finally {
            one.shutdownNow();
        }
    }

    @Test
    void aChunkThatCannotBeReadFailsWithTheReasonAndIsReadAgainWhenAskedAgain() throws Exception {
        byte[] content = "vaccination|record|".repeat(300).getBytes();
        Path file = Files.write(dir.resolve("m.csv"), content);
        RecordingContent recorded = new RecordingContent(MessageContent.of(file));
        recorded.failAt = (long) CHUNK;
        try (ChunkSource source = ChunkSource.of(recorded, CHUNK, 64, true, pool)) {
            bytes(source, 1);
            assertThatThrownBy(() -> bytes(source, 2)).isInstanceOf(IOException.class)
                    .hasMessageContaining("disk went away at " + CHUNK);
            recorded.failAt = null;
            byte[] second = bytes(source, 2);
            assertThat(decompressConcatenated(second))
                    .isEqualTo(java.util.Arrays.copyOfRange(content, CHUNK, 2 * CHUNK));
        }
    }

    @Test
    void contentThatShrinksWhileBeingCompressedFails() throws Exception {
        byte[] content = "vaccination|record|".repeat(300).getBytes();
        Path file = Files.write(dir.resolve("m.csv"), content);
        try (ChunkSource source = ChunkSource.of(MessageContent.of(file), CHUNK, 64, true, pool)) {
            bytes(source, 1);
            Files.write(file, java.util.Arrays.copyOf(content, CHUNK + 10));
            assertThatThrownBy(() -> bytes(source, 3)).isInstanceOf(IOException.class)
                    .hasMessageContaining("content shrank while being sent");
        }
    }

    /** Content that records each offset opened, and can fail to open one. */
    private static final class RecordingContent implements MessageContent {
        final List<Long> opened = new CopyOnWriteArrayList<>();
        final MessageContent content;
        volatile Long failAt;

        RecordingContent(MessageContent content) {
            this.content = content;
        }

        @Override
        public long length() {
            return content.length();
        }

        @Override
        public InputStream open(long offset) throws IOException {
            opened.add(offset);
            if (failAt != null && failAt == offset) {
                throw new IOException("disk went away at " + offset);
            }
            return content.open(offset);
        }
    }

    /** Gzip members in {@code wire}, counted by decoding one at a time. */
    private static int members(byte[] wire) throws IOException {
        int members = 0;
        ByteArrayInputStream in = new ByteArrayInputStream(wire);
        while (in.available() > 0) {
            try (GzipCompressorInputStream member = new GzipCompressorInputStream(CloseShieldInputStream.wrap(in),
                    false)) {
                member.transferTo(OutputStream.nullOutputStream());
            }
            members++;
        }
        return members;
    }

    private int count(long length) {
        return ChunkSource.of(InputStream.nullInputStream(), length, CHUNK, 64, false, pool).count();
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
