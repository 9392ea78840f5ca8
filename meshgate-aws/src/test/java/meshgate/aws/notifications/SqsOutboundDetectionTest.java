package meshgate.aws.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import meshgate.client.MeshClient;
import meshgate.client.MeshTls;
import meshgate.gateway.Gateway;
import meshgate.gateway.config.GatewayConfigLoader;
import meshgate.gateway.ledger.OutboundRecord;
import meshgate.gateway.ledger.OutboundState;
import meshgate.gateway.store.ObjectWriter;
import meshgate.gateway.store.S3ObjectStore;
import meshgate.gateway.store.S3TestServer;
import meshgate.sandbox.MeshSandbox;
import meshgate.sandbox.tls.LocalCertificates;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * New objects under outbound/ announced by S3 event notifications through SQS (ElasticMQ), in S3's and EventBridge's
 * shapes, with the reconciliation listing an hour apart: what is announced is sent at once, and once, whichever of the
 * notification and the listing sees it first.
 */
class SqsOutboundDetectionTest {
    private static final String SENDER = "X26ABC1";
    private static final String RECIPIENT = "X26ABC2";
    private static final String PASSPHRASE = "sqs detection";
    private static final String REGION = "eu-west-2";

    @TempDir
    static Path dir;
    static LocalCertificates certificates;
    static MeshSandbox sandbox;
    static S3TestServer s3;
    static SQSRestServer elasticMq;
    static URI sqsEndpoint;
    static SqsClient sqs;

    @BeforeAll
    static void start() throws Exception {
        certificates = LocalCertificates.openOrCreate(dir.resolve("tls"), List.of(SENDER, RECIPIENT), PASSPHRASE);
        sandbox = MeshSandbox.builder().https(certificates.serverContext()).requireClientCertificate(true).start();
        s3 = S3TestServer.start();
        elasticMq = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().start();
        sqsEndpoint = URI.create("http://127.0.0.1:" + elasticMq.waitUntilStarted().localAddress().getPort());
        sqs = SqsClient.builder().httpClientBuilder(Apache5HttpClient.builder()).region(Region.of(REGION))
                .endpointOverride(sqsEndpoint)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x"))).build();
    }

    @AfterAll
    static void stop() throws Exception {
        sqs.close();
        elasticMq.stopAndWait();
        s3.close();
        sandbox.close();
    }

    @Test
    void sendsAnObjectAnnouncedByAnS3NotificationLongBeforeTheReconciliationListing() throws Exception {
        String bucket = s3.createBucket();
        Queues queues = queues();
        long before = inboxCount();
        try (Gateway gateway = gateway(bucket, queues.main())) {
            String key = "outbound/" + SENDER + "/daily report été+1.json";
            put(gateway, key, "announced by S3");
            sqs.sendMessage(b -> b.queueUrl(queues.main()).messageBody(s3Notification(bucket, key)));

            eventually("the announced object sent", () -> inboxCount() - before == 1);
            eventually("the notification deleted once recorded", () -> messagesIn(queues.main()) == 0);
            assertThat(sent(gateway, key)).hasSize(1);
        }
    }

    @Test
    void sendsAnObjectOnceWhenTheNotificationAndTheListingBothSeeIt() throws Exception {
        String bucket = s3.createBucket();
        Queues queues = queues();
        long before = inboxCount();
        try (Gateway gateway = gateway(bucket, queues.main())) {
            String key = "outbound/" + SENDER + "/weekly extract+final.csv";
            put(gateway, key, "seen twice over");
            String notification = eventBridgeNotification(bucket, key);
            sqs.sendMessage(b -> b.queueUrl(queues.main()).messageBody(notification));
            gateway.scanNow();
            // SQS delivers at least once: the same notification again, and another listing.
            sqs.sendMessage(b -> b.queueUrl(queues.main()).messageBody(notification));
            eventually("the object sent", () -> sent(gateway, key).stream()
                    .anyMatch(r -> r.state() == OutboundState.ACCEPTED && r.sentKey() != null));
            gateway.scanNow();
            eventually("both notifications deleted", () -> messagesIn(queues.main()) == 0);

            assertThat(sent(gateway, key)).as("one record of the object").hasSize(1);
        }
        assertThat(inboxCount() - before).as("one message at MESH").isEqualTo(1);
    }

    @Test
    void leavesAMalformedNotificationForTheDeadLetterQueueAndGoesOnReceiving() throws Exception {
        String bucket = s3.createBucket();
        Queues queues = queues();
        long before = inboxCount();
        try (Gateway gateway = gateway(bucket, queues.main())) {
            sqs.sendMessage(b -> b.queueUrl(queues.main()).messageBody("{\"not\": \"an S3 notification\"}"));
            sqs.sendMessage(b -> b.queueUrl(queues.main()).messageBody("not even JSON"));
            eventually("both moved to the dead-letter queue", () -> messagesIn(queues.deadLetters()) == 2);

            String key = "outbound/" + SENDER + "/after-the-bad-ones.json";
            put(gateway, key, "still received");
            sqs.sendMessage(b -> b.queueUrl(queues.main()).messageBody(s3Notification(bucket, key)));
            eventually("the next object sent", () -> inboxCount() - before == 1);
            eventually("the main queue empty", () -> messagesIn(queues.main()) == 0);
        }
    }

