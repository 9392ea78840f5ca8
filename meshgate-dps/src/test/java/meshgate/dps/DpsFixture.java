package meshgate.dps;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import meshgate.client.MeshClient;
import meshgate.client.MeshTls;
import meshgate.client.RetryPolicy;
import meshgate.dps.config.DpsSettings;
import meshgate.dps.config.DpsSettingsLoader;
import meshgate.dps.export.ExportJob;
import meshgate.dps.export.ExportLedger;
import meshgate.dps.export.ExportSettings;
import meshgate.dps.record.VaccinationRecordSource;
import meshgate.gateway.metrics.MeshGateMetrics;
import meshgate.sandbox.MeshSandbox;
import meshgate.sandbox.tls.LocalCertificates;

/**
 * A sandbox over HTTPS requiring client certificates, with the service's mailbox X26ABC1 sending and X26ABC2 playing
 * DPS; settings files written the way an operator would.
 */
final class DpsFixture implements AutoCloseable {
    static final String PASSPHRASE = "dps fixture";
    static final String SERVICE = "X26ABC1";
    static final String DPS = "X26ABC2";
    static final String WORKFLOW = "TEST_WORKFLOW";
    static final String UNIQUE_ID_URI = "https://vaccinations.example.nhs.uk/vaccination-records";
    /** The day of the golden file: Vaccinations-HPV-2024-08-23.csv. */
    static final Clock CLOCK = Clock.fixed(Instant.parse("2024-08-23T01:00:00Z"), ZoneOffset.UTC);

    final Path dir;
    final LocalCertificates certificates;
    final MeshSandbox sandbox;
    private final MeshClient service;
    private final MeshClient dps;
    /** The meters the jobs of this fixture count in. */
    final MeshGateMetrics metrics = new MeshGateMetrics();

    DpsFixture(Path dir, Path certificateDir, Consumer<MeshSandbox.Builder> customise) {
        this.dir = dir;
        this.certificates = LocalCertificates.openOrCreate(certificateDir, List.of(SERVICE, DPS), PASSPHRASE);
        MeshSandbox.Builder builder = MeshSandbox.builder().https(certificates.serverContext())
                .requireClientCertificate(true);
        customise.accept(builder);
        this.sandbox = builder.start();
        this.service = client(SERVICE);
        this.dps = client(DPS);
    }

    MeshClient client(String mailbox) {
        return client(mailbox, RetryPolicy.defaults());
    }

    MeshClient client(String mailbox, RetryPolicy retries) {
        return client(mailbox, retries, b -> { });
    }

    MeshClient client(String mailbox, RetryPolicy retries, Consumer<MeshClient.Builder> customise) {
        try {
            MeshClient.Builder builder = MeshClient.builder()
                    .baseUrl(new URI(sandbox.baseUrl()))
                    .credentials(mailbox, "password", "TestKey")
                    .tls(MeshTls.fromPem(certificates.clientCertificate(mailbox), certificates.clientKey(mailbox),
                            PASSPHRASE.toCharArray(), certificates.caBundle()))
                    .retryPolicy(retries);
            customise.accept(builder);
            return builder.build();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The service's own client (X26ABC1). */
    MeshClient service() {
        return service;
    }

    /** The DPS side's client (X26ABC2). */
    MeshClient dps() {
        return dps;
    }

    ExportSettings exportSettings(String dpsMailbox, String... programmes) {
        return new ExportSettings(dpsMailbox, WORKFLOW, List.of(programmes), UNIQUE_ID_URI, ZoneOffset.UTC,
                dir.resolve("work"));
    }

    ExportLedger ledger() {
        return ExportLedger.open(dir.resolve("ledger").resolve("dps"), CLOCK);
    }

    ExportJob exportJob(VaccinationRecordSource source, ExportLedger ledger, String dpsMailbox) {
        return new ExportJob(source, ledger, service, exportSettings(dpsMailbox, "HPV", "flu"), CLOCK, metrics);
    }

    /** How many times {@code name} was counted with these tags. */
    double counted(String name, String... tags) {
        io.micrometer.core.instrument.Counter counter = metrics.registry().find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    /** Downloads a message from the DPS mailbox as MESH holds it. */
    byte[] download(String messageId) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        dps.download(messageId, out, true);
        return out.toByteArray();
    }

    /** Writes the gateway's configuration (the MESH connection) and a DPS settings file; returns the latter. */
    Path writeSettings(String dpsYaml) throws IOException {
        return writeSettings(dpsYaml, "");
    }

    /** As {@link #writeSettings(String)}, with {@code meshExtra} added to the gateway's configuration. */
    Path writeSettings(String dpsYaml, String meshExtra) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("meshgate.yaml"), String.join("\n",
                "base_url: " + sandbox.baseUrl(),
                "shared_key: TestKey",
                "certificate: " + certificates.clientCertificate(SERVICE),
                "private_key: " + certificates.clientKey(SERVICE),
                "private_key_passphrase: \"" + PASSPHRASE + "\"",
                "ca_bundle: " + certificates.caBundle(),
                "mailboxes:",
                "  - mailbox_id: " + SERVICE,
                "    password: password",
                "store:",
                "  type: local",
                "  root: " + dir.resolve("store"),
                meshExtra,
                ""));
        return Files.writeString(dir.resolve("dps.yaml"), dpsYaml);
    }

    static String dpsYaml(String source, boolean meshJobs) {
        return String.join("\n",
                "mesh_config: meshgate.yaml",
                "mailbox: " + SERVICE,
                "dps_mailbox: " + DPS,
                "workflow_id: " + WORKFLOW,
                "programmes: [HPV, flu]",
                "unique_id_uri: " + UNIQUE_ID_URI,
                "ledger_path: ledger/dps",
                "mesh_jobs: " + meshJobs,
                source,
                "");
    }

    static Map<String, String> environment() {
        return Map.of("TEST_KEY_PASSPHRASE", PASSPHRASE);
    }

    DpsSettings settings(String dpsYaml) throws IOException {
        return DpsSettingsLoader.load(writeSettings(dpsYaml), environment());
    }

    static Path resource(String name) {
        try {
            return Path.of(DpsFixture.class.getResource("/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        metrics.close();
        service.close();
        dps.close();
        sandbox.close();
    }
}
