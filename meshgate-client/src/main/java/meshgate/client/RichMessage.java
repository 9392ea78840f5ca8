package meshgate.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * One message of MESH's rich inbox or outbox list ({@code GET .../inbox/rich}, {@code .../outbox/rich}): its id and
 * routing, status, and times as MESH gives them (ISO-8601 text).
 */
public record RichMessage(
        String messageId,
        Optional<String> localId,
        String messageType,
        Optional<String> sender,
        String recipient,
        Optional<String> workflowId,
        DeliveryStatus status,
        Optional<String> statusCode,
        Optional<String> sentDate,
        Optional<String> expiryTimestamp,
        int totalChunks) {

    static RichMessage fromJson(JsonNode json) {
        return new RichMessage(json.path("message_id").asText(""), text(json, "local_id"),
                text(json, "message_type").orElse("DATA"), text(json, "sender"), json.path("recipient").asText(""),
                text(json, "workflow_id"), DeliveryStatus.parse(text(json, "status").orElse(null)),
                text(json, "status_code"), text(json, "sent_date"), text(json, "expiry_timestamp"),
                json.path("total_chunks").asInt(1));
    }

    private static Optional<String> text(JsonNode json, String field) {
        JsonNode node = json.get(field);
        return node == null || node.isNull() || node.asText().isEmpty() ? Optional.empty() : Optional.of(node.asText());
    }
}
