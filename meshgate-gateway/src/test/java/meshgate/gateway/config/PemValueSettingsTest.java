package meshgate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import meshgate.client.MeshClient;
import meshgate.sandbox.MeshSandbox;
import meshgate.sandbox.tls.CertificateAuthority;
import meshgate.sandbox.tls.IssuedCertificate;
import meshgate.sandbox.tls.SandboxTls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client certificate, its key and the CA bundle given as PEM values (from any secret source), not files. */
class PemValueSettingsTest {
    @TempDir
    Path dir;

    @Test
    void connectsOverMutualTlsWithCertificateKeyAndCaBundleGivenAsPemValues() throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("PEM value CA");
        IssuedCertificate client = ca.issueClient("X26ABC1.X26.api.mesh-client.nhs.uk");
        String caPem = pem(ca::writeCertificatePem);
        String certificatePem = pem(client::writeCertificatePem);
        String keyPem = pem(client::writePrivateKeyPkcs8Pem);
        try (MeshSandbox sandbox = MeshSandbox.builder()
                .https(SandboxTls.serverContext(ca.issueServer("localhost", "127.0.0.1"), ca.certificate()))
                .requireClientCertificate(true).start()) {
            GatewayConfig config = GatewayConfigLoader.fromYaml("base_url: " + sandbox.baseUrl() + "\n"
                    + "shared_key: TestKey\n"
                    + "mailboxes: [{mailbox_id: X26ABC1, password: password}]\n"
                    + "certificate: |\n" + indent(certificatePem)
                    + "private_key: {env: MESH_CLIENT_KEY}\n"
                    + "ca_bundle: {file: ca-value.txt}\n",
                    write("ca-value.txt", caPem).getParent(), Map.of("MESH_CLIENT_KEY", keyPem));

            try (MeshClient mesh = MeshClient.builder().baseUrl(URI.create(sandbox.baseUrl()))
                    .credentials("X26ABC1", "password", "TestKey").tls(config.tls().toMeshTls()).build()) {
                mesh.handshake();
            }
            assertThat(config.toString()).doesNotContain(keyPem.lines().skip(1).findFirst().orElseThrow())
                    .contains("env MESH_CLIENT_KEY");
        }
    }

    @Test
    void aPemValueThatIsNotPemIsReportedByItsSourceNeverByItsValue() {
        GatewayConfig config = GatewayConfigLoader.fromYaml("""
                shared_key: TestKey
                mailboxes: [{mailbox_id: X26ABC1, password: password}]
                certificate: {env: MESH_CLIENT_CERT}
                private_key: {env: MESH_CLIENT_KEY}
                """, dir, Map.of("MESH_CLIENT_CERT", "not a certificate", "MESH_CLIENT_KEY", "very-secret-key"));

        assertThatThrownBy(() -> config.tls().toMeshTls())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("env MESH_CLIENT_CERT")
                .hasMessageNotContaining("not a certificate")
                .hasMessageNotContaining("very-secret-key");
    }

    @Test
    void aPrivateKeyWrittenIntoASettingsFileThatOthersCanReadIsWarnedAbout() throws Exception {
        IssuedCertificate client = CertificateAuthority.create("PEM value CA").issueClient("X26ABC1");
        String keyPem = pem(client::writePrivateKeyPkcs8Pem);
        Path file = write("meshgate.yaml", "shared_key: {env: MESH_SHARED_KEY}\n"
                + "mailboxes: [{mailbox_id: X26ABC1, password: {env: MESH_PASSWORD}}]\n"
                + "certificate: |\n" + indent(pem(client::writeCertificatePem))
                + "private_key: |\n" + indent(keyPem));
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            GatewayConfigLoader.load(file, Map.of("MESH_SHARED_KEY", "TestKey", "MESH_PASSWORD", "password"));
        } finally {
            System.setErr(err);
        }

        assertThat(captured.toString(java.nio.charset.StandardCharsets.UTF_8))
                .contains("event=settings_file_readable_by_others", "secrets=private_key")
                .doesNotContain(keyPem.lines().skip(1).findFirst().orElseThrow());
    }

    private interface Writer {
        void write(Path file);
    }

    private String pem(Writer writer) throws Exception {
        Path file = Files.createTempFile(dir, "pem", ".pem");
        writer.write(file);
        return Files.readString(file);
    }

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    private static String indent(String text) {
        return text.lines().map(line -> "  " + line + "\n").reduce("", String::concat);
    }
}
