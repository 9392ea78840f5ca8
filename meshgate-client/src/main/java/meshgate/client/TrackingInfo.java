package meshgate.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * MESH's tracking record of a sent message. Status fields are set when MESH reports an outcome other than plain
 * delivery (e.g. status code 14 when the recipient did not collect the message in time).
 */
public record TrackingInfo(
        String messageId,
        Optional<String> localId,
        Optional<String> workflowId,
        Optional<String> recipient,
        Optional<String> fileName,
        DeliveryStatus status,
        Optional<String> statusCode,
        Optional<String> statusEvent,
        Optional<String> statusDescription,
        Optional<String> uploadTimestamp,
        Optional<String> expiryTime,
        Optional<Integer> chunkCount) {

    /** Reads the v2 (snake_case) or v1 (camelCase) shape. */
    static TrackingInfo fromJson(JsonNode json) {
        return new TrackingInfo(
                text(json, "message_id", "messageId").orElse(""),
                text(json, "local_id", "localId"),
                text(json, "workflow_id", "workflowId"),
                text(json, "recipient", "recipient"),
                text(json, "filename", "fileName"),
                DeliveryStatus.parse(text(json, "status", "status").orElse(null)),
                text(json, "status_code", "statusCode"),
                text(json, "status_event", "statusEvent"),
                text(json, "status_description", "statusDescription"),
                text(json, "upload_timestamp", "uploadTimestamp"),
                text(json, "expiry_time", "expiryTime"),
                // Only the v1 shape (tracking by local id always answers with it) says how many chunks were sent.
                text(json, "chunk_count", "chunkCount").flatMap(TrackingInfo::integer));
    }

    private static Optional<Integer> integer(String value) {
        try {
            return Optional.of(Integer.valueOf(value.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> text(JsonNode json, String v2, String v1) {
        JsonNode node = json.hasNonNull(v2) ? json.get(v2) : json.get(v1);
        return node == null || node.isNull() || node.asText().isEmpty() ? Optional.empty() : Optional.of(node.asText());
    }
}
