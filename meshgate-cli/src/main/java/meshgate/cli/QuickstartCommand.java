package meshgate.cli;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import meshgate.gateway.Gateway;
import meshgate.gateway.config.GatewayConfigLoader;
import meshgate.gateway.ledger.InboundRecord;
import meshgate.gateway.ledger.InboundState;
import meshgate.gateway.ledger.OutboundRecord;
import meshgate.gateway.ledger.OutboundState;
import meshgate.sandbox.MeshSandbox;
import meshgate.sandbox.tls.LocalCertificates;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "quickstart",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the MESH gateway end to end on this machine, with nothing to configure:",
            "  1. makes (once) a local CA and client certificates for mailboxes X26ABC1 and X26ABC2 under DATA_DIR/tls;",
            "  2. starts the MESH sandbox over HTTPS, requiring client certificates;",
            "  3. writes DATA_DIR/meshgate.yaml and starts the gateway with it: local folders under DATA_DIR,",
            "     an embedded ledger, both mailboxes;",
            "  4. drops a demo file into DATA_DIR/outbound/ (from X26ABC1 to X26ABC2) and waits until the gateway",
            "     has sent it, received it into DATA_DIR/inbound/X26ABC2/{message_id}.dat, acknowledged it, and",
            "     MESH's tracking says 'acknowledged';",
            "  5. prints the gateway's counts of what it did, from its Prometheus endpoint (/metrics);",
            "  6. keeps the sandbox and the gateway running until Ctrl-C, and prints how to drop a file of your own and",
            "     watch it go (meshgate status, meshgate messages). With --once it ends after step 5."
        })
final class QuickstartCommand implements Callable<Integer> {
    private static final String SENDER = "X26ABC1";
    private static final String RECIPIENT = "X26ABC2";
    private static final String PASSPHRASE = "quickstart";
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    /** The gateway's own shutdown lets work in flight finish for up to 30 s a pool; then the sandbox stops. */
    private static final Duration STOP_GRACE = Duration.ofMinutes(2);

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", defaultValue = "meshgate-data", description = "Where everything is written (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--once", description = "End after the demo, stopping the gateway and the sandbox (for scripts "
            + "and tests).")
    boolean once;

    @Option(names = "--verbose", description = "Show stack traces of failures.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path data = dataDir.toAbsolutePath();
        LocalCertificates certificates = LocalCertificates.openOrCreate(data.resolve("tls"),
                List.of(SENDER, RECIPIENT), PASSPHRASE);
        out.printf("1. Certificates in %s (client keys' passphrase: %s)%n", certificates.dir(), PASSPHRASE);

        // Ctrl-C (or SIGTERM), at any step, counts down stop; the JVM's shutdown then waits in the hook until the
        // gateway and the sandbox are closed, which counts down closed.
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                closed.await(STOP_GRACE.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "quickstart-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        boolean demoDone = false;
        try (MeshSandbox sandbox = MeshSandbox.builder()
                .https(certificates.serverContext())
                .requireClientCertificate(true)
                .store(data.resolve("sandbox"))
                .start()) {
            out.printf("2. MESH sandbox listening on %s (mutual TLS)%n", sandbox.baseUrl());

            // In a file, not the environment: the commands a person then tries read these settings too.
            Path passphrase = writeOwnerOnly(certificates.dir().resolve("passphrase.txt"), PASSPHRASE + "\n");
            Path config = writeOwnerOnly(data.resolve("meshgate.yaml"), config(sandbox, certificates, data,
                    passphrase));
            try (Gateway gateway = Gateway.start(GatewayConfigLoader.load(config, Map.of()))) {
                out.printf("3. Gateway running with %s%n", config);

                String localId = "quickstart-" + Instant.now().toEpochMilli();
                Path demo = drop(data, localId);
                out.printf("4. Dropped %s (mex-from %s, mex-to %s)%n", demo, SENDER, RECIPIENT);

                OutboundRecord sent = await(stop, "the demo file to be sent", () -> gateway.ledger()
                        .outbound(OutboundState.ACCEPTED, OutboundState.ACKNOWLEDGED).stream()
                        .filter(r -> localId.equals(r.localId())).findFirst());
                out.printf("   sent as MESH message %s%n", sent.meshMessageId());
                gateway.pollNow();
                InboundRecord received = await(stop, "the demo message to arrive", () -> gateway.ledger()
                        .findInbound(RECIPIENT, sent.meshMessageId())
                        .filter(r -> r.state() == InboundState.ACKNOWLEDGED));
                out.printf("   received into %s (%d bytes), acknowledged%n", data.resolve(received.objectKey()),
                        received.size());
                gateway.trackNow();
                OutboundState tracked = gateway.ledger().findOutbound(sent.id()).orElseThrow().state();
                out.printf("   tracking says: %s%n", tracked.name().toLowerCase());
                InetSocketAddress metrics = gateway.metricsAddress().orElseThrow();
                URI scrape = URI.create("http://127.0.0.1:" + metrics.getPort() + "/metrics");
                out.printf("5. Prometheus metrics at %s, for example:%n", scrape);
                HttpResponse<Stream<String>> meters = HttpClient.newHttpClient().send(
                        HttpRequest.newBuilder(scrape).build(), HttpResponse.BodyHandlers.ofLines());
                meters.body().filter(line -> line.startsWith("meshgate_outbound_messages_total")
                                || line.startsWith("meshgate_inbound_messages_total"))
                        .forEach(line -> out.printf("   %s%n", line));
                printNext(out);
                demoDone = true;
                if (!once) {
                    keepRunning(out, data, config, stop, gateway.consoleAddress()
                            .map(a -> URI.create("http://127.0.0.1:" + a.getPort() + "/")));
                }
            }
        } catch (Stopped e) {
            return 0;
        } finally {
            if (stop.getCount() == 0) {
                // Before closed is counted down: the JVM ends once the hook returns.
                out.println(demoDone ? "Stopped." : "Stopped before the demo finished.");
                out.flush();
            }
            closed.countDown();
            if (stop.getCount() > 0) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // The JVM began stopping just now: the hook runs, and finds both closed.
                }
            }
        }
        out.flush();
        return 0;
    }

