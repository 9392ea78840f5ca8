package meshgate.aws.lambda;

import static meshgate.aws.lambda.LambdaFixture.RECIPIENT;
import static meshgate.aws.lambda.LambdaFixture.SENDER;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import meshgate.aws.events.AwsEventsTestServer;
import meshgate.aws.ledger.DynamoDbLedger;
import meshgate.client.MeshClient;
import meshgate.gateway.ledger.InboundRecord;
import meshgate.gateway.ledger.InboundState;
import meshgate.gateway.ledger.OutboundRecord;
import meshgate.gateway.ledger.OutboundState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The five functions run in this JVM as Lambda runs them ({@link LocalLambda}: each invocation with its own remaining
 * time, SQS batches in the event source mapping's shape, scheduler inputs as the module's schedules give them),
 * against the MESH sandbox over mutual TLS, S3Proxy, dynalite, ElasticMQ and SSM parameters in the Terraform MESH
 * module's layout.
 */
class LambdaHandlersTest {
    private static final Duration FULL_TIME = Duration.ofMinutes(15);
    /** The acceptance's short invocations: far less than one invocation's reserve, so each does one chunk. */
    private static final Duration SHORT_TIME = Duration.ofSeconds(20);
    /** Generous bounds for progress to be seen; every wait ends as soon as it is. */
    private static final Duration STALL = Duration.ofMinutes(3);
    /** Less than a function of 512 MB has for everything: the functions hold one chunk plus one part. */
    private static final String FUNCTION_HEAP = "384m";

