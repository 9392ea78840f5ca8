package meshgate.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import meshgate.sandbox.MeshSandbox;
import meshgate.sandbox.tls.LocalCertificates;

/**
 * What the launcher runs once after each build, under {@code -XX:ArchiveClassesAtExit}, to make the class data
 * sharing archive that later runs of the {@code meshgate} command start from: the person commands, run against a
 * sandbox in this process over mutual TLS, so the archive holds the classes they load (picocli, the settings, TLS,
 * the MESH client, JSON). Nothing it does is left behind.
 */
public final class ClassDataTraining {
    private ClassDataTraining() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("meshgate-cds-");
        try {
            LocalCertificates certificates = LocalCertificates.openOrCreate(dir.resolve("tls"),
                    List.of("X26ABC1", "X26ABC2"), "training");
            try (MeshSandbox sandbox = MeshSandbox.builder().https(certificates.serverContext())
                    .requireClientCertificate(true).start()) {
                Files.writeString(dir.resolve("passphrase.txt"), "training\n");
                Path config = Files.writeString(dir.resolve("meshgate.yaml"), String.join("\n",
                        "base_url: " + sandbox.baseUrl(),
                        "shared_key: TestKey",
                        "ca_bundle: " + certificates.caBundle(),
                        "certificate: " + certificates.clientCertificate("X26ABC1"),
                        "private_key: " + certificates.clientKey("X26ABC1"),
                        "private_key_passphrase: {file: passphrase.txt}",
                        "mailboxes:",
                        "  - mailbox_id: X26ABC1",
                        "    password: password",
                        ""));
                Path file = Files.writeString(dir.resolve("training.csv"), "a,b\n1,2\n", StandardCharsets.UTF_8);
                String settings = config.toString();
                Main.run("--version");
                Main.run("--help");
                Main.run("send", "--config", settings, "--help");
                Main.run("send", "--config", settings, "--quiet", "--to", "X26ABC1", "--workflow", "TRAINING",
                        file.toString());
                Main.run("inbox", "--config", settings);
                Main.run("validate-mailbox", "--config", settings);
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
