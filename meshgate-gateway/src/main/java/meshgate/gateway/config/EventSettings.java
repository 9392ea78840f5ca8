package meshgate.gateway.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the gateway reports what happened to messages: a log line per event, an HTTP POST to a {@code webhook},
 * a program run per event ({@code command}: the program and its arguments, no shell; empty for none), and AWS
 * (EventBridge, SNS).
 */
public record EventSettings(boolean log, Optional<WebhookSettings> webhook, List<String> command,
        AwsEventSettings aws) {
    public EventSettings {
        Objects.requireNonNull(webhook, "webhook");
        command = List.copyOf(command);
        Objects.requireNonNull(aws, "aws");
    }

    public EventSettings(boolean log, Optional<WebhookSettings> webhook, List<String> command) {
        this(log, webhook, command, AwsEventSettings.none());
    }

    public static EventSettings defaults() {
        return new EventSettings(true, Optional.empty(), List.of());
    }
}
