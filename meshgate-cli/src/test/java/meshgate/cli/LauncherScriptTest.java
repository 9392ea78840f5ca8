package meshgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command, run as a person runs it: the launcher script in the repository root. */
class LauncherScriptTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path JAR = ROOT.resolve("meshgate-cli/target/meshgate.jar");

    @TempDir
    Path dir;

    @Test
    void quickstartThroughTheLauncherLeavesTheDemoMessageInTheInboundFolder() throws Exception {
        Path data = dir.resolve("meshgate-data");
        Path log = dir.resolve("quickstart.log");
        ProcessBuilder launcher = new ProcessBuilder("bash", "meshgate", "quickstart", "--once", "--data-dir",
                data.toString())
                .directory(ROOT.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> environment = launcher.environment();
        environment.remove("MESHGATE_JAR");
        environment.remove("MESHGATE_CLASSPATH");
        environment.put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + environment.get("PATH"));
        if (!jarIsFresh()) {
            // Inside the build the jar of this module is made after its tests: run the same classes instead.
            environment.put("MESHGATE_CLASSPATH", System.getProperty("java.class.path"));
        }

        Process process = launcher.start();
        boolean finished = process.waitFor(90, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly();
        }

        String output = Files.readString(log);
        assertThat(finished).as(output).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("tracking says: acknowledged", "Next:");
        List<Path> received;
        try (Stream<Path> files = Files.list(data.resolve("inbound/X26ABC2"))) {
            received = files.filter(p -> p.getFileName().toString().endsWith(".dat")).toList();
        }
        assertThat(received).hasSize(1);
        assertThat(Files.readString(received.get(0))).startsWith("NHS_NUMBER|PROGRAMME|DATE");
    }

    /** The launcher's own test: the jar exists and nothing under any src/main, nor pom.xml, is newer. */
    private static boolean jarIsFresh() throws IOException {
        if (!Files.isRegularFile(JAR)) {
            return false;
        }
        FileTime built = Files.getLastModifiedTime(JAR);
        if (Files.getLastModifiedTime(ROOT.resolve("pom.xml")).compareTo(built) > 0) {
            return false;
        }
        try (Stream<Path> files = Files.walk(ROOT)) {
            return files.filter(p -> p.toString().contains("/src/main/"))
                    .noneMatch(p -> newer(p, built));
        }
    }

    private static boolean newer(Path file, FileTime than) {
        try {
            return Files.getLastModifiedTime(file).compareTo(than) > 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
