package meshgate.client;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import meshgate.sandbox.MeshSandbox;
import meshgate.sandbox.tls.LocalCertificates;

/**
 * A sandbox served over HTTPS that requires client certificates, with a CA and per-mailbox client certificates
 * generated for this run as PEM files (client keys encrypted with a passphrase).
 */
final class SandboxFixture implements AutoCloseable {
    static final String PASSPHRASE = "fixture passphrase";
    static final int CHUNK_SIZE = MeshClient.MIN_CHUNK_SIZE;

    final Path dir;
    final Path caBundle;
    final LocalCertificates certificates;
    final MeshSandbox sandbox;

    SandboxFixture(Path dir, Consumer<MeshSandbox.Builder> customise) {
        this.dir = dir;
        this.certificates = LocalCertificates.openOrCreate(dir, List.of("X26ABC1", "X26ABC2", "X26ABC3", "X26ZZZ9"),
                PASSPHRASE);
        this.caBundle = certificates.caBundle();
        MeshSandbox.Builder builder = MeshSandbox.builder()
                .https(certificates.serverContext())
                .requireClientCertificate(true);
        customise.accept(builder);
        this.sandbox = builder.start();
    }

    static SandboxFixture start(Path dir) {
        return new SandboxFixture(dir, b -> { });
    }

    MeshTls tls(String mailbox) {
        return MeshTls.fromPem(certificates.clientCertificate(mailbox), certificates.clientKey(mailbox),
                PASSPHRASE.toCharArray(), caBundle);
    }

    MeshClient.Builder clientBuilder(String mailbox) {
        return MeshClient.builder()
                .baseUrl(java.net.URI.create(sandbox.baseUrl()))
                .credentials(mailbox, "password", "TestKey")
                .tls(tls(mailbox))
                .chunkSize(CHUNK_SIZE)
                .retryPolicy(new RetryPolicy(10, Duration.ofMillis(5), Duration.ofMillis(100), Duration.ofMinutes(1)));
    }

    MeshClient client(String mailbox) {
        return clientBuilder(mailbox).build();
    }

    Path write(String name, byte[] content) throws java.io.IOException {
        return Files.write(dir.resolve(name), content);
    }

    @Override
    public void close() {
        sandbox.close();
    }

    /** A clock tests can move forward. */
    static final class MovableClock extends Clock {
        private volatile java.time.Instant now = java.time.Instant.now();

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public java.time.Instant instant() {
            return now;
        }
    }
}
