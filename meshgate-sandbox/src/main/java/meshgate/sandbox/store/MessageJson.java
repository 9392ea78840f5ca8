package meshgate.sandbox.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** The on-disk form of a message's metadata, written by hand so the format stays plain and stable. */
final class MessageJson {
    private final ObjectMapper mapper;

    MessageJson(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    ObjectNode write(StoredMessage message) {
        MessageEnvelope e = message.envelope();
        MessageState s = message.state();
        ObjectNode node = mapper.createObjectNode();
        node.put("message_id", e.messageId());
        node.put("message_type", e.messageType());
        node.put("sender", e.sender());
        node.put("recipient", e.recipient());
        node.put("workflow_id", e.workflowId());
        node.put("subject", e.subject());
        node.put("local_id", e.localId());
        node.put("partner_id", e.partnerId());
        node.put("file_name", e.fileName());
        node.put("content_type", e.contentType());
        node.put("content_encoding", e.contentEncoding());
        node.put("compressed", e.compressed());
        node.put("encrypted", e.encrypted());
        node.put("checksum", e.checksum());
        node.put("total_chunks", e.totalChunks());
        node.put("uploaded_at", text(e.uploadedAt()));
        node.put("linked_message_id", e.linkedMessageId());
        node.put("status", s.status().name());
        node.put("accepted_at", text(s.acceptedAt()));
        node.put("acknowledged_at", text(s.acknowledgedAt()));
        node.put("arrival", s.arrival());
        node.put("status_code", s.statusCode());
        node.put("status_event", s.statusEvent());
        node.put("status_description", s.statusDescription());
        node.put("status_timestamp", text(s.statusTimestamp()));
        return node;
    }

    StoredMessage read(JsonNode node) {
        MessageEnvelope envelope = new MessageEnvelope(
                str(node, "message_id"), str(node, "message_type"), str(node, "sender"), str(node, "recipient"),
                str(node, "workflow_id"), str(node, "subject"), str(node, "local_id"), str(node, "partner_id"),
                str(node, "file_name"), str(node, "content_type"), str(node, "content_encoding"),
                node.path("compressed").asBoolean(), node.path("encrypted").asBoolean(), str(node, "checksum"),
                node.path("total_chunks").asInt(1), instant(node, "uploaded_at"), str(node, "linked_message_id"));
        MessageState state = new MessageState(MessageStatus.valueOf(str(node, "status")),
                instant(node, "accepted_at"), instant(node, "acknowledged_at"), node.path("arrival").asLong(),
                str(node, "status_code"), str(node, "status_event"), str(node, "status_description"),
                instant(node, "status_timestamp"));
        return new StoredMessage(envelope, state);
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static String str(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static Instant instant(JsonNode node, String field) {
        String value = str(node, field);
        return value == null ? null : Instant.parse(value);
    }
}