    @TempDir
    static Path dir;
    static LambdaFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        // The credentials Lambda puts in a function's environment, where the SDK's default chain finds them; in this
        // JVM, as system properties (the functions in processes of their own get them as variables).
        System.setProperty("aws.accessKeyId", "x");
        System.setProperty("aws.secretAccessKey", "x");
        fixture = new LambdaFixture(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    @Test
    void aFilePutUnderOutboundIsDeliveredStoredAcknowledgedTrackedAndAnnounced() throws Exception {
        AwsEventsTestServer eventBridge = AwsEventsTestServer.start();
        LambdaFixture.Deployment deployment = fixture.deploy(Duration.ofSeconds(30), Map.of(
                "MESHGATE_EVENT_BUS_NAME", "mesh-events"), String.join("\n", "events:",
                "  eventbridge_endpoint: " + eventBridge.endpoint(), "  aws_region: eu-west-2"));
        String key = "outbound/" + SENDER + "/results 2026-12+final.csv";
        String content = "patient,result\n1,negative\n";
        fixture.putOutbound(deployment.bucket(), key, RequestBody.fromString(content));
        String created = objectCreatedEvent(deployment, key);
        fixture.sqs.sendMessage(b -> b.queueUrl(deployment.sendQueue()).messageBody(created));

        try (SendHandler send = new SendHandler(deployment.environment());
                PollHandler poll = new PollHandler(deployment.environment());
                FetchHandler fetch = new FetchHandler(deployment.environment());
                TrackHandler track = new TrackHandler(deployment.environment());
                HandshakeHandler handshake = new HandshakeHandler(deployment.environment());
                DynamoDbLedger ledger = ledger(deployment);
                MeshClient recipient = fixture.mesh(RECIPIENT)) {
            LocalLambda.Round sent = LocalLambda.poll(fixture.sqs, deployment.sendQueue(), send, 1,
                    Duration.ofSeconds(1), FULL_TIME);
            assertThat(sent.received()).isEqualTo(1);
            assertThat(sent.deleted()).isEqualTo(1);
            OutboundRecord record = outbound(ledger, key);
            assertThat(record.state()).isEqualTo(OutboundState.ACCEPTED);
            assertThat(record.sentKey()).isEqualTo("sent/" + record.meshMessageId() + "/" + SENDER
                    + "/results 2026-12+final.csv");
            assertThat(fixture.keys(deployment.bucket(), "outbound/")).isEmpty();
            assertThat(recipient.inbox()).containsExactly(record.meshMessageId());

            JsonNode polled = LocalLambda.invoke(poll, LocalLambda.scheduleInput(RECIPIENT), FULL_TIME);
            assertThat(polled.path("listed").asInt()).isEqualTo(1);
            assertThat(polled.path("queued").asInt()).isEqualTo(1);
            // Polled again before the fetch: the message is not queued twice.
            assertThat(LocalLambda.invoke(poll, LocalLambda.scheduleInput(RECIPIENT), FULL_TIME)
                    .path("queued").asInt()).isZero();

            LocalLambda.Round fetched = LocalLambda.poll(fixture.sqs, deployment.fetchQueue(), fetch, 10,
                    Duration.ofSeconds(1), FULL_TIME);
            assertThat(fetched.deleted()).isEqualTo(1);
            String stored = "inbound/" + RECIPIENT + "/" + record.meshMessageId() + ".dat";
            assertThat(fixture.s3Client.getObjectAsBytes(g -> g.bucket(deployment.bucket()).key(stored))
                    .asString(StandardCharsets.UTF_8)).isEqualTo(content);
            assertThat(fixture.s3Client.headObject(h -> h.bucket(deployment.bucket()).key(stored)).metadata())
                    .containsEntry("mex-from", SENDER).containsEntry("mex-workflowid", LambdaFixture.WORKFLOW);
            assertThat(ledger.findInbound(RECIPIENT, record.meshMessageId()).orElseThrow().state())
                    .isEqualTo(InboundState.ACKNOWLEDGED);
            assertThat(recipient.inbox()).isEmpty();

            JsonNode tracked = LocalLambda.invoke(track, "{}".getBytes(StandardCharsets.UTF_8), FULL_TIME);
            assertThat(tracked.path("tracked").asInt()).isEqualTo(1);
            assertThat(outbound(ledger, key).trackingStatus()).isEqualTo("acknowledged");

            assertThat(LocalLambda.invoke(handshake, LocalLambda.scheduleInput(SENDER), FULL_TIME)
                    .path("validated").asBoolean()).isTrue();

            // Each function announced what it did: sent (send), received (fetch), acknowledged (track).
            assertThat(eventBridge.entries()).extracting(AwsEventsTestServer.PutEntry::detailType)
                    .containsExactlyInAnyOrder("MESH Message Sent", "MESH Message Received", "MESH Delivery Status Changed");
            assertThat(eventBridge.entries()).allSatisfy(entry -> {
                assertThat(entry.eventBusName()).isEqualTo("mesh-events");
                assertThat(entry.detail().path("message_id").asText()).isEqualTo(record.meshMessageId());
            });
        } finally {
            eventBridge.close();
        }
    }

    @Test
    void aOneGibMessageIsSentAndFetchedAcrossInvocationsOfTwentySecondsResumingAtChunkBoundaries()
            throws Exception {
        LambdaFixture.Deployment deployment = fixture.deploy(Duration.ofSeconds(30), Map.of(
                "MESHGATE_CHUNK_SIZE", "100000000", "MESHGATE_NEVER_COMPRESS", "true"), "");
        long size = 1L << 30;
        String key = "outbound/" + SENDER + "/one-gib.bin";
        String sha256 = dropRandom(deployment, key, size, 20261207L);

        try (PollHandler poll = new PollHandler(deployment.environment());
                DynamoDbLedger ledger = ledger(deployment);
                MeshClient recipient = fixture.mesh(RECIPIENT)) {
            // Each function in a process of its own with less heap than a 512 MB function has in all.
            String sent = mapping(deployment, deployment.sendQueue(), SendHandler.class, SHORT_TIME);
            OutboundRecord record = outbound(ledger, key);
            assertThat(record.state()).isEqualTo(OutboundState.ACCEPTED);
            assertThat(record.chunksTotal()).isEqualTo(11);
            assertThat(invocations(sent)).as("one chunk per invocation of 20 s, each carrying on where the last "
                    + "stopped").isEqualTo(11);
            assertThat(count(sent, "outbound_paused key=" + key)).isEqualTo(10);
            assertThat(count(sent, "lambda_send_continued key=" + key)).isEqualTo(10);
            assertThat(recipient.inbox()).containsExactly(record.meshMessageId());

            LocalLambda.invoke(poll, LocalLambda.scheduleInput(RECIPIENT), FULL_TIME);
            String fetched = mapping(deployment, deployment.fetchQueue(), FetchHandler.class, SHORT_TIME);
            assertThat(inboundState(ledger, record.meshMessageId())).isEqualTo(InboundState.ACKNOWLEDGED);
            assertThat(invocations(fetched)).isBetween(2, 11);
            assertThat(count(fetched, "inbound_paused mailbox=" + RECIPIENT)).isEqualTo(invocations(fetched) - 1);
            String stored = "inbound/" + RECIPIENT + "/" + record.meshMessageId() + ".dat";
            assertThat(fixture.keys(deployment.bucket(), "inbound/")).containsExactly(stored);
            assertThat(fixture.s3Client.headObject(h -> h.bucket(deployment.bucket()).key(stored)).contentLength())
                    .isEqualTo(size);
            assertThat(fixture.sha256(deployment.bucket(), stored)).isEqualTo(sha256);
            assertThat(recipient.inbox()).isEmpty();
        }
    }

    /**
     * Runs a queue's event source mapping in a process of its own ({@code LocalLambda --queue}, heap
     * {@value #FUNCTION_HEAP}) until the queue stays empty; returns what it printed.
     */
    private static String mapping(LambdaFixture.Deployment deployment, String queue, Class<?> handler,
            Duration remaining) throws Exception {
        Process process = localLambda(deployment, "--queue", queue, handler.getName(),
                Long.toString(remaining.toMillis()));
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as("the mapping's process ended well; it printed:%n%s", output).isZero();
        assertThat(output).doesNotContain("OutOfMemoryError").contains("queue_quiet");
        return output;
    }

    /**
     * {@link LocalLambda} in a process of its own with the deployment's environment and {@value #FUNCTION_HEAP} of
     * heap, its output and errors on one stream.
     */
    private static Process localLambda(LambdaFixture.Deployment deployment, String... arguments) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + FUNCTION_HEAP,
                "-cp", System.getProperty("java.class.path"), LocalLambda.class.getName()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(deployment.environment());
        return builder.start();
    }

