package meshgate.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import javax.net.ssl.SSLContext;
import meshgate.sandbox.fault.FaultSettings;
import meshgate.sandbox.tls.CertificateAuthority;
import meshgate.sandbox.tls.IssuedCertificate;
import meshgate.sandbox.tls.SandboxTls;

/**
 * Runs a sandbox until the process is killed. With {@code --https} it serves TLS with the certificates found in the
 * TLS folder, creating them on first use: a CA ({@code ca.pem}), a server certificate for localhost/127.0.0.1
 * ({@code server.p12}) and, per mailbox, a client certificate and key ({@code X26ABC1.cert.pem},
 * {@code X26ABC1.key.pem}, {@code X26ABC1.p12}). Key store password: {@value #KEYSTORE_PASSWORD}.
 */
public final class SandboxMain {
    static final String KEYSTORE_PASSWORD = "changeit";
    private static final String USAGE = """
            Usage: meshgate-sandbox [options]
              --port N                    port to listen on (default 8700; 0 = any free port)
              --host ADDRESS              address to listen on (default 127.0.0.1)
              --https                     serve HTTPS; certificates come from (or are created in) the TLS folder
              --require-client-cert       with --https: refuse clients without a certificate from the sandbox CA
              --tls-dir DIR               TLS folder (default {store}/tls, else ./meshgate-sandbox-tls)
              --store DIR                 keep messages in DIR across restarts (default: in memory)
              --config FILE               JSON file with shared_key, mailboxes and workflows
              --shared-key KEY            auth token shared key (default TestKey)
              --strict-auth-skew SECONDS  also check token timestamps and refuse replayed tokens
              --fault-rate R              share of requests (0..1) failing with a random fault
              --latency-ms N              delay added to every request
            """;

