package meshgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class QuickstartCommandTest {
    @TempDir
    Path dir;

    @Test
    void runsMeshEndToEndAndLeavesTheDemoMessageInTheInboundFolder() throws Exception {
        StringWriter out = new StringWriter();
        CommandLine command = new CommandLine(new MeshgateCommand()).setOut(new PrintWriter(out));

        int exit = command.execute("quickstart", "--data-dir", dir.toString());

        assertThat(exit).as(out.toString()).isZero();
        Path inbound = dir.resolve("inbound").resolve("X26ABC2");
        List<Path> received;
        try (Stream<Path> files = Files.list(inbound)) {
            received = files.toList();
        }
        assertThat(received).hasSize(1);
        assertThat(received.get(0).getFileName().toString()).endsWith(".dat");
        assertThat(Files.readString(received.get(0))).startsWith("NHS_NUMBER|PROGRAMME|DATE")
                .isEqualTo(Files.readString(dir.resolve("outbound").resolve("demo.csv")));
        assertThat(out.toString()).contains("tracking says: acknowledged").contains("Next:");
    }

    @Test
    void versionNamesTheRelease() {
        StringWriter out = new StringWriter();
        int exit = new CommandLine(new MeshgateCommand()).setOut(new PrintWriter(out)).execute("--version");
        assertThat(exit).isZero();
        assertThat(out.toString()).startsWith("meshgate 0.1.0");
    }
}