    private static int invocations(String output) {
        return count(output, "invocation=");
    }

    private static int count(String output, String marker) {
        return (int) output.lines().filter(line -> line.contains(marker)).count();
    }

    @Test
    void anInvocationKilledMidChunkIsDeliveredAgainByTheQueueAndFinishesWithNoDuplicate() throws Exception {
        // A short lease and visibility timeout, so the killed invocation's claim and message come back soon.
        LambdaFixture.Deployment deployment = fixture.deploy(Duration.ofSeconds(2), Map.of(
                "MESHGATE_CHUNK_SIZE", "20000000", "MESHGATE_NEVER_COMPRESS", "true"), String.join("\n",
                "outbound_lease: 35s", "mesh_connect_timeout: 2s", "mesh_read_timeout: 4s",
                "mesh_retry_max_elapsed: 2s"));
        long size = 200_000_000L;
        String key = "outbound/" + SENDER + "/killed.bin";
        String sha256 = dropRandom(deployment, key, size, 7L);

        try (SendHandler send = new SendHandler(deployment.environment());
                PollHandler poll = new PollHandler(deployment.environment());
                FetchHandler fetch = new FetchHandler(deployment.environment());
                DynamoDbLedger ledger = ledger(deployment);
                MeshClient recipient = fixture.mesh(RECIPIENT)) {
            killMidChunk(deployment, deployment.sendQueue(), SendHandler.class, "outbound_chunk key=" + key,
                    "chunk=3/10");
            OutboundRecord cut = outbound(ledger, key);
            assertThat(cut.state()).isEqualTo(OutboundState.SENDING);
            assertThat(cut.chunksAccepted()).isBetween(3, 9);

            int sendRounds = drain(deployment.sendQueue(), send, () -> outboundState(ledger, key)
                    == OutboundState.ACCEPTED);
            assertThat(sendRounds).isPositive();
            OutboundRecord record = outbound(ledger, key);
            assertThat(record.meshMessageId()).isEqualTo(cut.meshMessageId());
            assertThat(recipient.inbox()).containsExactly(record.meshMessageId());

            LocalLambda.invoke(poll, LocalLambda.scheduleInput(RECIPIENT), FULL_TIME);
            killMidChunk(deployment, deployment.fetchQueue(), FetchHandler.class, "inbound_chunk mailbox="
                    + RECIPIENT, "chunk=3/10");
            assertThat(inboundState(ledger, record.meshMessageId())).isEqualTo(InboundState.DOWNLOADING);
            String stored = "inbound/" + RECIPIENT + "/" + record.meshMessageId() + ".dat";
            assertThat(fixture.keys(deployment.bucket(), "inbound/")).as("nothing shown before it is whole")
                    .isEmpty();

            drain(deployment.fetchQueue(), fetch, () -> inboundState(ledger, record.meshMessageId())
                    == InboundState.ACKNOWLEDGED);
            assertThat(fixture.keys(deployment.bucket(), "inbound/")).containsExactly(stored);
            assertThat(fixture.sha256(deployment.bucket(), stored)).isEqualTo(sha256);
            assertThat(recipient.inbox()).isEmpty();
        }
    }