    /** The settings hold the sandbox's password and shared key, so only their owner may read them. */
    private static Path writeOwnerOnly(Path file, String text) throws java.io.IOException {
        Files.deleteIfExists(file);
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        }
        return Files.writeString(file, text);
    }

    private static void printNext(PrintWriter out) {
        out.println();
        out.println("Next:");
        out.println("  docs/getting-started.md                         the MESH commands (send, inbox, get, ...), then the");
        out.println("                                                  integration environment step by step");
        out.println("  ./meshgate gateway run --config meshgate.yaml   run the gateway against your own MESH settings");
        out.println("  docs/configuration.md                           every setting, with an example for integration");
        out.println("  ./meshgate sandbox --help                       the sandbox on its own, for your own MESH client");
        out.println("  ./mvnw verify                                   run the tests");
    }

    /** Prints what to try, then waits until a person stops the quickstart (Ctrl-C, SIGTERM). */
    private static void keepRunning(PrintWriter out, Path data, Path config, CountDownLatch stop,
            java.util.Optional<URI> console) throws InterruptedException {
        Path outbound = data.resolve("outbound");
        String settings = "--config " + config;
        out.println();
        out.println("The sandbox and the gateway keep running; Ctrl-C stops them.");
        console.ifPresent(url -> out.printf("Web console: %s (this machine only; no sign-in on loopback)%n", url));
        out.println("Drop a file of your own from X26ABC1 to X26ABC2 (its metadata first, the file last):");
        out.printf("  echo '{\"mex-from\": \"%s\", \"mex-to\": \"%s\", \"mex-workflowid\": \"TEST_WORKFLOW\"}' "
                + "> %s/hello.txt.meta.json%n", SENDER, RECIPIENT, outbound);
        out.printf("  echo hello > %s/.hello.txt && mv %s/.hello.txt %s/hello.txt%n", outbound, outbound, outbound);
        out.println("Watch it go, in the web console's Outbound and Tracking pages, or:");
        out.printf("  ./meshgate messages %s --search hello.txt   its MESH message id, tracking, history%n",
                settings);
        out.printf("  ./meshgate status %s                        each mailbox, what needs a person%n", settings);
        out.printf("  ls %s%n", data.resolve("inbound").resolve(RECIPIENT));
        out.println("Running. Ctrl-C to stop.");
        out.flush();
        stop.await();
        out.println("Stopping the gateway and the sandbox...");
        out.flush();
    }

    /** A person stopped the quickstart (Ctrl-C) while it waited for a step of the demo. */
    private static final class Stopped extends RuntimeException {
        Stopped() {
            super("stopped", null, false, false);
        }
    }

    private static String config(MeshSandbox sandbox, LocalCertificates certificates, Path data, Path passphrase) {
        StringBuilder yaml = new StringBuilder()
                .append("# Written by 'meshgate quickstart' for its sandbox on ").append(sandbox.baseUrl()).append('\n')
                .append("base_url: ").append(sandbox.baseUrl()).append('\n')
                .append("shared_key: TestKey\n")
                .append("ca_bundle: ").append(certificates.caBundle()).append('\n')
                .append("mailboxes:\n");
        for (String mailbox : List.of(SENDER, RECIPIENT)) {
            yaml.append("  - mailbox_id: ").append(mailbox).append('\n')
                    .append("    password: password\n")
                    .append("    certificate: ").append(certificates.clientCertificate(mailbox)).append('\n')
                    .append("    private_key: ").append(certificates.clientKey(mailbox)).append('\n')
                    .append("    private_key_passphrase: {file: ").append(passphrase).append("}\n");
        }
        return yaml.append("store:\n  type: local\n  root: ").append(data).append('\n')
                .append("ledger:\n  type: embedded\n  path: ").append(data.resolve("ledger/meshgate")).append('\n')
                .append("poll_interval: 1s\n")
                .append("tracking_interval: 5s\n")
                .append("outbound_rescan_interval: 1s\n")
                .append("outbound_settle_time: 200ms\n")
                .append("metrics:\n  port: 0\n")
                // The web console on the loopback interface, on a free port; there it needs no sign-in.
                .append("console:\n  port: 0\n")
                .toString();
    }

    private static Path drop(Path data, String localId) throws java.io.IOException {
        Path outbound = Files.createDirectories(data.resolve("outbound"));
        Path demo = outbound.resolve("demo-" + localId + ".csv");
        Files.writeString(demo.resolveSibling(demo.getFileName() + ".meta.json"), "{\"mex-from\": \"" + SENDER
                + "\", \"mex-to\": \"" + RECIPIENT + "\", \"mex-workflowid\": \"TEST_WORKFLOW\", "
                + "\"mex-subject\": \"MeshGate+quickstart\", \"mex-localid\": \"" + localId + "\"}");
        Path hidden = outbound.resolve("." + demo.getFileName() + ".writing");
        Files.writeString(hidden, "NHS_NUMBER|PROGRAMME|DATE\n\"9434765919\"|\"HPV\"|\"" + Instant.now() + "\"\n",
                StandardCharsets.UTF_8);
        return Files.move(hidden, demo);
    }

    /** Waits for a step of the demo, or until a person stops the quickstart ({@link Stopped}). */
    private static <T> T await(CountDownLatch stop, String what, java.util.function.Supplier<Optional<T>> probe)
            throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (stop.await(100, TimeUnit.MILLISECONDS)) {
                throw new Stopped();
            }
        }
        throw new IllegalStateException("timed out after " + TIMEOUT.toSeconds() + " s waiting for " + what);
    }
}
