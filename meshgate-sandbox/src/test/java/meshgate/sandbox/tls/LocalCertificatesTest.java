package meshgate.sandbox.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalCertificatesTest {
    @TempDir
    Path dir;

    @Test
    void privateKeysItGeneratesAreReadableByTheirOwnerOnly() throws IOException {
        LocalCertificates certificates = LocalCertificates.openOrCreate(dir.resolve("tls"), List.of("X26ABC1"),
                "passphrase");
        assertThat(mode(certificates.dir().resolve("ca.key"))).isEqualTo("rw-------");
        assertThat(mode(certificates.clientKey("X26ABC1"))).isEqualTo("rw-------");

        IssuedCertificate other = CertificateAuthority.create("Test CA").issueClient("X26ABC2");
        other.writePrivateKeyPkcs1Pem(dir.resolve("pkcs1.key"));
        other.writePkcs12(dir.resolve("client.p12"), "secret".toCharArray());
        assertThat(mode(dir.resolve("pkcs1.key"))).isEqualTo("rw-------");
        assertThat(mode(dir.resolve("client.p12"))).isEqualTo("rw-------");
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
