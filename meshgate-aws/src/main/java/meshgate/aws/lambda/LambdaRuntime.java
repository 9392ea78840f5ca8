package meshgate.aws.lambda;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import meshgate.aws.ledger.DynamoDbLedger;
import meshgate.gateway.Gateway;
import meshgate.gateway.config.ConfigException;
import meshgate.gateway.store.S3ObjectStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * What one execution environment keeps between invocations: the gateway's parts (store, ledger, MESH clients,
 * event outbox), not started (the invocations drive them), and a client of the queues. Made at the first invocation,
 * not at init, so that a SnapStart snapshot holds no node name, connection or credential of its own.
 */
public final class LambdaRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LambdaRuntime.class);
    private static final int SQS_BATCH = 10;

    private final LambdaSettings settings;
    private final Gateway gateway;
    private final Gateway.Parts parts;
    private final SqsClient sqs;

    LambdaRuntime(LambdaSettings settings, Map<String, String> environment) {
        this.settings = settings;
        this.gateway = new Gateway(settings.gateway(), Clock.systemUTC());
        this.parts = gateway.parts();
        this.sqs = sqsClient(environment);
        LOG.info("lambda_runtime_ready node={} mailboxes={} bucket={}", settings.gateway().nodeId(),
                parts.clients().keySet(), store().bucket());
    }

    /**
     * A client of the queues, as the function's environment says: {@code AWS_REGION}, the credentials Lambda puts
     * there (else the SDK's default chain), and {@code MESHGATE_SQS_ENDPOINT} for an SQS-API server other than AWS.
     */
    static SqsClient sqsClient(Map<String, String> environment) {
        SqsClientBuilder builder = SqsClient.builder().httpClientBuilder(Apache5HttpClient.builder());
        text(environment.get("AWS_REGION")).map(Region::of).ifPresent(builder::region);
        text(environment.get(LambdaSettings.SQS_ENDPOINT)).map(URI::create).ifPresent(builder::endpointOverride);
        String keyId = environment.get("AWS_ACCESS_KEY_ID");
        String secret = environment.get("AWS_SECRET_ACCESS_KEY");
        if (keyId != null && secret != null) {
            String token = environment.get("AWS_SESSION_TOKEN");
            builder.credentialsProvider(StaticCredentialsProvider.create(token == null
                    ? AwsBasicCredentials.create(keyId, secret) : AwsSessionCredentials.create(keyId, secret, token)));
        }
        return builder.build();
    }

    private static java.util.Optional<String> text(String value) {
        return java.util.Optional.ofNullable(value).map(String::trim).filter(v -> !v.isEmpty());
    }

    public LambdaSettings settings() {
        return settings;
    }

    public Gateway.Parts parts() {
        return parts;
    }

    public Gateway gateway() {
        return gateway;
    }

    public S3ObjectStore store() {
        return (S3ObjectStore) gateway.store();
    }

    public DynamoDbLedger ledger() {
        if (gateway.ledger() instanceof DynamoDbLedger dynamo) {
            return dynamo;
        }
        throw new ConfigException("the functions need the DynamoDB ledger: set MESHGATE_LEDGER_TABLE");
    }

    /** Queues {@code bodies} on {@code queueUrl}, ten to a request; fails if any is refused. */
    public void enqueue(String queueUrl, List<String> bodies) {
        if (queueUrl.isBlank()) {
            throw new ConfigException("no queue to send to: set " + LambdaSettings.SEND_QUEUE + " and "
                    + LambdaSettings.FETCH_QUEUE);
        }
        for (int from = 0; from < bodies.size(); from += SQS_BATCH) {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            List<String> batch = bodies.subList(from, Math.min(bodies.size(), from + SQS_BATCH));
            for (int i = 0; i < batch.size(); i++) {
                entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody(batch.get(i))
                        .build());
            }
            SendMessageBatchResponse response = sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
            if (!response.failed().isEmpty()) {
                throw new IllegalStateException("SQS refused " + response.failed().size() + " of " + entries.size()
                        + " messages to " + queueUrl + ": " + response.failed().get(0).message());
            }
        }
    }

    @Override
    public void close() {
        sqs.close();
        gateway.close();
    }
}
