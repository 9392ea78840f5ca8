package meshgate.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLContext;
import meshgate.client.MeshTls;
import meshgate.sandbox.tls.CertificateAuthority;
import meshgate.sandbox.tls.IssuedCertificate;
import meshgate.sandbox.tls.SandboxTls;

/**
 * Certificates for running MESH locally over mutual TLS: a root CA ({@code ca-bundle.pem}), a server certificate for
 * localhost, and per mailbox a client certificate ({@code {mailbox}.pem}) with its key encrypted under a passphrase
 * ({@code {mailbox}.key}), named as for the real MESH ({@code {mailbox}.{ods}.api.mesh-client.nhs.uk}).
 */
record LocalCertificates(Path dir, Path caBundle, SSLContext serverContext, String passphrase) {

    static LocalCertificates generate(Path dir, List<String> mailboxes, String passphrase) throws java.io.IOException {
        Files.createDirectories(dir);
        CertificateAuthority ca = CertificateAuthority.create("MeshGate Local Root CA");
        Path caBundle = dir.resolve("ca-bundle.pem");
        ca.writeCertificatePem(caBundle);
        for (String mailbox : mailboxes) {
            IssuedCertificate client = ca.issueClient(mailbox + ".X26.api.mesh-client.nhs.uk");
            client.writeCertificatePem(dir.resolve(mailbox + ".pem"));
            client.writeEncryptedPrivateKeyPem(dir.resolve(mailbox + ".key"), passphrase.toCharArray());
        }
        IssuedCertificate server = ca.issueServer("localhost", "127.0.0.1");
        return new LocalCertificates(dir, caBundle, SandboxTls.serverContext(server, ca.certificate()), passphrase);
    }

    MeshTls clientTls(String mailbox) {
        return MeshTls.fromPem(dir.resolve(mailbox + ".pem"), dir.resolve(mailbox + ".key"), passphrase.toCharArray(),
                caBundle);
    }
}