    @Test
    void deletesTheTestEventAndNotificationsOfObjectsOutsideOutbound() throws Exception {
        String bucket = s3.createBucket();
        Queues queues = queues();
        try (Gateway gateway = gateway(bucket, queues.main())) {
            sqs.sendMessage(b -> b.queueUrl(queues.main()).messageBody(fixture("s3-test-event.json")
                    .replace("BUCKET", bucket)));
            sqs.sendMessage(b -> b.queueUrl(queues.main()).messageBody(
                    s3Notification(bucket, "inbound/" + SENDER + "/20261130_ABC.dat")));
            eventually("both deleted", () -> messagesIn(queues.main()) == 0);
            assertThat(messagesIn(queues.deadLetters())).isZero();
        }
    }

    private record Queues(String main, String deadLetters) {
    }

    /** A queue whose messages go to a dead-letter queue after two receives, as an operator would set it up. */
    private static Queues queues() {
        String name = "outbound-" + UUID.randomUUID();
        String deadLetters = sqs.createQueue(b -> b.queueName(name + "-dlq")).queueUrl();
        String arn = sqs.getQueueAttributes(b -> b.queueUrl(deadLetters).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        String main = sqs.createQueue(b -> b.queueName(name).attributes(Map.of(QueueAttributeName.REDRIVE_POLICY,
                "{\"deadLetterTargetArn\":\"" + arn + "\",\"maxReceiveCount\":\"2\"}"))).queueUrl();
        return new Queues(main, deadLetters);
    }

    private static long messagesIn(String queueUrl) {
        Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Long.parseLong(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Long.parseLong(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    /** S3's own shape, the key URL-encoded as S3 encodes it (a space as +). */
    private static String s3Notification(String bucket, String key) {
        return fixture("s3-object-created-put.json").replace("BUCKET", bucket)
                .replace("outbound/X26ABC1/daily+report+%C3%A9t%C3%A9%2B1.json",
                        URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/"));
    }

    /** EventBridge's shape, the key as it is. */
    private static String eventBridgeNotification(String bucket, String key) {
        return fixture("eventbridge-object-created.json").replace("BUCKET", bucket)
                .replace("outbound/X26ABC1/weekly extract+final.csv", key);
    }

    private static String fixture(String name) {
        try {
            return S3NotificationParserTest.fixture(name);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<OutboundRecord> sent(Gateway gateway, String key) {
        return gateway.ledger().outbound(OutboundState.values()).stream().filter(r -> r.objectKey().equals(key))
                .toList();
    }

    private static void put(Gateway gateway, String key, String content) throws IOException {
        try (ObjectWriter writer = gateway.store().create(key,
                Map.of("mex-from", SENDER, "mex-to", RECIPIENT, "mex-workflowid", "TEST_WORKFLOW"))) {
            writer.stream().write(content.getBytes(StandardCharsets.UTF_8));
            writer.commit();
        }
    }

    private static Gateway gateway(String bucket, String queueUrl) throws IOException {
        Path root = Files.createDirectories(dir.resolve(bucket));
        String yaml = String.join("\n",
                "base_url: " + sandbox.baseUrl(),
                "shared_key: TestKey",
                "ca_bundle: " + certificates.caBundle(),
                "certificate: " + certificates.clientCertificate(SENDER),
                "private_key: " + certificates.clientKey(SENDER),
                "private_key_passphrase: " + PASSPHRASE,
                "mailboxes:",
                "  - mailbox_id: " + SENDER,
                "    password: password",
                "store:",
                "  type: s3",
                "  bucket: " + bucket,
                "  endpoint: " + s3.endpoint(),
                "  region: " + S3TestServer.REGION,
                "  path_style: true",
                "  access_key_id: " + S3TestServer.ACCESS_KEY,
                "  secret_access_key: " + S3TestServer.SECRET_KEY,
                "  root: " + root,
                "ledger:",
                "  type: embedded",
                "  path: " + root.resolve("ledger/meshgate"),
                "outbound_notifications:",
                "  sqs_queue_url: " + queueUrl,
                "  region: " + REGION,
                "  endpoint: " + sqsEndpoint,
                "  access_key_id: x",
                "  secret_access_key: x",
                "  visibility_timeout: 1s",
                // The listing is the safety net only: far too late for anything here to pass by it.
                "  reconciliation_interval: 1h",
                "poll_interval: 1h",
                "outbound_settle_time: 0s",
                "tracking_interval: 1h",
                "");
        Path config = Files.writeString(root.resolve("meshgate.yaml"), yaml);
        return Gateway.start(GatewayConfigLoader.load(config, Map.of()));
    }

    private static long inboxCount() {
        try (MeshClient recipient = MeshClient.builder().baseUrl(URI.create(sandbox.baseUrl()))
                .credentials(RECIPIENT, "password", "TestKey")
                .tls(MeshTls.fromPem(certificates.clientCertificate(RECIPIENT), certificates.clientKey(RECIPIENT),
                        PASSPHRASE.toCharArray(), certificates.caBundle()))
                .build()) {
            return recipient.inboxCount();
        }
    }

    /** Waits for a condition that a working gateway meets in seconds; the reconciliation listing is an hour away. */
    private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after 60 s waiting for: " + what);
            }
            Thread.sleep(50);
        }
    }
}