    /**
     * Takes the queue's next message as the event source mapping would, hands it to the function in a process of
     * its own, and kills that process (SIGKILL) once it logs {@code marker} with {@code chunk}; the message is not
     * deleted, so the queue delivers it again after its visibility timeout.
     */
    private static void killMidChunk(LambdaFixture.Deployment deployment, String queue, Class<?> handler,
            String marker, String chunk) throws Exception {
        List<Message> messages = fixture.sqs.receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(1)
                .waitTimeSeconds(5).messageSystemAttributeNames(
                        software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName.ALL)).messages();
        assertThat(messages).hasSize(1);
        Path event = Files.write(dir.resolve("event-" + System.nanoTime() + ".json"), LocalLambda.sqsEvent(messages,
                "arn:aws:sqs:eu-west-2:000000000000:queue"));
        Process process = localLambda(deployment, handler.getName(), event.toString(),
                Long.toString(FULL_TIME.toMillis()));
        StringBuilder seen = new StringBuilder();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                seen.append(line).append('\n');
                if (line.contains(marker) && line.contains(chunk)) {
                    process.destroyForcibly();
                    break;
                }
            }
        } finally {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(seen.toString()).as("the function's output before it was killed").contains(chunk);
    }

    /** Runs the queue's event source mapping until {@code done}; returns how many invocations it made. */
    private static int drain(String queue, MeshGateHandler handler, BooleanSupplier done) throws Exception {
        int invocations = 0;
        long stalledSince = System.nanoTime();
        while (!done.getAsBoolean()) {
            LocalLambda.Round round = LocalLambda.poll(fixture.sqs, queue, handler, 1, Duration.ofSeconds(2),
                    FULL_TIME);
            if (round.received() > 0) {
                invocations++;
                stalledSince = System.nanoTime();
            }
            assertThat(Duration.ofNanos(System.nanoTime() - stalledSince)).as("the queue delivers the message again")
                    .isLessThan(STALL);
        }
        return invocations;
    }

    /**
     * Puts {@code size} random bytes at {@code key} and announces them on the send queue as S3 would; returns their
     * SHA-256.
     */
    private static String dropRandom(LambdaFixture.Deployment deployment, String key, long size, long seed)
            throws Exception {
        Path file = dir.resolve("drop-" + seed + ".bin");
        String sha256 = LambdaFixture.randomFile(file, size, seed);
        fixture.putOutbound(deployment.bucket(), key, RequestBody.fromFile(file));
        Files.delete(file);
        String created = objectCreatedEvent(deployment, key);
        fixture.sqs.sendMessage(b -> b.queueUrl(deployment.sendQueue()).messageBody(created));
        return sha256;
    }

    private static String objectCreatedEvent(LambdaFixture.Deployment deployment, String key) throws Exception {
        return fixture.objectCreated(deployment.bucket(), key);
    }

    private static DynamoDbLedger ledger(LambdaFixture.Deployment deployment) {
        return DynamoDbLedger.open(fixture.dynalite.settings(deployment.environment().get("MESHGATE_LEDGER_TABLE")),
                Clock.systemUTC());
    }

    private static OutboundRecord outbound(DynamoDbLedger ledger, String key) {
        return ledger.outbound(OutboundState.values()).stream().filter(r -> r.objectKey().equals(key))
                .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("no outbound record of " + key));
    }

    private static OutboundState outboundState(DynamoDbLedger ledger, String key) {
        return ledger.outbound(OutboundState.values()).stream().filter(r -> r.objectKey().equals(key))
                .map(OutboundRecord::state).reduce((a, b) -> b).orElse(null);
    }

    private static InboundState inboundState(DynamoDbLedger ledger, String messageId) {
        return ledger.findInbound(RECIPIENT, messageId).map(InboundRecord::state).orElse(null);
    }
}
