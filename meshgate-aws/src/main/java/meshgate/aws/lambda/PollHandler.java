package meshgate.aws.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import meshgate.client.InboxQuery;
import meshgate.client.MeshClient;
import meshgate.gateway.Gateway;
import meshgate.gateway.ledger.InboundRecord;
import meshgate.gateway.ledger.InboundState;
import meshgate.gateway.ledger.Ledger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poll function, invoked per mailbox by the {@code get_messages_schedule} with {@code {"mailbox_id": ...}}:
 * acknowledges what was stored but not yet acknowledged, lists the whole inbox (every page), records each message in
 * the ledger and queues it for fetch, one SQS message per MESH message. A message already queued is queued again
 * only once its record has not moved for {@link #REQUEUE_AFTER} (its fetch may have gone to the dead-letter queue).
 */
public class PollHandler extends MeshGateHandler {
    private static final Logger LOG = LoggerFactory.getLogger(PollHandler.class);
    static final Duration REQUEUE_AFTER = Duration.ofHours(1);

    public PollHandler() {
    }

    public PollHandler(Map<String, String> environment) {
        super(environment);
    }

    @Override
    protected JsonNode handle(JsonNode event, Deadline deadline) {
        String mailbox = mailboxOf(event);
        LambdaRuntime runtime = runtime();
        Gateway.Parts parts = runtime.parts();
        MeshClient client = parts.client(mailbox);
        Ledger ledger = runtime.gateway().ledger();
        Instant started = Instant.now();
        int acknowledged = 0;
        for (InboundRecord record : ledger.inboundToFinish(mailbox)) {
            if (record.state() == InboundState.STORED) {
                parts.receiver().finish(client, record);
                acknowledged++;
            }
        }
        List<String> ids = client.inbox(InboxQuery.all().withMaxResults(runtime.settings().pageLimit()));
        List<String> bodies = new ArrayList<>();
        for (String id : ids) {
            java.util.Optional<InboundRecord> known = ledger.findInbound(mailbox, id);
            if (known.isEmpty()) {
                ledger.recordInbound(mailbox, id);
                bodies.add(FetchHandler.body(mailbox, id));
                continue;
            }
            InboundRecord record = known.get();
            if (record.state() == InboundState.ACKNOWLEDGED) {
                // Listed again: the acknowledgement never reached MESH. Acknowledging is idempotent.
                client.acknowledge(id);
            } else if (record.state() == InboundState.STORED) {
                parts.receiver().finish(client, record);
            } else if (record.updatedAt().isBefore(started.minus(REQUEUE_AFTER))) {
                bodies.add(FetchHandler.body(mailbox, id));
            }
        }
        // Their events are fetch's to deliver, whose role may read what they are about.
        runtime.enqueue(runtime.settings().fetchQueueUrl(), bodies);
        LOG.info("lambda_polled mailbox={} listed={} queued={} acknowledged={}", mailbox, ids.size(), bodies.size(),
                acknowledged);
        return JSON.createObjectNode().put("mailbox_id", mailbox).put("listed", ids.size())
                .put("queued", bodies.size());
    }
}
