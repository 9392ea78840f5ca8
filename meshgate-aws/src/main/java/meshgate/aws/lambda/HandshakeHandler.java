package meshgate.aws.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.Map;
import meshgate.client.MeshClient;
import meshgate.gateway.Gateway;
import meshgate.gateway.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The handshake function, invoked per mailbox by the {@code handshake_schedule} with {@code {"mailbox_id": ...}}:
 * MESH's mailbox validation, which MESH asks of every client at least once a day. It talks to MESH only (its role
 * reads the settings and nothing else), so it makes the mailboxes' clients alone, not the gateway's store and ledger.
 * A refusal fails the invocation, so that the function's Errors metric shows it.
 */
public class HandshakeHandler implements RequestStreamHandler, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HandshakeHandler.class);

    private final Map<String, String> environment;
    private Map<String, MeshClient> clients;

    public HandshakeHandler() {
        this(System.getenv());
    }

    public HandshakeHandler(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = MeshGateHandler.JSON.readTree(input);
        String mailbox = MeshGateHandler.mailboxOf(event == null ? MeshGateHandler.JSON.createObjectNode() : event);
        MeshClient client = clients().get(mailbox);
        if (client == null) {
            throw new ConfigException("mailbox " + mailbox + " is not one of this deployment's mailboxes "
                    + clients().keySet());
        }
        client.handshake();
        LOG.info("mailbox_validated mailbox={}", mailbox);
        MeshGateHandler.JSON.writeValue(output, MeshGateHandler.JSON.createObjectNode().put("mailbox_id", mailbox)
                .put("validated", true));
    }

    private synchronized Map<String, MeshClient> clients() {
        if (clients == null) {
            clients = Gateway.meshClients(LambdaSettings.from(environment).gateway(), Clock.systemUTC());
        }
        return clients;
    }

    @Override
    public synchronized void close() {
        if (clients != null) {
            clients.values().forEach(MeshClient::close);
            clients = null;
        }
    }
}
