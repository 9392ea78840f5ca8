package meshgate.bench;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import meshgate.sandbox.MeshSandbox;

/**
 * The sandbox in a JVM of its own, so that a benchmark measures the client's memory alone. Serves HTTPS requiring
 * client certificates, stores under a folder, prints {@code READY {baseUrl}}, and stops when its standard input closes.
 * Arguments: STORE_DIR SERVER_P12 P12_PASSWORD CA_PEM.
 */
public final class SandboxProcess {
    private SandboxProcess() {
    }

    public static void main(String[] args) throws Exception {
        Path store = Path.of(args[0]);
        char[] password = args[2].toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(Path.of(args[1]))) {
            keys.load(in, password);
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, password);
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(Path.of(args[3]))) {
            trusted.setCertificateEntry("ca",
                    (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);

        try (MeshSandbox sandbox = MeshSandbox.builder().https(context).requireClientCertificate(true).store(store)
                .start()) {
            System.out.println("READY " + sandbox.baseUrl());
            System.out.flush();
            System.in.transferTo(java.io.OutputStream.nullOutputStream());
        }
    }
}
