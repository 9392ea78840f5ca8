package meshgate.gateway.config;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Outbound detection by S3 event notifications: the SQS queue that S3 (directly, or through EventBridge) announces new
 * objects to. A listing of {@code outbound/} every {@code reconciliationInterval} stays as the safety net, in place of
 * {@code outbound_rescan_interval}. Without keys, the AWS SDK's default credential chain is used. {@code
 * visibilityTimeout} is how long a received notification stays hidden from other receivers before it is received
 * again, unless deleted once its object is recorded.
 */
public record OutboundNotificationSettings(String sqsQueueUrl, Optional<String> region, Optional<URI> endpoint,
        Optional<Secret> accessKeyId, Optional<Secret> secretAccessKey, Duration visibilityTimeout,
        Duration reconciliationInterval) {
    static final Set<String> KEYS = Set.of("sqs_queue_url", "region", "endpoint", "access_key_id",
            "secret_access_key", "visibility_timeout", "reconciliation_interval");
    static final Duration DEFAULT_RECONCILIATION_INTERVAL = Duration.ofMinutes(5);
    static final Duration DEFAULT_VISIBILITY_TIMEOUT = Duration.ofMinutes(5);

    public OutboundNotificationSettings {
        Objects.requireNonNull(sqsQueueUrl, "sqsQueueUrl");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(secretAccessKey, "secretAccessKey");
        Objects.requireNonNull(visibilityTimeout, "visibilityTimeout");
        Objects.requireNonNull(reconciliationInterval, "reconciliationInterval");
    }

    /** The {@code outbound_notifications} mapping, if given; it needs an S3 store, whose bucket it announces. */
    static Optional<OutboundNotificationSettings> read(Section top, StoreSettings store) {
        if (!top.has("outbound_notifications")) {
            return Optional.empty();
        }
        Section section = top.child("outbound_notifications", KEYS);
        if (store.s3().isEmpty()) {
            throw section.fail("sqs_queue_url", "outbound notifications announce objects in S3: they need store.type s3");
        }
        String queueUrl = section.required("sqs_queue_url");
        Optional<Secret> keyId = section.secret("access_key_id");
        Optional<Secret> secretKey = section.secret("secret_access_key");
        if (keyId.isPresent() != secretKey.isPresent()) {
            throw section.fail("access_key_id", "give access_key_id and secret_access_key together, or neither (the "
                    + "AWS default credential chain is then used)");
        }
        Duration visibility = section.duration("visibility_timeout", DEFAULT_VISIBILITY_TIMEOUT, false);
        if (visibility.toSeconds() < 1 || visibility.toSeconds() > 12 * 60 * 60) {
            throw section.fail("visibility_timeout", "must be between 1s and 12h (SQS's limits), got " + visibility);
        }
        return Optional.of(new OutboundNotificationSettings(queueUrl, section.text("region").filter(s -> !s.isBlank()),
                section.text("endpoint").filter(s -> !s.isBlank()).map(URI::create), keyId, secretKey, visibility,
                section.duration("reconciliation_interval", DEFAULT_RECONCILIATION_INTERVAL, false)));
    }

    @Override
    public String toString() {
        return "OutboundNotificationSettings[sqsQueueUrl=" + sqsQueueUrl + ", region=" + region + ", endpoint="
                + endpoint + ", visibilityTimeout=" + visibilityTimeout + ", reconciliationInterval="
                + reconciliationInterval + "]";
    }
}
