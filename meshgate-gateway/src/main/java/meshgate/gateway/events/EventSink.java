package meshgate.gateway.events;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where events go. {@link #emit} returns only once the event is delivered; a failure throws. A sink that delivers
 * several events in one call (EventBridge takes ten) overrides {@link #emitAll}.
 */
public interface EventSink extends AutoCloseable {
    void emit(MeshEvent event) throws Exception;

    /** Delivers each event; returns those it could not deliver, with why. Those not returned were delivered. */
    default Map<MeshEvent, Exception> emitAll(List<MeshEvent> events) {
        Map<MeshEvent, Exception> failed = new LinkedHashMap<>();
        for (MeshEvent event : events) {
            try {
                emit(event);
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                failed.put(event, e);
            }
        }
        return failed;
    }

    /** Lets go of what the sink holds (connections); most hold nothing. */
    @Override
    default void close() {
    }
}
