package meshgate.aws.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The five functions' common part: the event read as AWS delivers it, the runtime made at the first invocation and
 * kept, and, for queue-fed functions, a batch response naming only the messages to deliver again
 * ({@code ReportBatchItemFailures}), so one failure never repeats the others' work.
 */
public abstract class MeshGateHandler implements RequestStreamHandler, AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(MeshGateHandler.class);

    private final Map<String, String> environment;
    private volatile LambdaRuntime runtime;

    /** As Lambda makes it: settings from the function's environment. */
    protected MeshGateHandler() {
        this(System.getenv());
    }

    /** With the environment given, as a test or a local run gives it. */
    protected MeshGateHandler(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = JSON.readTree(input);
        Deadline deadline = new Deadline(context::getRemainingTimeInMillis, runtime().settings().timeReserve());
        JsonNode answer = handle(event == null ? JSON.createObjectNode() : event, deadline);
        if (answer != null) {
            JSON.writeValue(output, answer);
        }
    }

    /** Handles one invocation's event; returns the function's answer, or null for none. */
    protected abstract JsonNode handle(JsonNode event, Deadline deadline) throws IOException;

    protected final LambdaRuntime runtime() {
        LambdaRuntime made = runtime;
        if (made == null) {
            synchronized (this) {
                if (runtime == null) {
                    runtime = new LambdaRuntime(LambdaSettings.from(environment), environment);
                }
                made = runtime;
            }
        }
        return made;
    }

    /** Closes the runtime, if made: for local runs (Lambda ends an execution environment by itself). */
    @Override
    public synchronized void close() {
        if (runtime != null) {
            runtime.close();
            runtime = null;
        }
    }

    /** One SQS message of an event from the queue's event source mapping. */
    protected record QueueMessage(String messageId, String body, int receiveCount) {
    }

    /** What became of one queue message. */
    protected enum Outcome {
        /** Done, or handed on (to a continuation, or to the invocation already carrying it on): delete it. */
        DONE,
        /** To be delivered again after the queue's visibility timeout. */
        AGAIN
    }

    /** Handles each SQS message of {@code event} with {@code each}, answering with the ones to deliver again. */
    protected final JsonNode eachMessage(JsonNode event, MessageWork each) {
        List<String> again = new ArrayList<>();
        for (JsonNode record : event.path("Records")) {
            QueueMessage message = new QueueMessage(record.path("messageId").asText(), record.path("body").asText(),
                    record.path("attributes").path("ApproximateReceiveCount").asInt(1));
            Outcome outcome;
            try {
                outcome = each.handle(message);
            } catch (IOException | RuntimeException e) {
                LOG.warn("lambda_message_failed function={} message={} receive_count={} reason=\"{}\" note=\"delivered "
                        + "again after the visibility timeout\"", getClass().getSimpleName(), message.messageId(),
                        message.receiveCount(), e.toString(), e);
                outcome = Outcome.AGAIN;
            }
            if (outcome == Outcome.AGAIN) {
                again.add(message.messageId());
            }
        }
        ObjectNode answer = JSON.createObjectNode();
        var failures = answer.putArray("batchItemFailures");
        again.forEach(id -> failures.addObject().put("itemIdentifier", id));
        return answer;
    }

    /** The work done with one queue message. */
    @FunctionalInterface
    protected interface MessageWork {
        Outcome handle(QueueMessage message) throws IOException;
    }

    /** The {@code mailbox_id} a scheduled event carries (the module's schedules' input). */
    static String mailboxOf(JsonNode event) {
        String mailbox = event.path("mailbox_id").asText("");
        if (mailbox.isBlank()) {
            throw new IllegalArgumentException("the event has no mailbox_id: the schedule's input must be "
                    + "{\"mailbox_id\": \"X26ABC123\"}");
        }
        return mailbox.trim().toUpperCase(java.util.Locale.ROOT);
    }
}
