package meshgate.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import meshgate.gateway.config.GatewayConfig;
import meshgate.gateway.config.GatewayConfigLoader;
import meshgate.sandbox.MeshSandbox;
import meshgate.sandbox.tls.LocalCertificates;

/**
 * A sandbox over HTTPS requiring client certificates, and gateways (one per mailbox) on local folders under a
 * temporary directory, configured the way a user would: with a YAML file.
 */
final class GatewayFixture implements AutoCloseable {
    static final String PASSPHRASE = "gateway fixture";

    final Path dir;
    final LocalCertificates certificates;
    final MeshSandbox sandbox;
    private final List<Gateway> gateways = new ArrayList<>();

    GatewayFixture(Path dir, Consumer<MeshSandbox.Builder> customise) {
        this.dir = dir;
        this.certificates = LocalCertificates.openOrCreate(dir.resolve("tls"),
                List.of("X26ABC1", "X26ABC2", "X26ABC3"), PASSPHRASE);
        MeshSandbox.Builder builder = MeshSandbox.builder().https(certificates.serverContext())
                .requireClientCertificate(true);
        customise.accept(builder);
        this.sandbox = builder.start();
    }

    static GatewayFixture start(Path dir) {
        return new GatewayFixture(dir, b -> { });
    }

    Path root(String mailbox) {
        return dir.resolve("gateway-" + mailbox);
    }

    /** The YAML a user would write for a gateway of one mailbox; {@code extra} adds or overrides top-level lines. */
    String yaml(String mailbox, String extra) {
        java.util.Set<String> overridden = new java.util.HashSet<>();
        for (String line : extra.split("\n")) {
            if (!line.isBlank() && !Character.isWhitespace(line.charAt(0)) && line.contains(":")) {
                overridden.add(line.substring(0, line.indexOf(':')).trim());
            }
        }
        return defaults(mailbox).lines()
                .filter(line -> !overridden.contains(line.contains(":") ? line.substring(0, line.indexOf(':')) : ""))
                .collect(java.util.stream.Collectors.joining("\n")) + "\n" + extra + "\n";
    }

    private String defaults(String mailbox) {
        Path root = root(mailbox);
        return String.join("\n",
                "base_url: " + sandbox.baseUrl(),
                "shared_key: TestKey",
                "certificate: " + certificates.clientCertificate(mailbox),
                "private_key: " + certificates.clientKey(mailbox),
                "private_key_passphrase: {env: TEST_KEY_PASSPHRASE}",
                "ca_bundle: " + certificates.caBundle(),
                "mailboxes:",
                "  - mailbox_id: " + mailbox,
                "    password: password",
                "store:",
                "  type: local",
                "  root: " + root,
                "ledger:",
                "  type: embedded",
                "  path: " + root.resolve("ledger").resolve("meshgate"),
                "chunk_size: 5242881",
                "poll_interval: 300ms",
                "outbound_rescan_interval: 300ms",
                "outbound_settle_time: 100ms",
                "tracking_interval: 1h",
                // Tests drop files before a gateway's first start and expect them sent (OutboundAdoptionTest covers
                // the default, adopting them).
                "outbound_existing: send");
    }

    Path writeConfig(String mailbox, String extra) throws IOException {
        Files.createDirectories(root(mailbox));
        return Files.writeString(root(mailbox).resolve("meshgate.yaml"), yaml(mailbox, extra));
    }

    GatewayConfig config(String mailbox, String extra) throws IOException {
        return GatewayConfigLoader.load(writeConfig(mailbox, extra), environment());
    }

    static Map<String, String> environment() {
        return Map.of("TEST_KEY_PASSPHRASE", PASSPHRASE);
    }

    Gateway gateway(String mailbox, String extra) throws IOException {
        Gateway gateway = Gateway.start(config(mailbox, extra));
        gateways.add(gateway);
        return gateway;
    }

    /** Drops a file into a gateway's outbound folder the safe way: metadata first, content under a hidden name, renamed. */
    Path drop(String mailbox, String relative, byte[] content, String metadataJson) throws IOException {
        Path target = root(mailbox).resolve("outbound").resolve(relative);
        Files.createDirectories(target.getParent());
        if (metadataJson != null) {
            Files.writeString(target.resolveSibling(target.getFileName() + ".meta.json"), metadataJson,
                    StandardCharsets.UTF_8);
        }
        Path hidden = target.resolveSibling("." + target.getFileName() + ".writing");
        Files.write(hidden, content);
        return Files.move(hidden, target);
    }

    /**
     * Waits for a quick condition with a total timeout. A wait that a slow machine can stretch (a large transfer,
     * many messages) uses {@link Progress#await} instead, which fails only when nothing advances.
     */
    static void eventually(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for: " + what);
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close() {
        gateways.forEach(Gateway::close);
        sandbox.close();
    }
}
