package meshgate.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import meshgate.client.MeshClient;
import meshgate.client.MeshTls;
import meshgate.gateway.Gateway;
import meshgate.gateway.config.GatewayConfig;
import meshgate.gateway.config.GatewayConfigLoader;
import meshgate.sandbox.MeshSandbox;
import meshgate.sandbox.tls.LocalCertificates;

/**
 * MESH on this machine for a benchmark: the sandbox over HTTPS requiring client certificates, and gateways (one per
 * mailbox, each on its own folder and ledger) configured with YAML as a user would.
 */
final class LocalMesh implements AutoCloseable {
    static final String PASSPHRASE = "bench";
    static final Map<String, String> ENVIRONMENT = Map.of("MESHGATE_BENCH_PASSPHRASE", PASSPHRASE);

    final Path dir;
    final LocalCertificates certificates;
    final MeshSandbox sandbox;

    LocalMesh(Path dir, Consumer<MeshSandbox.Builder> customise) {
        this.dir = dir;
        this.certificates = LocalCertificates.openOrCreate(dir.resolve("tls"), List.of("X26ABC1", "X26ABC2",
                "X26ABC3"), PASSPHRASE);
        // In memory (bodies over 1 MiB still go to disk): the sandbox's own bookkeeping is not what is measured.
        MeshSandbox.Builder builder = MeshSandbox.builder().https(certificates.serverContext())
                .requireClientCertificate(true);
        customise.accept(builder);
        this.sandbox = builder.start();
    }

    Path root(String mailbox) {
        return dir.resolve("gateway-" + mailbox);
    }

    /** Writes the gateway's YAML file; {@code extra} lines are appended (no key may repeat a default one). */
    Path writeConfig(String mailbox, String extra) throws IOException {
        Path root = Files.createDirectories(root(mailbox));
        String yaml = String.join("\n",
                "base_url: " + sandbox.baseUrl(),
                "shared_key: TestKey",
                "ca_bundle: " + certificates.caBundle(),
                "mailboxes:",
                "  - mailbox_id: " + mailbox,
                "    password: password",
                "    certificate: " + certificates.clientCertificate(mailbox),
                "    private_key: " + certificates.clientKey(mailbox),
                "    private_key_passphrase: {env: MESHGATE_BENCH_PASSPHRASE}",
                "store:",
                "  type: local",
                "  root: " + root,
                "ledger:",
                "  type: embedded",
                "  path: " + root.resolve("ledger/meshgate"),
                "outbound_rescan_interval: 1s",
                "outbound_settle_time: 0s",
                "tracking_interval: 1h",
                "outbound_existing: send",
                extra,
                "");
        return writeSettings(root.resolve("meshgate.yaml"), yaml);
    }

    /** Writes a settings file that holds secrets readable by its owner only, as the gateway expects of one. */
    static Path writeSettings(Path file, String yaml) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        return Files.writeString(file, yaml, java.nio.charset.StandardCharsets.UTF_8);
    }

    GatewayConfig config(String mailbox, String extra) throws IOException {
        return GatewayConfigLoader.load(writeConfig(mailbox, extra), ENVIRONMENT);
    }

    /** A MESH client of {@code mailbox}, over the same mutual TLS as the gateways. */
    MeshClient client(String mailbox) {
        return MeshClient.builder().baseUrl(URI.create(sandbox.baseUrl()))
                .credentials(mailbox, "password", "TestKey")
                .tls(MeshTls.fromPem(certificates.clientCertificate(mailbox), certificates.clientKey(mailbox),
                        PASSPHRASE.toCharArray(), certificates.caBundle()))
                .build();
    }

    Gateway gateway(String mailbox, String extra) throws IOException {
        return Gateway.start(config(mailbox, extra));
    }

    @Override
    public void close() {
        sandbox.close();
    }
}
