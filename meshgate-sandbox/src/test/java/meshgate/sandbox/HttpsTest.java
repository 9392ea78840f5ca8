package meshgate.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import meshgate.sandbox.tls.CertificateAuthority;
import meshgate.sandbox.tls.IssuedCertificate;
import meshgate.sandbox.tls.SandboxTls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HttpsTest {
    private static CertificateAuthority ca;
    private static MeshSandbox sandbox;

    @BeforeAll
    static void start() {
        ca = CertificateAuthority.create("Test CA");
        IssuedCertificate server = ca.issueServer("localhost", "127.0.0.1");
        sandbox = MeshSandbox.builder()
                .https(SandboxTls.serverContext(server, ca.certificate()))
                .requireClientCertificate(true)
                .start();
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @Test
    void clientWithCertificateFromTheCaIsServed() throws Exception {
        IssuedCertificate clientCert = ca.issueClient("X26ABC1.X26.api.mesh-client.nhs.uk");
        MeshTestClient client = new MeshTestClient(sandbox.baseUrl(),
                SandboxTls.clientContext(clientCert, ca.certificate()));

        assertThat(sandbox.baseUrl()).startsWith("https://127.0.0.1:");
        assertThat(client.handshake("X26ABC1").statusCode()).isEqualTo(200);
    }

    @Test
    void clientWithoutCertificateFailsTheHandshake() {
        MeshTestClient client = new MeshTestClient(sandbox.baseUrl(), SandboxTls.clientContext(null, ca.certificate()));

        assertThatThrownBy(() -> client.handshake("X26ABC1")).isInstanceOf(IOException.class);
    }

    @Test
    void generatedCertificatesWorkOutOfTheBox() throws Exception {
        try (MeshSandbox generated = MeshSandbox.builder().httpsWithGeneratedCertificates()
                .requireClientCertificate(true).start()) {
            CertificateAuthority authority = generated.certificateAuthority().orElseThrow();
            MeshTestClient client = new MeshTestClient(generated.baseUrl(), SandboxTls.clientContext(
                    authority.issueClient("X26ABC2.X26.api.mesh-client.nhs.uk"), authority.certificate()));

            assertThat(client.handshake("X26ABC2").statusCode()).isEqualTo(200);
        }
    }
}