    private SandboxMain() {
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        if (options.help) {
            System.out.print(USAGE);
            return;
        }
        MeshSandbox sandbox = configure(options, System.out).start();
        System.out.println("MESH sandbox listening on " + sandbox.baseUrl());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sandbox.close();
            stopped.countDown();
        }, "meshgate-sandbox-shutdown"));
        stopped.await();
    }

    static MeshSandbox.Builder configure(Options o, PrintStream out) throws IOException, GeneralSecurityException {
        MeshSandbox.Builder builder = MeshSandbox.builder().port(o.port).host(o.host);
        if (o.config != null) {
            builder.config(o.config);
        }
        if (o.sharedKey != null) {
            builder.sharedKey(o.sharedKey);
        }
        if (o.store != null) {
            builder.store(o.store);
        }
        if (o.strictSkewSeconds != null) {
            builder.strictAuth(Duration.ofSeconds(o.strictSkewSeconds));
        }
        builder.faults(FaultSettings.failing(o.faultRate).withLatency(Duration.ofMillis(o.latencyMs)));
        if (o.https) {
            Path tlsDir = o.tlsDir != null ? o.tlsDir
                    : o.store != null ? o.store.resolve("tls") : Path.of("meshgate-sandbox-tls");
            builder.https(serverContext(tlsDir, mailboxesOf(o), out)).requireClientCertificate(o.requireClientCert);
        }
        return builder;
    }

    /** The mailboxes to issue client certificates for: those of the config file, else the defaults. */
    private static List<SandboxMailbox> mailboxesOf(Options o) {
        if (o.config == null) {
            return SandboxMailbox.defaults();
        }
        return SandboxConfigFile.load(o.config, new ObjectMapper()).mailboxes()
                .orElse(SandboxMailbox.defaults());
    }

    private static SSLContext serverContext(Path dir, List<SandboxMailbox> mailboxes, PrintStream out)
            throws IOException, GeneralSecurityException {
        char[] password = KEYSTORE_PASSWORD.toCharArray();
        Path caPem = dir.resolve("ca.pem");
        Path serverP12 = dir.resolve("server.p12");
        if (Files.isRegularFile(caPem) && Files.isRegularFile(serverP12)) {
            X509Certificate ca = readCertificate(caPem);
            out.println("Using TLS files in " + dir.toAbsolutePath());
            return SandboxTls.serverContext(readServer(serverP12, password, ca), ca);
        }
        Files.createDirectories(dir);
        CertificateAuthority authority = CertificateAuthority.create("MeshGate Sandbox CA");
        authority.writeCertificatePem(caPem);
        IssuedCertificate server = authority.issueServer("localhost", "127.0.0.1");
        server.writeCertificatePem(dir.resolve("server.cert.pem"));
        server.writePrivateKeyPkcs8Pem(dir.resolve("server.key.pem"));
        server.writePkcs12(serverP12, password);
        out.println("Created TLS files in " + dir.toAbsolutePath() + " (key store password " + KEYSTORE_PASSWORD + ")");
        out.println("  CA certificate:     " + caPem.toAbsolutePath());
        out.println("  server certificate: " + dir.resolve("server.cert.pem").toAbsolutePath());
        for (SandboxMailbox mailbox : mailboxes) {
            IssuedCertificate client = authority.issueClient(mailbox.clientCertificateCommonName());
            Path cert = dir.resolve(mailbox.id() + ".cert.pem");
            Path key = dir.resolve(mailbox.id() + ".key.pem");
            client.writeCertificatePem(cert);
            client.writePrivateKeyPkcs8Pem(key);
            client.writePkcs12(dir.resolve(mailbox.id() + ".p12"), password);
            out.println("  " + mailbox.id() + " client: " + cert.toAbsolutePath() + " key: " + key.toAbsolutePath());
        }
        return SandboxTls.serverContext(server, authority.certificate());
    }

    private static X509Certificate readCertificate(Path pem) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static IssuedCertificate readServer(Path p12, char[] password, X509Certificate ca)
            throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            store.load(in, password);
        }
        String alias = store.aliases().nextElement();
        return new IssuedCertificate((X509Certificate) store.getCertificate(alias),
                (PrivateKey) store.getKey(alias, password), ca);
    }

    /** Command-line options. */
    static final class Options {
        int port = 8700;
        String host = "127.0.0.1";
        boolean https;
        boolean requireClientCert;
        boolean help;
        Path tlsDir;
        Path store;
        Path config;
        String sharedKey;
        Long strictSkewSeconds;
        double faultRate;
        long latencyMs;

        static Options parse(String[] args) {
            Options o = new Options();
            List<String> rest = new ArrayList<>(List.of(args));
            while (!rest.isEmpty()) {
                String arg = rest.remove(0);
                switch (arg) {
                    case "--help", "-h" -> o.help = true;
                    case "--https" -> o.https = true;
                    case "--require-client-cert" -> o.requireClientCert = true;
                    case "--port" -> o.port = Integer.parseInt(value(arg, rest));
                    case "--host" -> o.host = value(arg, rest);
                    case "--tls-dir" -> o.tlsDir = Path.of(value(arg, rest));
                    case "--store" -> o.store = Path.of(value(arg, rest));
                    case "--config" -> o.config = Path.of(value(arg, rest));
                    case "--shared-key" -> o.sharedKey = value(arg, rest);
                    case "--strict-auth-skew" -> o.strictSkewSeconds = Long.parseLong(value(arg, rest));
                    case "--fault-rate" -> o.faultRate = Double.parseDouble(value(arg, rest));
                    case "--latency-ms" -> o.latencyMs = Long.parseLong(value(arg, rest));
                    default -> throw new IllegalArgumentException("unknown option " + arg);
                }
            }
            if (o.requireClientCert && !o.https) {
                throw new IllegalArgumentException("--require-client-cert needs --https");
            }
            return o;
        }

        private static String value(String option, List<String> rest) {
            if (rest.isEmpty()) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return rest.remove(0);
        }
    }
}
