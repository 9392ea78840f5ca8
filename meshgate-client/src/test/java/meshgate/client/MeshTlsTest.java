package meshgate.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads keys and certificates exactly as the openssl command line writes them for MESH onboarding. */
class MeshTlsTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void generateWithOpenssl() throws Exception {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
                "-subj", "/CN=Test MESH Root CA");
        openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-aes256", "-pass",
                "pass:s3cret passphrase", "-out", "client-encrypted.key");
        openssl("pkey", "-in", "client-encrypted.key", "-passin", "pass:s3cret passphrase", "-out", "client-pkcs8.key");
        openssl("rsa", "-in", "client-pkcs8.key", "-traditional", "-out", "client-pkcs1.key");
        openssl("req", "-new", "-key", "client-pkcs8.key", "-subj", "/CN=X26ABC1.X26.api.mesh-client.nhs.uk",
                "-out", "client.csr");
        openssl("x509", "-req", "-in", "client.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "2", "-out", "client.pem");
        openssl("pkcs12", "-export", "-in", "client.pem", "-inkey", "client-pkcs8.key", "-passout", "pass:p12pass",
                "-out", "client.p12");
    }

    @Test
    void readsEncryptedPkcs8KeyAsOpensslGenpkeyAes256WritesIt() throws Exception {
        PrivateKey key = MeshTls.readPrivateKey(dir.resolve("client-encrypted.key"), "s3cret passphrase".toCharArray());
        assertKeyMatchesCertificate(key);
    }

    @Test
    void readsPlainPkcs8AndPkcs1Keys() throws Exception {
        assertKeyMatchesCertificate(MeshTls.readPrivateKey(dir.resolve("client-pkcs8.key"), null));
        assertKeyMatchesCertificate(MeshTls.readPrivateKey(dir.resolve("client-pkcs1.key"), null));
    }

    @Test
    void saysWhatIsWrongWithAnEncryptedKey() {
        assertThatThrownBy(() -> MeshTls.readPrivateKey(dir.resolve("client-encrypted.key"), "wrong".toCharArray()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wrong passphrase");
        assertThatThrownBy(() -> MeshTls.readPrivateKey(dir.resolve("client-encrypted.key"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("private_key_passphrase");
    }

    @Test
    void buildsMutualTlsFromPemAndFromPkcs12() {
        MeshTls pem = MeshTls.fromPem(dir.resolve("client.pem"), dir.resolve("client-encrypted.key"),
                "s3cret passphrase".toCharArray(), dir.resolve("ca.pem"));
        MeshTls p12 = MeshTls.fromPkcs12(dir.resolve("client.p12"), "p12pass".toCharArray(), dir.resolve("ca.pem"));

        assertThat(pem.verifies()).isTrue();
        assertThat(p12.verifies()).isTrue();
        assertThat(pem.trustManager().getAcceptedIssuers()).extracting(c -> c.getSubjectX500Principal().getName())
                .containsExactly("CN=Test MESH Root CA");
        assertThat(MeshTls.insecure(pem).verifies()).isFalse();
    }

    @Test
    void rejectsAKeyThatIsNotAKey() {
        assertThatThrownBy(() -> MeshTls.readPrivateKey(dir.resolve("ca.pem"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no private key");
    }

    private static void assertKeyMatchesCertificate(PrivateKey key) throws Exception {
        X509Certificate certificate = MeshTls.readCertificates(dir.resolve("client.pem")).get(0);
        byte[] data = "mesh".getBytes(StandardCharsets.UTF_8);
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(key);
        signer.update(data);
        byte[] signature = signer.sign();
        PublicKey publicKey = certificate.getPublicKey();
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(publicKey);
        verifier.update(data);
        assertThat(verifier.verify(signature)).isTrue();
    }

    private static void openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("openssl %s: %s", args[0], output).isZero();
    }
}
