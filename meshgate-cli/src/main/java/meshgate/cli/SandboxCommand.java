package meshgate.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import meshgate.sandbox.MeshSandbox;
import meshgate.sandbox.fault.FaultKind;
import meshgate.sandbox.fault.FaultSettings;
import meshgate.sandbox.tls.LocalCertificates;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "sandbox",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the MESH sandbox on its own until stopped (Ctrl-C), for any MESH client to talk to.",
            "",
            "By default it serves HTTPS on port 8700 and, like the real MESH, requires a client certificate: it",
            "writes (once, then reuses) a CA bundle and a certificate and encrypted key per mailbox into",
            "--tls-dir and prints where they are.",
            "Mailboxes X26ABC1, X26ABC2, X26ABC3 have password 'password'; the shared key is 'TestKey'."
        })
final class SandboxCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--port", defaultValue = "8700", description = "Port to listen on, 0 for any free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--http", description = "Serve plain HTTP instead of HTTPS.")
    boolean http;

    @Option(names = "--no-client-cert", description = "Serve HTTPS without asking for a client certificate.")
    boolean noClientCertificate;

    @Option(names = "--tls-dir", defaultValue = "meshgate-data/sandbox-tls", description = "Where generated certificates go (default: ${DEFAULT-VALUE}).")
    Path tlsDir;

    @Option(names = "--store", description = "Keep messages in this folder (they survive restarts); default: in memory.")
    Path store;

    @Option(names = "--config", description = "JSON file of mailboxes, workflows and shared key (see meshgate-sandbox/README.md).")
    Path config;

    @Option(names = "--shared-key", description = "The environment's shared key (default: TestKey).")
    String sharedKey;

    @Option(names = "--strict-auth-skew", paramLabel = "SECONDS", description = "Also reject tokens older or newer than this, and replayed nonces (real MESH does; the public sandbox does not).")
    Integer strictAuthSkewSeconds;

    @Option(names = "--expiry-days", description = "Days before an uncollected message is returned to its sender as a non-delivery report (default: 5).")
    Integer expiryDays;

    @Option(names = "--fault-rate", defaultValue = "0", description = "Share of requests to fail, 0 to 1 (default: ${DEFAULT-VALUE}).")
    double faultRate;

    @Option(names = "--fault-kinds", split = ",", description = "Kinds of failure to inject (default: all but STALL_MID_DOWNLOAD, which holds a connection until the client times out): ${COMPLETION-CANDIDATES}.")
    List<FaultKind> faultKinds;

    @Option(names = "--latency-ms", defaultValue = "0", description = "Delay added to every request (default: ${DEFAULT-VALUE}).")
    long latencyMs;

    @Option(names = "--admin-token-file", paramLabel = "FILE", description = "A file holding the token the admin "
            + "endpoints (reset, inject, faults) require as 'Authorization: Bearer TOKEN' (default: $"
            + ADMIN_TOKEN_VARIABLE + "). Needed to use them when --host is not a loopback address; on loopback "
            + "they are open unless a token is given.")
    Path adminTokenFile;

    @Option(names = "--verbose", description = "Show stack traces of failures.")
    boolean verbose;

    static final String ADMIN_TOKEN_VARIABLE = "MESHGATE_SANDBOX_ADMIN_TOKEN";

    /** The admin token from the file, else the variable; never from the command line, where ps would show it. */
    static Optional<String> adminToken(Path file, Map<String, String> variables) throws IOException {
        if (file != null) {
            String token = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (token.isEmpty()) {
                throw new IllegalArgumentException("--admin-token-file " + file + " is empty");
            }
            return Optional.of(token);
        }
        return Optional.ofNullable(variables.get(ADMIN_TOKEN_VARIABLE)).map(String::strip).filter(t -> !t.isEmpty());
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        MeshSandbox.Builder builder = MeshSandbox.builder().host(host).port(port);
        Optional<String> adminToken = adminToken(adminTokenFile,
                ((MeshgateCommand) spec.root().userObject()).environment().variables());
        adminToken.ifPresent(builder::adminToken);
        LocalCertificates certificates = null;
        if (!http) {
            certificates = LocalCertificates.openOrCreate(tlsDir, List.of("X26ABC1", "X26ABC2", "X26ABC3"), "sandbox");
            builder.https(certificates.serverContext()).requireClientCertificate(!noClientCertificate);
        }
        if (store != null) {
            builder.store(store);
        }
        if (config != null) {
            builder.config(config);
        }
        if (sharedKey != null) {
            builder.sharedKey(sharedKey);
        }
        if (strictAuthSkewSeconds != null) {
            builder.strictAuth(Duration.ofSeconds(strictAuthSkewSeconds));
        }
        if (expiryDays != null) {
            builder.messageExpiry(Duration.ofDays(expiryDays));
        }
        FaultKind[] kinds = faultKinds == null ? FaultKind.unattended() : faultKinds.toArray(FaultKind[]::new);
        builder.faults(FaultSettings.failing(faultRate, kinds).withLatency(Duration.ofMillis(latencyMs)));

        CountDownLatch stopped = new CountDownLatch(1);
        try (MeshSandbox sandbox = builder.start()) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                sandbox.close();
                stopped.countDown();
            }));
            out.printf("MESH sandbox listening on %s%n", sandbox.baseUrl());
            if (certificates != null) {
                out.printf("  CA bundle:           %s%n", certificates.caBundle().toAbsolutePath());
                out.printf("  client certificates: %s/{X26ABC1,X26ABC2,X26ABC3}.pem, keys .key (passphrase '%s')%n",
                        certificates.dir().toAbsolutePath(), certificates.passphrase());
            }
            out.println("  mailboxes X26ABC1, X26ABC2, X26ABC3, password 'password', shared key 'TestKey'");
            out.printf("  admin endpoints:     %s%n", adminToken.isPresent() ? "need 'Authorization: Bearer TOKEN'"
                    : "open on loopback only");
            out.println("Stop with Ctrl-C.");
            out.flush();
            stopped.await();
        }
        return 0;
    }
}
