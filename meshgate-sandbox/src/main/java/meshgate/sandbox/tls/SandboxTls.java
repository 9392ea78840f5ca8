package meshgate.sandbox.tls;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/** Builds {@link SSLContext}s from issued certificates, for the sandbox and for clients that talk to it. */
public final class SandboxTls {
    private static final char[] TRANSIENT_PASSWORD = "meshgate".toCharArray();

    private SandboxTls() {
    }

    /**
     * The server side: presents {@code server}, and trusts client certificates issued by {@code trustedClientCas}
     * (the JDK's default trust when none are given).
     */
    public static SSLContext serverContext(IssuedCertificate server, X509Certificate... trustedClientCas) {
        return context(server, trustedClientCas);
    }

    /** The client side: presents {@code client} (may be null for none) and trusts servers issued by the given CAs. */
    public static SSLContext clientContext(IssuedCertificate client, X509Certificate... trustedServerCas) {
        return context(client, trustedServerCas);
    }

    private static SSLContext context(IssuedCertificate identity, X509Certificate... trusted) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers(identity), trustManagers(trusted), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build TLS context", e);
        }
    }

    private static KeyManager[] keyManagers(IssuedCertificate identity) throws GeneralSecurityException {
        if (identity == null) {
            return null;
        }
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(identity.toKeyStore(TRANSIENT_PASSWORD), TRANSIENT_PASSWORD);
        return factory.getKeyManagers();
    }

    private static TrustManager[] trustManagers(X509Certificate... trusted)
            throws GeneralSecurityException, IOException {
        if (trusted.length == 0) {
            return null;
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        for (int i = 0; i < trusted.length; i++) {
            store.setCertificateEntry("ca-" + i, trusted[i]);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory.getTrustManagers();
    }
}
