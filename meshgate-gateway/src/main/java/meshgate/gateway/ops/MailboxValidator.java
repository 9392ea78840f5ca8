package meshgate.gateway.ops;

import java.util.Collection;
import meshgate.client.MeshClient;
import meshgate.client.MeshException;
import meshgate.gateway.metrics.MeshGateMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Validates each mailbox with MESH's handshake: at start and then daily, as MESH asks of its clients. */
public final class MailboxValidator {
    private static final Logger LOG = LoggerFactory.getLogger(MailboxValidator.class);

    private final Collection<MeshClient> clients;
    private final MeshGateMetrics metrics;

    public MailboxValidator(Collection<MeshClient> clients, MeshGateMetrics metrics) {
        this.clients = clients;
        this.metrics = metrics;
    }

    /** Returns true when every mailbox validated; each failure is logged and counted. */
    public boolean validate() {
        boolean all = true;
        for (MeshClient client : clients) {
            try {
                client.handshake();
                metrics.mailboxValidated(client.mailbox(), true);
            } catch (MeshException e) {
                all = false;
                metrics.mailboxValidated(client.mailbox(), false);
                LOG.error("mailbox_validation_failed mailbox={} status={} reason=\"{}\"", client.mailbox(),
                        e.httpStatus(), e.getMessage());
            }
        }
        return all;
    }
}
