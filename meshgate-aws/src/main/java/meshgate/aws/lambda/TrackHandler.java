package meshgate.aws.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * The track function, invoked by the {@code tracking_schedule}: asks MESH how each accepted message stands
 * (acknowledged, undeliverable, expired), records it, and delivers the events owed.
 */
public class TrackHandler extends MeshGateHandler {
    public TrackHandler() {
    }

    public TrackHandler(Map<String, String> environment) {
        super(environment);
    }

    @Override
    protected JsonNode handle(JsonNode event, Deadline deadline) {
        LambdaRuntime runtime = runtime();
        int tracked = runtime.parts().tracker().track();
        int delivered = runtime.parts().events().deliverOutboundDue();
        return JSON.createObjectNode().put("tracked", tracked).put("events_delivered", delivered);
    }
}
