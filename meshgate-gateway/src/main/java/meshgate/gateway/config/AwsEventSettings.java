package meshgate.gateway.config;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Events to AWS: to an EventBridge bus ({@code eventbridge_bus}, a name or ARN; entries carry {@code source}) and to
 * an SNS topic ({@code sns_topic_arn}). The endpoints are for VPC endpoints or a test server; the region and
 * credentials are the AWS SDK's defaults unless given. The sinks are in meshgate-aws.
 */
public record AwsEventSettings(Optional<String> eventBridgeBus, String source, Optional<URI> eventBridgeEndpoint,
        Optional<String> snsTopicArn, Optional<URI> snsEndpoint, Optional<String> region) {
    public static final String DEFAULT_SOURCE = "meshgate";

    public AwsEventSettings {
        Objects.requireNonNull(eventBridgeBus, "eventBridgeBus");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(eventBridgeEndpoint, "eventBridgeEndpoint");
        Objects.requireNonNull(snsTopicArn, "snsTopicArn");
        Objects.requireNonNull(snsEndpoint, "snsEndpoint");
        Objects.requireNonNull(region, "region");
    }

    public static AwsEventSettings none() {
        return new AwsEventSettings(Optional.empty(), DEFAULT_SOURCE, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    /** Whether any AWS sink is asked for. */
    public boolean any() {
        return eventBridgeBus.isPresent() || snsTopicArn.isPresent();
    }
}
