package meshgate.aws.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The handshake function, invoked per mailbox by the {@code handshake_schedule} with {@code {"mailbox_id": ...}}:
 * MESH's mailbox validation, which MESH asks of every client at least once a day. A refusal fails the invocation, so
 * that the function's Errors metric shows it.
 */
public class HandshakeHandler extends MeshGateHandler {
    private static final Logger LOG = LoggerFactory.getLogger(HandshakeHandler.class);

    public HandshakeHandler() {
    }

    public HandshakeHandler(Map<String, String> environment) {
        super(environment);
    }

    @Override
    protected JsonNode handle(JsonNode event, Deadline deadline) {
        String mailbox = mailboxOf(event);
        runtime().parts().client(mailbox).handshake();
        LOG.info("mailbox_validated mailbox={}", mailbox);
        return JSON.createObjectNode().put("mailbox_id", mailbox).put("validated", true);
    }
}
