package meshgate.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The meshgate command as a separate process, the way an operator runs it: the runnable jar when it is up to date,
 * otherwise (inside the build, where the jar is made after this module's tests) the same classes from the test's
 * class path. Standard output and standard error go to files of their own.
 */
final class MeshgateProcess implements AutoCloseable {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path JAR = ROOT.resolve("meshgate-cli/target/meshgate.jar");

    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private MeshgateProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    static MeshgateProcess start(Path dir, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        if (jarIsFresh()) {
            command.addAll(List.of("-jar", JAR.toString()));
        } else {
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        }
        command.addAll(List.of(args));
        Path stdout = dir.resolve("stdout.log");
        Path stderr = dir.resolve("stderr.log");
        Process process = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        return new MeshgateProcess(process, stdout, stderr);
    }

    /** Waits until standard error holds a line that matches, while the process lives; returns that line. */
    String awaitLogLine(String what, Predicate<String> line) throws IOException, InterruptedException {
        Instant end = Instant.now().plus(Duration.ofSeconds(120));
        while (Instant.now().isBefore(end)) {
            var found = logLines().stream().filter(line).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            if (!process.isAlive()) {
                throw new AssertionError("meshgate exited (" + process.exitValue() + ") before " + what + "\n"
                        + output());
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting for " + what + "\n" + output());
    }

    /** Waits until standard output holds a line that matches, while the process lives; returns that line. */
    String awaitOutputLine(String what, Predicate<String> line) throws IOException, InterruptedException {
        Instant end = Instant.now().plus(Duration.ofSeconds(120));
        while (Instant.now().isBefore(end)) {
            var found = Files.readAllLines(stdout).stream().filter(line).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            if (!process.isAlive()) {
                throw new AssertionError("meshgate exited (" + process.exitValue() + ") before " + what + "\n"
                        + output());
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting for " + what + "\n" + output());
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Stops the process as SIGTERM (Ctrl-C) does; true when it ended by itself within {@code grace}. */
    boolean stop(Duration grace) throws InterruptedException {
        process.destroy();
        return process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
    }

    List<String> logLines() throws IOException {
        return Files.readAllLines(stderr);
    }

    String output() throws IOException {
        return "--- stdout\n" + Files.readString(stdout) + "--- stderr\n" + Files.readString(stderr);
    }

    /** Stops the process as SIGTERM does, and waits for it to finish. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The jar exists and nothing under any src/main, nor pom.xml, is newer. */
    private static boolean jarIsFresh() throws IOException {
        if (!Files.isRegularFile(JAR)) {
            return false;
        }
        FileTime built = Files.getLastModifiedTime(JAR);
        if (Files.getLastModifiedTime(ROOT.resolve("pom.xml")).compareTo(built) > 0) {
            return false;
        }
        try (Stream<Path> files = Files.walk(ROOT)) {
            return files.filter(p -> p.toString().contains("/src/main/")).noneMatch(p -> newer(p, built));
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
