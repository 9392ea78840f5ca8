package meshgate.gateway;

import static meshgate.gateway.GatewayFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files that cannot be sent are kept in {@code failed/}, every one of them, even when their names repeat. */
class FailedFilesTest {
    @TempDir
    Path dir;
    GatewayFixture fixture;

    @BeforeEach
    void start() {
        fixture = GatewayFixture.start(dir);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void keepsBothFailedFilesOfTheSameNameEachWithItsReason() throws Exception {
        fixture.gateway("X26ABC1", "");
        Path failed = fixture.root("X26ABC1").resolve("failed");

        fixture.drop("X26ABC1", "daily.csv", "monday".getBytes(StandardCharsets.UTF_8), null);
        eventually(Duration.ofSeconds(30), "Monday's file in failed/", () -> dataFiles(failed).size() == 1);
        fixture.drop("X26ABC1", "daily.csv", "tuesday".getBytes(StandardCharsets.UTF_8), null);
        eventually(Duration.ofSeconds(30), "Tuesday's file in failed/ too, each with its reason", () ->
                dataFiles(failed).size() == 2 && dataFiles(failed).stream().allMatch(file ->
                        Files.exists(file.resolveSibling(file.getFileName() + ".reason.txt"))));

        List<Path> kept = dataFiles(failed);
        assertThat(kept).extracting(p -> p.getFileName().toString()).contains("daily.csv")
                .allMatch(name -> name.startsWith("daily.") && name.endsWith(".csv"));
        assertThat(kept).extracting(FailedFilesTest::read).containsExactlyInAnyOrder("monday", "tuesday");
        for (Path file : kept) {
            assertThat(read(file.resolveSibling(file.getFileName() + ".reason.txt")))
                    .contains("could not send outbound/daily.csv");
        }
    }

    private static List<Path> dataFiles(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> !p.getFileName().toString().endsWith(".reason.txt"))
                    .filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
