package meshgate.sandbox.tls;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputEncryptor;

/** A certificate issued by a {@link CertificateAuthority}, with its private key and the issuing CA's certificate. */
public record IssuedCertificate(X509Certificate certificate, PrivateKey privateKey, X509Certificate issuer) {
    /** The alias of the key entry in {@link #toKeyStore(char[])} and {@link #writePkcs12(Path, char[])}. */
    public static final String ALIAS = "meshgate";

    /** The certificate as PEM ({@code BEGIN CERTIFICATE}). */
    public void writeCertificatePem(Path file) {
        Pem.write(file, certificate);
    }

    /** The certificate followed by the issuer's, as PEM. */
    public void writeCertificateChainPem(Path file) {
        Pem.write(file, certificate, issuer);
    }

    /** The key as unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}). */
    public void writePrivateKeyPkcs8Pem(Path file) {
        try {
            Pem.writePrivate(file, new JcaPKCS8Generator(privateKey, null).generate());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The key as PKCS#1 ({@code BEGIN RSA PRIVATE KEY}). */
    public void writePrivateKeyPkcs1Pem(Path file) {
        if (!"RSA".equals(privateKey.getAlgorithm())) {
            throw new IllegalStateException("PKCS#1 needs an RSA key, this one is " + privateKey.getAlgorithm());
        }
        Pem.writePrivate(file, privateKey);
    }

    /**
     * The key as encrypted PKCS#8 ({@code BEGIN ENCRYPTED PRIVATE KEY}): PBES2, PBKDF2 with HMAC-SHA256 and AES-256-CBC,
     * as {@code openssl genpkey -aes256} writes it.
     */
    public void writeEncryptedPrivateKeyPem(Path file, char[] passphrase) {
        try {
            OutputEncryptor encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                    .setPRF(PKCS8Generator.PRF_HMACSHA256)
                    .setIterationCount(2048)
                    .setProvider(new BouncyCastleProvider())
                    .setPassword(passphrase)
                    .build();
            Pem.writePrivate(file, new JcaPKCS8Generator(privateKey, encryptor).generate());
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot encrypt private key", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void writePkcs12(Path file, char[] password) {
        KeyStore store = toKeyStore(password);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Pem.createPrivate(file);
            try (OutputStream out = Files.newOutputStream(file)) {
                store.store(out, password);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot write PKCS#12 " + file, e);
        }
    }

    /** A PKCS#12 key store holding the key under {@link #ALIAS} with the chain certificate, issuer. */
    public KeyStore toKeyStore(char[] password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, password);
            store.setKeyEntry(ALIAS, privateKey, password, new Certificate[] {certificate, issuer});
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build key store", e);
        }
    }
}
