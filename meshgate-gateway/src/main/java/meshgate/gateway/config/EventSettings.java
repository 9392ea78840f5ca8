package meshgate.gateway.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the gateway reports what happened to messages: a log line per event, an HTTP POST to a {@code webhook},
 * and a program run per event ({@code command}: the program and its arguments, no shell; empty for none).
 */
public record EventSettings(boolean log, Optional<WebhookSettings> webhook, List<String> command) {
    public EventSettings {
        Objects.requireNonNull(webhook, "webhook");
        command = List.copyOf(command);
    }

    public static EventSettings defaults() {
        return new EventSettings(true, Optional.empty(), List.of());
    }
}
