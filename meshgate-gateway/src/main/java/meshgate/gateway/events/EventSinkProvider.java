package meshgate.gateway.events;

import java.time.Clock;
import java.util.List;
import meshgate.gateway.config.EventSettings;

/**
 * Event sinks that live outside the gateway (EventBridge and SNS, in meshgate-aws), found with
 * {@link java.util.ServiceLoader}: the gateway never depends on the module that provides them. An implementation is
 * registered in {@code META-INF/services/meshgate.gateway.events.EventSinkProvider}.
 */
public interface EventSinkProvider {
    /** The sinks {@code settings} ask of this provider; empty when they name none of its sinks. */
    List<EventSink> sinks(EventSettings settings, Clock clock);
}
