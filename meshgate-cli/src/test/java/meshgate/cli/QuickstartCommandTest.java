package meshgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class QuickstartCommandTest {
    @TempDir
    Path dir;

    @Test
    void onceRunsMeshEndToEndLeavesTheDemoMessageInTheInboundFolderAndEnds() throws Exception {
        StringWriter out = new StringWriter();
        CommandLine command = Main.commandLine(CliEnvironment.system()).setOut(new PrintWriter(out));

        int exit = command.execute("quickstart", "--once", "--data-dir", dir.toString());

        assertThat(exit).as(out.toString()).isZero();
        Path inbound = dir.resolve("inbound").resolve("X26ABC2");
        List<Path> received;
        try (Stream<Path> files = Files.list(inbound)) {
            received = files.toList();
        }
        List<Path> payloads = received.stream().filter(p -> p.getFileName().toString().endsWith(".dat")).toList();
        assertThat(payloads).hasSize(1);
        assertThat(Files.readString(payloads.get(0))).startsWith("NHS_NUMBER|PROGRAMME|DATE");
        List<Path> archived;
        try (Stream<Path> files = Files.walk(dir.resolve("sent"))) {
            archived = files.filter(p -> p.getFileName().toString().endsWith(".csv")).toList();
        }
        assertThat(archived).hasSize(1);
        assertThat(Files.readString(payloads.get(0))).isEqualTo(Files.readString(archived.get(0)));
        assertThat(out.toString()).doesNotContain("Ctrl-C");
        assertThat(out.toString()).contains("tracking says: acknowledged").contains("Next:")
                .contains("meshgate_outbound_messages_total{mailbox=\"X26ABC1\",outcome=\"accepted\"} 1.0")
                .contains("meshgate_inbound_messages_total{mailbox=\"X26ABC2\",outcome=\"acknowledged\"} 1.0");
        for (Path secret : List.of(dir.resolve("meshgate.yaml"), dir.resolve("tls/X26ABC1.key"),
                dir.resolve("tls/passphrase.txt"), dir.resolve("ledger"),
                dir.resolve("tls/ca.key"), payloads.get(0))) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret))).as(secret.toString())
                    .isEqualTo(Files.isDirectory(secret) ? "rwx------" : "rw-------");
        }
    }

    @Test
    void versionNamesTheRelease() {
        StringWriter out = new StringWriter();
        int exit = Main.commandLine(CliEnvironment.system()).setOut(new PrintWriter(out)).execute("--version");
        assertThat(exit).isZero();
        assertThat(out.toString()).startsWith("meshgate 0.1.0");
    }
}
