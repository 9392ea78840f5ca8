package meshgate.aws.events;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import meshgate.gateway.config.AwsEventSettings;
import meshgate.gateway.config.EventSettings;
import meshgate.gateway.events.EventSink;
import meshgate.gateway.events.EventSinkProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * The gateway's AWS event sinks, found through {@link java.util.ServiceLoader}: EventBridge when
 * {@code events.eventbridge_bus} is set, SNS when {@code events.sns_topic_arn} is. Region and credentials are the AWS
 * SDK's defaults unless {@code events.aws_region} is given; an endpoint may be set for a VPC endpoint or a test server.
 */
public final class AwsEventSinkProvider implements EventSinkProvider {
    @Override
    public List<EventSink> sinks(EventSettings settings, Clock clock) {
        AwsEventSettings aws = settings.aws();
        List<EventSink> sinks = new ArrayList<>();
        aws.eventBridgeBus().ifPresent(bus -> {
            var builder = configure(EventBridgeClient.builder(), aws);
            aws.eventBridgeEndpoint().ifPresent(builder::endpointOverride);
            sinks.add(new EventBridgeSink(builder.build(), bus, aws.source()));
        });
        aws.snsTopicArn().ifPresent(topic -> {
            var builder = configure(SnsClient.builder(), aws);
            aws.snsEndpoint().ifPresent(builder::endpointOverride);
            sinks.add(new SnsSink(builder.build(), topic, aws.source()));
        });
        return sinks;
    }

    private static <B extends AwsClientBuilder<B, ?> & software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder<B, ?>>
            B configure(B builder, AwsEventSettings aws) {
        aws.region().map(Region::of).ifPresent(builder::region);
        return builder.httpClientBuilder(Apache5HttpClient.builder());
    }
}
