package meshgate.dps;

import java.time.Clock;
import meshgate.client.MeshClient;
import meshgate.dps.config.DpsSettings;
import meshgate.dps.export.ExportJob;
import meshgate.dps.export.ExportLedger;
import meshgate.dps.jobs.DpsJobs;
import meshgate.dps.jobs.MailboxValidationJob;
import meshgate.dps.tracking.TrackJob;
import meshgate.gateway.config.GatewayConfig;

/**
 * The DPS export put together from its settings: the MESH client of the sending mailbox, the record source, the
 * export ledger and the jobs. Close it to stop the jobs and close the ledger and client.
 */
public final class DpsService implements AutoCloseable {
    private final MeshClient mesh;
    private final ExportLedger ledger;
    private final DpsJobs jobs;

    private DpsService(DpsSettings settings, Clock clock) {
        GatewayConfig config = settings.mesh();
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
            ExportJob export = new ExportJob(settings.source().open(), opened, mesh, settings.export(), clock);
            this.jobs = new DpsJobs(settings.meshJobs(), export, new TrackJob(opened, mesh),
                    new MailboxValidationJob(mesh), new DpsJobs.Schedule(settings.validateInterval(),
                            settings.exportTime(), settings.export().zone(), settings.trackingInterval()), clock);
        } catch (RuntimeException e) {
            if (opened != null) {
                opened.close();
            }
            mesh.close();
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
        ledger.close();
        mesh.close();
    }
}
