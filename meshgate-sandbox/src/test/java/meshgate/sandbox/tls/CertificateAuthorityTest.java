package meshgate.sandbox.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateAuthorityTest {
    private static CertificateAuthority ca;
    private static IssuedCertificate client;

    @BeforeAll
    static void issue() {
        ca = CertificateAuthority.create("Test CA");
        client = ca.issueClient("X26ABC1.X26.api.mesh-client.nhs.uk");
    }

    @Test
    void rootIsACaAndIssuedCertificatesChainToIt() throws Exception {
        IssuedCertificate server = ca.issueServer("localhost", "127.0.0.1");

        assertThat(ca.certificate().getBasicConstraints()).isGreaterThanOrEqualTo(0);
        server.certificate().verify(ca.certificate().getPublicKey());
        client.certificate().verify(ca.certificate().getPublicKey());
        assertThat(server.certificate().getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(client.certificate().getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
        assertThat(server.certificate().getSubjectAlternativeNames())
                .contains(List.of(2, "localhost"), List.of(7, "127.0.0.1"));
        assertThat(client.certificate().getSubjectX500Principal().getName())
                .isEqualTo("CN=X26ABC1.X26.api.mesh-client.nhs.uk");
    }

    @Test
    void writesEveryPemForm(@TempDir Path dir) throws Exception {
        client.writeCertificatePem(dir.resolve("cert.pem"));
        client.writePrivateKeyPkcs8Pem(dir.resolve("key8.pem"));
        client.writePrivateKeyPkcs1Pem(dir.resolve("key1.pem"));
        ca.writeCertificatePem(dir.resolve("ca.pem"));

        assertThat(Files.readString(dir.resolve("cert.pem"))).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(Files.readString(dir.resolve("key8.pem"))).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(Files.readString(dir.resolve("key1.pem"))).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(Files.readString(dir.resolve("ca.pem"))).startsWith("-----BEGIN CERTIFICATE-----");
    }

    @Test
    void encryptedKeyIsPbes2AndDecryptsWithThePassphrase(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("enc.pem");
        client.writeEncryptedPrivateKeyPem(file, "secret".toCharArray());

        assertThat(Files.readString(file)).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        try (Reader reader = Files.newBufferedReader(file); PEMParser parser = new PEMParser(reader)) {
            PKCS8EncryptedPrivateKeyInfo info = (PKCS8EncryptedPrivateKeyInfo) parser.readObject();
            assertThat(info.getEncryptionAlgorithm().getAlgorithm()).isEqualTo(PKCSObjectIdentifiers.id_PBES2);
            PrivateKey key = new JcaPEMKeyConverter().getPrivateKey(info.decryptPrivateKeyInfo(
                    new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(new BouncyCastleProvider())
                            .build("secret".toCharArray())));
            assertThat(key.getEncoded()).isEqualTo(client.privateKey().getEncoded());
        }
    }

    @Test
    void pkcs12HoldsKeyAndChain(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("client.p12");
        client.writePkcs12(file, "pw".toCharArray());

        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(file)) {
            store.load(in, "pw".toCharArray());
        }
        assertThat(store.getKey(IssuedCertificate.ALIAS, "pw".toCharArray())).isNotNull();
        assertThat(store.getCertificateChain(IssuedCertificate.ALIAS)).hasSize(2);
        assertThat((X509Certificate) store.getCertificate(IssuedCertificate.ALIAS)).isEqualTo(client.certificate());
    }
}
