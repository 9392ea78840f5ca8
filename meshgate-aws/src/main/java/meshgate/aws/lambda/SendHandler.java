package meshgate.aws.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import meshgate.aws.notifications.S3Notification;
import meshgate.aws.notifications.S3NotificationParser;
import meshgate.gateway.ledger.OutboundRecord;
import meshgate.gateway.outbound.OutboundProcessor;
import meshgate.gateway.store.ObjectInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The send function, fed by the send queue: S3's "Object Created" events for {@code outbound/} (through EventBridge),
 * and its own continuations. Each object is sent by the gateway's {@link OutboundProcessor}: claimed in the ledger,
 * sent chunk by chunk with each chunk's acceptance recorded, then archived under {@code sent/} (or failed, with its
 * reason, under {@code failed/}). A send that runs short of time stops between two chunks and queues a continuation;
 * one whose claim another invocation holds, or that MESH could not take now, is delivered again after the queue's
 * visibility timeout and carries on from the ledger.
 */
public class SendHandler extends MeshGateHandler {
    private static final Logger LOG = LoggerFactory.getLogger(SendHandler.class);
    static final String CONTINUE = "meshgate_continue";

    public SendHandler() {
    }

    public SendHandler(Map<String, String> environment) {
        super(environment);
    }

    @Override
    protected JsonNode handle(JsonNode event, Deadline deadline) {
        return eachMessage(event, message -> {
            Outcome outcome = Outcome.DONE;
            for (String key : keys(message)) {
                if (send(key, deadline) == Outcome.AGAIN) {
                    outcome = Outcome.AGAIN;
                }
            }
            return outcome;
        });
    }

    /** The keys a message names: a continuation's, or the objects an S3 event says were created in the bucket. */
    private List<String> keys(QueueMessage message) throws IOException {
        JsonNode body = continuation(message.body());
        if (body != null) {
            return List.of(body.path("key").asText());
        }
        S3Notification notification = S3NotificationParser.parse(message.body());
        String bucket = runtime().store().bucket();
        if (notification instanceof S3Notification.Malformed malformed) {
            throw new IOException("not an S3 notification: " + malformed.why());
        }
        if (!(notification instanceof S3Notification.Created created)) {
            return List.of();
        }
        return created.objects().stream().filter(o -> {
            if (!bucket.equals(o.bucket())) {
                LOG.warn("lambda_send_other_bucket bucket={} key={} note=\"not this deployment's bucket: ignored\"",
                        o.bucket(), o.key());
                return false;
            }
            return true;
        }).map(S3Notification.ObjectCreated::key).toList();
    }

    static JsonNode continuation(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            return node != null && "send".equals(node.path(CONTINUE).asText()) ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    private Outcome send(String key, Deadline deadline) throws IOException {
        if (!key.startsWith(OutboundProcessor.OUTBOUND) || key.endsWith("/")) {
            return Outcome.DONE;
        }
        LambdaRuntime runtime = runtime();
        // Found the way the gateway's listing finds it (hidden names, times and versions), so both name one version.
        Optional<ObjectInfo> object = runtime.store().list(key).stream().filter(o -> o.key().equals(key)).findFirst();
        if (object.isEmpty()) {
            LOG.info("lambda_send_gone key={} note=\"no longer under outbound/: nothing to send\"", key);
            return Outcome.DONE;
        }
        OutboundRecord record = runtime.parts().processor().process(object.get(), deadline);
        runtime.parts().events().deliverOutboundDue();
        switch (record.state()) {
            case SENDING -> {
                if (deadline.stopped()) {
                    runtime.enqueue(runtime.settings().sendQueueUrl(), List.of(JSON.createObjectNode()
                            .put(CONTINUE, "send").put("key", key).toString()));
                    LOG.info("lambda_send_continued key={} message_id={} chunks={}/{}", key, record.meshMessageId(),
                            record.chunksAccepted(), record.chunksTotal());
                    return Outcome.DONE;
                }
                return Outcome.AGAIN;
            }
            case QUEUED -> {
                return Outcome.AGAIN;
            }
            default -> {
                return Outcome.DONE;
            }
        }
    }
}
