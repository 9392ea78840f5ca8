package meshgate.gateway.ops;

import java.util.Collection;
import meshgate.client.MeshClient;

/**
 * Validates each mailbox with MESH's handshake: at start and then daily, as MESH asks of its clients. A mailbox whose
 * credentials or TLS MESH refuses is paused by {@link MailboxHealth} until they work.
 */
public final class MailboxValidator {
    private final Collection<MeshClient> clients;
    private final MailboxHealth health;

    public MailboxValidator(Collection<MeshClient> clients, MailboxHealth health) {
        this.clients = clients;
        this.health = health;
    }

    /** Returns true when every mailbox validated; each failure is logged and counted. */
    public boolean validate() {
        boolean all = true;
        for (MeshClient client : clients) {
            all &= health.validate(client);
        }
        return all;
    }
}
