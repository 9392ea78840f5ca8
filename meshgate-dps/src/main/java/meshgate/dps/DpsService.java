package meshgate.dps;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Optional;
import meshgate.client.MeshClient;
import meshgate.dps.config.DpsSettings;
import meshgate.dps.export.ExportJob;
import meshgate.dps.export.ExportLedger;
import meshgate.dps.jobs.DpsJobs;
import meshgate.dps.jobs.MailboxValidationJob;
import meshgate.dps.tracking.TrackJob;
import meshgate.gateway.config.GatewayConfig;
import meshgate.gateway.metrics.MeshGateMetrics;
import meshgate.gateway.metrics.MetricsServer;

/**
 * The DPS export put together from its settings: the MESH client of the sending mailbox, the record source, the
 * export ledger and the jobs. Close it to stop the jobs and close the ledger and client.
 */
public final class DpsService implements AutoCloseable {
    private final MeshClient mesh;
    private final ExportLedger ledger;
    private final DpsJobs jobs;
    private final MeshGateMetrics metrics = new MeshGateMetrics();
    private final GatewayConfig config;
    private MetricsServer metricsServer;

    private DpsService(DpsSettings settings, Clock clock) {
        this.config = settings.mesh();
        this.mesh = MeshClient.builder()
                .baseUrl(config.baseUrl())
                .credentials(settings.mailbox().mailboxId(), settings.mailbox().password().reveal(),
                        config.sharedKey().reveal())
                .tls(config.tlsFor(settings.mailbox()).toMeshTls())
                .chunkSize(config.chunkSize())
                .crumbSize(config.crumbSize())
                .clock(clock)
                .build();
        ExportLedger opened = null;
        try {
            opened = ExportLedger.open(settings.ledgerPath(), clock);
            metrics.watch(mesh);
            ExportJob export = new ExportJob(settings.source().open(), opened, mesh, settings.export(), clock,
                    metrics);
            this.jobs = new DpsJobs(settings.meshJobs(), export, new TrackJob(opened, mesh, metrics),
                    new MailboxValidationJob(mesh, metrics), new DpsJobs.Schedule(settings.validateInterval(),
                            settings.exportTime(), settings.export().zone(), settings.trackingInterval()), clock);
        } catch (RuntimeException e) {
            if (opened != null) {
                opened.close();
            }
            mesh.close();
            metrics.close();
            throw e;
        }
        this.ledger = opened;
    }

    public static DpsService open(DpsSettings settings) {
        return open(settings, Clock.systemUTC());
    }

    public static DpsService open(DpsSettings settings, Clock clock) {
        return new DpsService(settings, clock);
    }

    /**
     * Serves {@code /metrics} and {@code /health} where the MESH settings' {@code metrics.port} says, for a service
     * that runs the jobs; returns the address, or empty when no port is set.
     */
    public Optional<InetSocketAddress> serveMetrics() {
        if (metricsServer == null && config.metrics().address().isPresent()) {
            metricsServer = MetricsServer.start(config.metrics().address().get(), metrics, () -> "{\"status\":\"UP\","
                    + "\"mailbox\":\"" + mesh.mailbox() + "\",\"mesh_jobs\":" + jobs.enabled() + "}",
                    config.metrics().serverOptions());
        }
        return Optional.ofNullable(metricsServer).map(MetricsServer::address);
    }

    public MeshGateMetrics metrics() {
        return metrics;
    }

    public DpsJobs jobs() {
        return jobs;
    }

    public ExportLedger ledger() {
        return ledger;
    }

    public MeshClient mesh() {
        return mesh;
    }

    @Override
    public void close() {
        jobs.close();
        if (metricsServer != null) {
            metricsServer.close();
        }
        ledger.close();
        mesh.close();
        metrics.close();
    }
}
