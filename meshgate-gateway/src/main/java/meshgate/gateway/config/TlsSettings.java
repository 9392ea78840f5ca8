package meshgate.gateway.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import meshgate.client.MeshTls;

/**
 * How to make the TLS connection to MESH: the client certificate (PEM {@code certificate} + {@code privateKey}, or a
 * {@code pkcs12} file), the CA bundle to trust MESH by, and whether the server is verified. PEM material may be a
 * file or a value from any secret source.
 */
public record TlsSettings(Optional<PemSource> certificate, Optional<PemSource> privateKey,
        Optional<Secret> privateKeyPassphrase, Optional<PemSource> caBundle, Optional<Path> pkcs12,
        Optional<Secret> pkcs12Password, boolean verifySsl, boolean verifyChecksCommonName) {

    public TlsSettings {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(privateKeyPassphrase, "privateKeyPassphrase");
        Objects.requireNonNull(caBundle, "caBundle");
        Objects.requireNonNull(pkcs12, "pkcs12");
        Objects.requireNonNull(pkcs12Password, "pkcs12Password");
    }

    /** No client certificate, the JVM's trusted roots, full verification. */
    public static TlsSettings systemDefault() {
        return new TlsSettings(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), true, true);
    }

    public boolean hasClientCertificate() {
        return certificate.isPresent() || pkcs12.isPresent();
    }

    /** The same settings with this client certificate and key instead. */
    public TlsSettings withClientPem(PemSource certificate, PemSource privateKey, Optional<Secret> passphrase) {
        return new TlsSettings(Optional.of(certificate), Optional.of(privateKey), passphrase, caBundle,
                Optional.empty(), Optional.empty(), verifySsl, verifyChecksCommonName);
    }

    /**
     * Reads the certificate and key (files or values) and builds the TLS context. Throws {@link ConfigException} when a file
     * cannot be read or a key cannot be decrypted.
     */
    public MeshTls toMeshTls() {
        MeshTls tls;
        try {
            tls = identity();
        } catch (IllegalArgumentException e) {
            throw new ConfigException("tls: " + e.getMessage(), e);
        }
        if (!verifySsl) {
            return MeshTls.insecure(tls);
        }
        return verifyChecksCommonName ? tls : tls.withoutHostnameVerification();
    }

    private MeshTls identity() {
        MeshTls.PemText ca = caBundle.map(PemSource::read).orElse(null);
        if (pkcs12.isPresent()) {
            return MeshTls.fromPkcs12(pkcs12.get(), chars(pkcs12Password), ca);
        }
        if (certificate.isPresent()) {
            PemSource key = privateKey.orElseThrow(
                    () -> new ConfigException("private_key: needed with certificate " + certificate.get()));
            return MeshTls.fromPem(certificate.get().read(), key.read(),
                    privateKeyPassphrase.isPresent() ? chars(privateKeyPassphrase) : null, ca);
        }
        return ca == null ? MeshTls.systemDefault() : MeshTls.trusting(ca);
    }

    private static char[] chars(Optional<Secret> secret) {
        return secret.map(s -> s.reveal().toCharArray()).orElse(new char[0]);
    }
}
