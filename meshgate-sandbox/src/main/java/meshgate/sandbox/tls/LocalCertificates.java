package meshgate.sandbox.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * A folder of certificates for running MESH locally over mutual TLS, kept across restarts so that clients configured
 * once keep working: the local root CA ({@code ca-bundle.pem}, its key {@code ca.key}), and per mailbox a client
 * certificate ({@code {mailbox}.pem}, common name {@code {mailbox}.{ods}.api.mesh-client.nhs.uk} as for the real MESH)
 * with its key encrypted under a passphrase ({@code {mailbox}.key}, as {@code openssl genpkey -aes256} writes it).
 * Mailboxes added later get their certificates from the same CA. The server certificate (localhost, 127.0.0.1) is
 * issued afresh each time.
 */
public final class LocalCertificates {
    private final Path dir;
    private final CertificateAuthority ca;
    private final String passphrase;

    private LocalCertificates(Path dir, CertificateAuthority ca, String passphrase) {
        this.dir = dir;
        this.ca = ca;
        this.passphrase = passphrase;
    }

    /** Opens the folder, creating the CA and any missing client certificates. */
    public static LocalCertificates openOrCreate(Path dir, List<String> mailboxes, String passphrase) {
        Path caPem = dir.resolve("ca-bundle.pem");
        Path caKey = dir.resolve("ca.key");
        CertificateAuthority ca;
        if (Files.isRegularFile(caPem) && Files.isRegularFile(caKey)) {
            ca = CertificateAuthority.of(readCertificate(caPem), readKey(caKey));
        } else {
            ca = CertificateAuthority.create("MeshGate Local Root CA");
            ca.writeCertificatePem(caPem);
            new IssuedCertificate(ca.certificate(), ca.privateKey(), ca.certificate()).writePrivateKeyPkcs8Pem(caKey);
        }
        LocalCertificates certificates = new LocalCertificates(dir, ca, passphrase);
        for (String mailbox : mailboxes) {
            if (!Files.isRegularFile(certificates.clientCertificate(mailbox))
                    || !Files.isRegularFile(certificates.clientKey(mailbox))) {
                IssuedCertificate client = ca.issueClient(mailbox + ".X26.api.mesh-client.nhs.uk");
                client.writeCertificatePem(certificates.clientCertificate(mailbox));
                client.writeEncryptedPrivateKeyPem(certificates.clientKey(mailbox), passphrase.toCharArray());
            }
        }
        return certificates;
    }

    public Path dir() {
        return dir;
    }

    /** The CA certificate clients trust the sandbox by (root first, as MESH's own bundles are). */
    public Path caBundle() {
        return dir.resolve("ca-bundle.pem");
    }

    public Path clientCertificate(String mailbox) {
        return dir.resolve(mailbox + ".pem");
    }

    public Path clientKey(String mailbox) {
        return dir.resolve(mailbox + ".key");
    }

    public String passphrase() {
        return passphrase;
    }

    /** A server context for localhost that requires or accepts client certificates issued by this CA. */
    public SSLContext serverContext() {
        return SandboxTls.serverContext(ca.issueServer("localhost", "127.0.0.1"), ca.certificate());
    }

    private static X509Certificate readCertificate(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + pem, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a certificate: " + pem, e);
        }
    }

    private static PrivateKey readKey(Path pem) {
        try (Reader reader = Files.newBufferedReader(pem); PEMParser parser = new PEMParser(reader)) {
            Object object = parser.readObject();
            if (!(object instanceof PrivateKeyInfo info)) {
                throw new IllegalArgumentException("not an unencrypted PKCS#8 private key: " + pem);
            }
            return new JcaPEMKeyConverter().getPrivateKey(info);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + pem, e);
        }
    }
}
