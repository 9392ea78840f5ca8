package meshgate.aws.lambda;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Runs the functions outside Lambda as Lambda runs them: each invocation with its own context and remaining time,
 * queue messages taken in batches from SQS (or any SQS-API server, such as ElasticMQ) and handed over in the event
 * shape of an SQS event source mapping, the messages the function does not name as failures deleted afterwards and
 * the others left to come back after their visibility timeout. For running a deployment's functions on a laptop, and
 * for the tests and the benchmark.
 *
 * <p>As a command, with the settings of the process's environment:
 * <ul>
 *   <li>{@code LocalLambda HANDLER_CLASS EVENT_FILE REMAINING_MS} invokes the handler once with the event in the
 *       file and prints the function's answer;</li>
 *   <li>{@code LocalLambda --queue QUEUE_URL HANDLER_CLASS REMAINING_MS} is the queue's event source mapping (batch
 *       size 1, one execution environment): it invokes the handler for each message until the queue has stayed empty
 *       for {@value #QUIET_SECONDS} seconds, printing one line per invocation.</li>
 * </ul>
 */
public final class LocalLambda {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int QUIET_SECONDS = 5;

    private LocalLambda() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 4 && args[0].equals("--queue")) {
            drain(args[1], handler(args[2]), Duration.ofMillis(Long.parseLong(args[3])));
            return;
        }
        if (args.length != 3) {
            System.err.println("usage: LocalLambda HANDLER_CLASS EVENT_FILE REMAINING_MS\n"
                    + "       LocalLambda --queue QUEUE_URL HANDLER_CLASS REMAINING_MS");
            System.exit(2);
        }
        byte[] event = Files.readAllBytes(Path.of(args[1]));
        System.out.println(invoke(handler(args[0]), event, Duration.ofMillis(Long.parseLong(args[2]))));
    }

    private static RequestStreamHandler handler(String className) throws ReflectiveOperationException {
        return (RequestStreamHandler) Class.forName(className).getDeclaredConstructor().newInstance();
    }

    /** Runs the queue's event source mapping in this process until the queue stays empty. */
    private static void drain(String queueUrl, RequestStreamHandler handler, Duration remaining) {
        try (SqsClient sqs = LambdaRuntime.sqsClient(System.getenv())) {
            int invocations = 0;
            long quietSince = System.nanoTime();
            while (System.nanoTime() - quietSince < Duration.ofSeconds(QUIET_SECONDS).toNanos()) {
                Round round = poll(sqs, queueUrl, handler, 1, Duration.ofSeconds(1), remaining);
                if (round.received() > 0) {
                    invocations++;
                    quietSince = System.nanoTime();
                    Runtime memory = Runtime.getRuntime();
                    System.out.printf("invocation=%d received=%d deleted=%d heap_used_mib=%d heap_max_mib=%d%n",
                            invocations, round.received(), round.deleted(),
                            (memory.totalMemory() - memory.freeMemory()) >> 20, memory.maxMemory() >> 20);
                }
            }
            System.out.println("queue_quiet invocations=" + invocations);
        } finally {
            if (handler instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    System.err.println("close failed: " + e);
                }
            }
        }
    }

    /** Invokes {@code handler} once with {@code event}, {@code remaining} being its time; returns its answer. */
    public static JsonNode invoke(RequestStreamHandler handler, byte[] event, Duration remaining) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(event), out, context(handler, remaining));
            return out.size() == 0 ? JSON.nullNode() : JSON.readTree(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The input the Terraform module's schedules give poll and handshake. */
    public static byte[] scheduleInput(String mailbox) {
        return JSON.createObjectNode().put("mailbox_id", mailbox).toString().getBytes(StandardCharsets.UTF_8);
    }

    /** What one round of a queue's event source mapping did. */
    public record Round(int received, int deleted, JsonNode answer) {
    }

    /**
     * One round of an event source mapping: receives up to {@code batchSize} messages from {@code queueUrl} (waiting
     * up to {@code wait} for the first), invokes {@code handler} with them, and deletes those it does not report as
     * failed. Returns without invoking when the queue had nothing.
     */
    public static Round poll(SqsClient sqs, String queueUrl, RequestStreamHandler handler, int batchSize,
            Duration wait, Duration remaining) {
        List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(batchSize)
                .waitTimeSeconds((int) wait.toSeconds())
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
        if (messages.isEmpty()) {
            return new Round(0, 0, JSON.nullNode());
        }
        String arn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        JsonNode answer = invoke(handler, sqsEvent(messages, arn), remaining);
        Set<String> failed = new HashSet<>();
        answer.path("batchItemFailures").forEach(f -> failed.add(f.path("itemIdentifier").asText()));
        int deleted = 0;
        for (Message message : messages) {
            if (!failed.contains(message.messageId())) {
                sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
                deleted++;
            }
        }
        return new Round(messages.size(), deleted, answer);
    }

    /** An SQS event as Lambda's event source mapping delivers it. */
    public static byte[] sqsEvent(List<Message> messages, String queueArn) {
        ObjectNode event = JSON.createObjectNode();
        ArrayNode records = event.putArray("Records");
        String region = queueArn.split(":").length > 3 ? queueArn.split(":")[3] : "eu-west-2";
        for (Message message : messages) {
            ObjectNode record = records.addObject();
            record.put("messageId", message.messageId());
            record.put("receiptHandle", message.receiptHandle());
            record.put("body", message.body());
            ObjectNode attributes = record.putObject("attributes");
            message.attributesAsStrings().forEach(attributes::put);
            record.putObject("messageAttributes");
            record.put("md5OfBody", message.md5OfBody());
            record.put("eventSource", "aws:sqs");
            record.put("eventSourceARN", queueArn);
            record.put("awsRegion", region);
        }
        return event.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A context whose remaining time runs down from {@code remaining}, in real time. */
    static Context context(RequestStreamHandler handler, Duration remaining) {
        long deadline = System.nanoTime() + remaining.toNanos();
        String requestId = UUID.randomUUID().toString();
        String name = handler.getClass().getSimpleName();
        return new Context() {
            @Override
            public String getAwsRequestId() {
                return requestId;
            }

            @Override
            public String getLogGroupName() {
                return "/aws/lambda/local-" + name;
            }

            @Override
            public String getLogStreamName() {
                return "local";
            }

            @Override
            public String getFunctionName() {
                return name;
            }

            @Override
            public String getFunctionVersion() {
                return "$LATEST";
            }

            @Override
            public String getInvokedFunctionArn() {
                return "arn:aws:lambda:eu-west-2:000000000000:function:" + name;
            }

            @Override
            public CognitoIdentity getIdentity() {
                return null;
            }

            @Override
            public ClientContext getClientContext() {
                return null;
            }

            @Override
            public int getRemainingTimeInMillis() {
                return (int) Math.max(0, (deadline - System.nanoTime()) / 1_000_000);
            }

            @Override
            public int getMemoryLimitInMB() {
                return (int) (Runtime.getRuntime().maxMemory() / (1024 * 1024));
            }

            @Override
            public LambdaLogger getLogger() {
                return new LambdaLogger() {
                    @Override
                    public void log(String message) {
                        System.err.print(message);
                    }

                    @Override
                    public void log(byte[] message) {
                        System.err.write(message, 0, message.length);
                    }
                };
            }
        };
    }
}
