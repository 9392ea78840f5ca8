package meshgate.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.InputDecryptorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * The TLS side of a MESH connection: the client certificate and key for mutual TLS, and the certificates trusted for
 * the server. Certificate and hostname verification are on unless {@link #insecure} is asked for, which is only for a
 * local sandbox.
 */
public final class MeshTls {
    private final Supplier<X509TrustManager> trustManager;
    private final Supplier<SSLContext> context;
    private final boolean verify;
    private final boolean verifyHostname;
    private final KeyManager[] keyManagers;
    private final CertificateRequests certificateRequests;

    private MeshTls(KeyManager[] keyManagers, X509TrustManager trustManager, boolean verify) {
        this(keyManagers, () -> trustManager, verify, verify);
    }

    private MeshTls(KeyManager[] keyManagers, Supplier<X509TrustManager> trustManager, boolean verify,
            boolean verifyHostname) {
        this.keyManagers = keyManagers;
        this.certificateRequests = new CertificateRequests(keyManagers);
        this.verifyHostname = verifyHostname;
        this.trustManager = trustManager;
        this.verify = verify;
        // Made when a client of an https URL first asks for it.
        this.context = once(() -> {
            try {
                SSLContext tls = SSLContext.getInstance("TLS");
                tls.init(new KeyManager[] {certificateRequests}, new TrustManager[] {trustManager.get()},
                        new SecureRandom());
                return tls;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("TLS unavailable", e);
            }
        });
    }

    /** No client certificate; the JVM's trusted roots. */
    public static MeshTls systemDefault() {
        return new MeshTls(null, systemRoots(), true, true);
    }

    /** No client certificate; servers trusted only through the given CA bundle (PEM, root first). */
    public static MeshTls trusting(Path caBundle) {
        return trusting(PemText.read(caBundle));
    }

    /**
     * Mutual TLS from PEM files: the client certificate (optionally followed by its chain), its private key (PKCS#8,
     * PKCS#1, or encrypted PKCS#8 as {@code openssl genpkey -aes256} writes it, then {@code passphrase} is needed),
     * and the CA bundle to trust the server by ({@code null} for the JVM's roots).
     */
    public static MeshTls fromPem(Path certificate, Path privateKey, char[] passphrase, Path caBundle) {
        return fromPem(PemText.read(certificate), PemText.read(privateKey), passphrase,
                caBundle == null ? null : PemText.read(caBundle));
    }

    /**
     * Mutual TLS from PEM text, wherever it was kept (a file, a secret store): as {@link #fromPem(Path, Path, char[],
     * Path)}. Errors name each text by its {@link PemText#source()}, never by its content.
     */
    public static MeshTls fromPem(PemText certificate, PemText privateKey, char[] passphrase, PemText caBundle) {
        List<X509Certificate> chain = readCertificates(certificate);
        PrivateKey key = readPrivateKey(privateKey, passphrase);
        KeyStore store = emptyKeyStore();
        try {
            store.setKeyEntry("mesh-client", key, new char[0], chain.toArray(new Certificate[0]));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("private key " + privateKey.source() + " does not fit certificate "
                    + certificate.source(), e);
        }
        return new MeshTls(keyManagers(store, new char[0]),
                caBundle == null ? systemRoots() : trusting(readCertificates(caBundle)), true, true);
    }

    /** No client certificate; servers trusted only through the given CA bundle (PEM text, root first). */
    public static MeshTls trusting(PemText caBundle) {
        return new MeshTls(null, trustManager(readCertificates(caBundle)), true);
    }

    /**
     * PEM text and where it came from ({@code source}: a path, or a description such as {@code ssm /a/b}), so that
     * an error can say which without showing a key.
     */
    public record PemText(String text, String source) {
        public PemText {
            java.util.Objects.requireNonNull(text, "text");
            java.util.Objects.requireNonNull(source, "source");
        }

        /** The content of a PEM file; the file's path is its source. */
        public static PemText read(Path file) {
            try {
                return new PemText(Files.readString(file, java.nio.charset.StandardCharsets.US_ASCII),
                        file.toString());
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read " + file + ": " + e.getClass().getSimpleName(), e);
            }
        }

        @Override
        public String toString() {
            return "PemText[" + source + "]";
        }
    }

    /** Mutual TLS from a PKCS#12 file holding the client certificate and key. */
    public static MeshTls fromPkcs12(Path pkcs12, char[] password, Path caBundle) {
        return fromPkcs12(pkcs12, password, caBundle == null ? null : PemText.read(caBundle));
    }

    /** Mutual TLS from a PKCS#12 file, trusting the server through a CA bundle given as PEM text. */
    public static MeshTls fromPkcs12(Path pkcs12, char[] password, PemText caBundle) {
        KeyStore store;
        try (InputStream in = Files.newInputStream(pkcs12)) {
            store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read PKCS#12 file " + pkcs12 + ": " + e.getMessage(), e);
        }
        return new MeshTls(keyManagers(store, password),
                caBundle == null ? systemRoots() : trusting(readCertificates(caBundle)), true, true);
    }

    /**
     * Trusts any server certificate and host name. For a local sandbox only: every client built with it logs a
     * warning when it starts.
     */
    public static MeshTls insecure(MeshTls clientIdentity) {
        X509TrustManager trustAll = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        return new MeshTls(clientIdentity == null ? null : clientIdentity.keyManagers, trustAll, false);
    }

    private static KeyManager[] keyManagers(KeyStore store, char[] password) {
        try {
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, password);
            return factory.getKeyManagers();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use client key: " + e.getMessage(), e);
        }
    }

    public SSLContext sslContext() {
        return context.get();
    }

    public X509TrustManager trustManager() {
        return trustManager.get();
    }

    /** False only for {@link #insecure}: certificates and host names are then not checked. */
    public boolean verifies() {
        return verify;
    }

    /** False for {@link #insecure} and {@link #withoutHostnameVerification}. */
    public boolean verifiesHostname() {
        return verifyHostname;
    }

    /**
     * The same certificates and trust, but the server's name is not matched against its certificate (MESH setups
     * call this {@code verify_checks_common_name: false}); the certificate chain is still verified.
     */
    public MeshTls withoutHostnameVerification() {
        return new MeshTls(keyManagers, trustManager, verify, false);
    }

    static List<X509Certificate> readCertificates(Path pem) {
        return readCertificates(PemText.read(pem));
    }

    static List<X509Certificate> readCertificates(PemText pem) {
        try (InputStream in = new java.io.ByteArrayInputStream(
                pem.text().getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
            Collection<? extends Certificate> all = CertificateFactory.getInstance("X.509").generateCertificates(in);
            List<X509Certificate> certificates = new ArrayList<>();
            for (Certificate certificate : all) {
                certificates.add((X509Certificate) certificate);
            }
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException("no certificate in " + pem.source());
            }
            return certificates;
        } catch (IOException | GeneralSecurityException e) {
            // The provider's message may quote what it could not parse, which could be a key: it is left out.
            throw new IllegalArgumentException("cannot read certificates from " + pem.source() + ": not PEM "
                    + "certificates (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    static PrivateKey readPrivateKey(Path pem, char[] passphrase) {
        return readPrivateKey(PemText.read(pem), passphrase);
    }

    static PrivateKey readPrivateKey(PemText pem, char[] passphrase) {
        String source = pem.source();
        try (Reader reader = new java.io.StringReader(pem.text()); PEMParser parser = new PEMParser(reader)) {
            Object object = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (object instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
                InputDecryptorProvider decryptor = new JceOpenSSLPKCS8DecryptorProviderBuilder()
                        .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider())
                        .build(requirePassphrase(passphrase, source));
                return converter.getPrivateKey(encrypted.decryptPrivateKeyInfo(decryptor));
            }
            if (object instanceof PEMEncryptedKeyPair encrypted) {
                return converter.getKeyPair(encrypted.decryptKeyPair(
                        new JcePEMDecryptorProviderBuilder().build(requirePassphrase(passphrase, source)))).getPrivate();
            }
            if (object instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
            if (object instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            throw new IllegalArgumentException("no private key in " + source);
        } catch (PKCSException | OperatorCreationException | org.bouncycastle.openssl.EncryptionException e) {
            throw new IllegalArgumentException("cannot decrypt private key " + source + ": wrong passphrase?", e);
        } catch (IOException e) {
            // The parser's message may quote the text it failed on, which is a key: it is left out.
            throw new IllegalArgumentException("cannot read private key " + source + ": not a PEM private key ("
                    + e.getClass().getSimpleName() + ")", e);
        }
    }

    private static char[] requirePassphrase(char[] passphrase, String pem) {
        if (passphrase == null || passphrase.length == 0) {
            throw new IllegalArgumentException("private key " + pem + " is encrypted: set private_key_passphrase");
        }
        return passphrase;
    }

    /**
     * The JVM's trusted roots, read when first used: reading them and making the TLS context cost a short command's
     * start about a tenth of a second, and a client of a plain-HTTP sandbox never uses them.
     */
    private static Supplier<X509TrustManager> systemRoots() {
        return once(() -> trustManager(null));
    }

    private static Supplier<X509TrustManager> trusting(List<X509Certificate> trusted) {
        X509TrustManager manager = trustManager(trusted);
        return () -> manager;
    }

    /** {@code value}'s result, computed on the first call, by one thread. */
    private static <T> Supplier<T> once(Supplier<T> value) {
        return new Supplier<>() {
            private T computed;

            @Override
            public synchronized T get() {
                if (computed == null) {
                    computed = value.get();
                }
                return computed;
            }
        };
    }

    private static X509TrustManager trustManager(List<X509Certificate> trusted) {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (trusted == null) {
                factory.init((KeyStore) null);
            } else {
                KeyStore store = emptyKeyStore();
                int i = 0;
                for (X509Certificate certificate : trusted) {
                    store.setCertificateEntry("ca-" + i++, certificate);
                }
                factory.init(store);
            }
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    return x509;
                }
            }
            throw new IllegalStateException("no X509TrustManager");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build trust manager", e);
        }
    }

    private static KeyStore emptyKeyStore() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Whether the last TLS handshake on this thread was asked for a client certificate that this configuration could
     * not give; reading it clears it. With TLS 1.3 the server's refusal may arrive only as a dropped connection, so
     * this is how such a failure is told apart from a network fault.
     */
    boolean takeMissingCertificate() {
        boolean missing = certificateRequests.missing.get();
        certificateRequests.missing.set(false);
        return missing;
    }

    /**
     * The client's key manager, recording (per thread) when the server asked for a certificate and none matched.
     */
    private static final class CertificateRequests extends javax.net.ssl.X509ExtendedKeyManager {
        private final javax.net.ssl.X509KeyManager delegate;
        private final ThreadLocal<Boolean> missing = ThreadLocal.withInitial(() -> false);

        CertificateRequests(KeyManager[] keyManagers) {
            javax.net.ssl.X509KeyManager found = null;
            if (keyManagers != null) {
                for (KeyManager manager : keyManagers) {
                    if (manager instanceof javax.net.ssl.X509KeyManager x509) {
                        found = x509;
                        break;
                    }
                }
            }
            this.delegate = found;
        }

        private String recorded(String alias) {
            missing.set(alias == null);
            return alias;
        }

        @Override
        public String chooseClientAlias(String[] keyType, java.security.Principal[] issuers, java.net.Socket socket) {
            return recorded(delegate == null ? null : delegate.chooseClientAlias(keyType, issuers, socket));
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, java.security.Principal[] issuers,
                javax.net.ssl.SSLEngine engine) {
            String alias = delegate instanceof javax.net.ssl.X509ExtendedKeyManager extended
                    ? extended.chooseEngineClientAlias(keyType, issuers, engine)
                    : delegate == null ? null : delegate.chooseClientAlias(keyType, issuers, null);
            return recorded(alias);
        }

        @Override
        public String[] getClientAliases(String keyType, java.security.Principal[] issuers) {
            return delegate == null ? null : delegate.getClientAliases(keyType, issuers);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return delegate == null ? null : delegate.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return delegate == null ? null : delegate.getPrivateKey(alias);
        }

        @Override
        public String[] getServerAliases(String keyType, java.security.Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, java.security.Principal[] issuers, java.net.Socket socket) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "MeshTls[verify=" + verify + ", verifyHostname=" + verifyHostname + ", clientCertificate="
                + (keyManagers != null) + "]";
    }
}
