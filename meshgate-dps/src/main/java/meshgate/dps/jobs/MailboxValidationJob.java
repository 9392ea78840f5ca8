package meshgate.dps.jobs;

import meshgate.client.MeshClient;
import meshgate.client.MeshException;
import meshgate.gateway.metrics.MeshGateMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Validates the sending mailbox with MESH's handshake, as MESH asks of its clients once a day. */
public final class MailboxValidationJob {
    private static final Logger LOG = LoggerFactory.getLogger(MailboxValidationJob.class);

    private final MeshClient mesh;
    private final MeshGateMetrics metrics;

    public MailboxValidationJob(MeshClient mesh, MeshGateMetrics metrics) {
        this.mesh = mesh;
        this.metrics = metrics;
    }

    /** True when MESH validated the mailbox; a failure is logged and counted. */
    public boolean run() {
        try {
            mesh.handshake();
            metrics.mailboxValidated(mesh.mailbox(), true);
            LOG.info("dps_mailbox_validated mailbox={}", mesh.mailbox());
            return true;
        } catch (MeshException e) {
            metrics.mailboxValidated(mesh.mailbox(), false);
            LOG.error("dps_mailbox_validation_failed mailbox={} status={} failures={} reason=\"{}\"", mesh.mailbox(),
                    e.httpStatus(), metrics.mailboxValidationFailures(), e.getMessage());
            return false;
        }
    }
}
