package meshgate.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import meshgate.client.DeliveryStatus;
import meshgate.client.MeshClient;
import meshgate.client.MeshTls;
import meshgate.client.MessageMetadata;
import meshgate.client.OutboundMessage;
import meshgate.client.SendResult;
import meshgate.sandbox.MeshSandbox;
import meshgate.sandbox.tls.LocalCertificates;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "quickstart",
        mixinStandardHelpOptions = true,
        description = {
            "Runs MESH end to end on this machine, with nothing to configure:",
            "  1. makes (once) a local CA and client certificates for mailboxes X26ABC1 and X26ABC2",
            "     (keys encrypted with a passphrase, as for the real MESH) under DATA_DIR/tls;",
            "  2. starts the MESH sandbox over HTTPS, requiring client certificates, storing under DATA_DIR/sandbox;",
            "  3. validates both mailboxes, sends a demo file from X26ABC1 to X26ABC2;",
            "  4. downloads it into DATA_DIR/inbound/X26ABC2/{message_id}.dat, acknowledges it,",
            "     and tracks the sent message to 'acknowledged'."
        })
final class QuickstartCommand implements Callable<Integer> {
    private static final String SENDER = "X26ABC1";
    private static final String RECIPIENT = "X26ABC2";
    private static final String PASSPHRASE = "quickstart";

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", defaultValue = "meshgate-data", description = "Where everything is written (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--verbose", description = "Show stack traces of failures.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        LocalCertificates certificates = LocalCertificates.openOrCreate(dataDir.resolve("tls"),
                List.of(SENDER, RECIPIENT), PASSPHRASE);
        out.printf("1. Certificates written to %s (client keys' passphrase: %s)%n", certificates.dir(), PASSPHRASE);

        try (MeshSandbox sandbox = MeshSandbox.builder()
                .https(certificates.serverContext())
                .requireClientCertificate(true)
                .store(dataDir.resolve("sandbox"))
                .start();
                MeshClient sender = client(sandbox, SENDER, certificates);
                MeshClient recipient = client(sandbox, RECIPIENT, certificates)) {
            out.printf("2. MESH sandbox listening on %s (mutual TLS)%n", sandbox.baseUrl());

            sender.handshake();
            recipient.handshake();
            Path demo = Files.createDirectories(dataDir.resolve("outbound")).resolve("demo.csv");
            Files.writeString(demo, "NHS_NUMBER|PROGRAMME|DATE\n\"9434765919\"|\"HPV\"|\"" + Instant.now() + "\"\n",
                    StandardCharsets.UTF_8);
            SendResult sent = sender.send(OutboundMessage.to(RECIPIENT, "TEST_WORKFLOW")
                    .subject("MeshGate quickstart").fileName("demo.csv").compress(true).build(), demo);
            out.printf("3. Mailboxes validated; sent %s from %s to %s as message %s%n", demo, SENDER, RECIPIENT,
                    sent.messageId());

            List<String> inbox = recipient.inbox();
            if (!inbox.contains(sent.messageId())) {
                throw new IllegalStateException("the demo message did not arrive in " + RECIPIENT + "'s inbox");
            }
            Path inbound = dataDir.resolve("inbound").resolve(RECIPIENT).resolve(sent.messageId() + ".dat");
            MessageMetadata metadata = recipient.download(sent.messageId(), inbound, true);
            recipient.acknowledge(sent.messageId());
            DeliveryStatus status = sender.track(sent.messageId()).status();
            out.printf("4. Received into %s (%d bytes, from %s, workflow %s), acknowledged; tracking says: %s%n",
                    inbound, Files.size(inbound), metadata.from().orElse("?"), metadata.workflowId().orElse("?"),
                    status.name().toLowerCase());
        }
        out.println();
        out.println("Next:");
        out.println("  ./meshgate sandbox --help      run the sandbox on its own, to point your own MESH client at");
        out.println("  docs/mesh-api.md               the MESH API as MeshGate speaks it");
        out.println("  ./mvnw verify                  run the tests");
        return 0;
    }

    private static MeshClient client(MeshSandbox sandbox, String mailbox, LocalCertificates certificates) {
        return MeshClient.builder()
                .baseUrl(URI.create(sandbox.baseUrl()))
                .credentials(mailbox, "password", "TestKey")
                .tls(MeshTls.fromPem(certificates.clientCertificate(mailbox), certificates.clientKey(mailbox),
                        certificates.passphrase().toCharArray(), certificates.caBundle()))
                .build();
    }
}
