package meshgate.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Samples tell text from content that is already compressed, wherever in the file it lies. */
class CompressibilityTest {
    @TempDir
    Path dir;

    @Test
    void textIsWorthCompressingAndRandomOrGzippedContentIsNot() throws Exception {
        StringBuilder csv = new StringBuilder("nhs_number,vaccine,date,site\n");
        Random random = new Random(1);
        while (csv.length() < 3_000_000) {
            csv.append(9_000_000_000L + random.nextInt(999_999)).append(",HPV,2026-11-").append(10 + random.nextInt(20))
                    .append(",RX").append(random.nextInt(99)).append('\n');
        }
        Path text = Files.writeString(dir.resolve("export.csv"), csv);
        byte[] noise = new byte[3_000_000];
        random.nextBytes(noise);
        Path randomFile = Files.write(dir.resolve("random.bin"), noise);
        Path gzipped = dir.resolve("export.csv.gz");
        try (GZIPOutputStream out = new GZIPOutputStream(Files.newOutputStream(gzipped))) {
            out.write(csv.toString().getBytes(StandardCharsets.UTF_8));
        }

        assertThat(Compressibility.worthCompressing(MessageContent.of(text))).isTrue();
        assertThat(Compressibility.ratio(MessageContent.of(text))).isLessThan(0.5);
        assertThat(Compressibility.worthCompressing(MessageContent.of(randomFile))).isFalse();
        assertThat(Compressibility.worthCompressing(MessageContent.of(gzipped))).isFalse();
    }

    @Test
    void aTextFileWithACompressedPartInTheMiddleIsJudgedByAllOfIt() throws Exception {
        byte[] content = "9000000009,HPV,2026-11-30,RX1\n".repeat(100_000).getBytes(StandardCharsets.US_ASCII);
        byte[] noise = new byte[64 * 1024];
        new Random(2).nextBytes(noise);
        System.arraycopy(noise, 0, content, content.length / 2 - noise.length / 2, noise.length);
        Path file = Files.write(dir.resolve("mixed.csv"), content);
        assertThat(Compressibility.worthCompressing(MessageContent.of(file))).isTrue();
        assertThat(Compressibility.ratio(MessageContent.of(file))).isGreaterThan(0.25);
    }

    @Test
    void smallAndEmptyContentIsSampledOnce() throws Exception {
        Path small = Files.writeString(dir.resolve("small.txt"), "a,b,c\n".repeat(100));
        assertThat(Compressibility.worthCompressing(MessageContent.of(small))).isTrue();
        Path empty = Files.write(dir.resolve("empty"), new byte[0]);
        assertThat(Compressibility.ratio(MessageContent.of(empty))).isEqualTo(1.0);
    }
}
