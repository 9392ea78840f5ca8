package meshgate.gateway.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What the gateway tells the world when it has stored a received message. REPORT messages carry MESH's status fields
 * (e.g. status code 14 and the linked message id of a message its recipient never collected).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InboundEvent(
        @JsonProperty("event") String event,
        @JsonProperty("mailbox") String mailbox,
        @JsonProperty("message_id") String messageId,
        @JsonProperty("sender") String sender,
        @JsonProperty("workflow_id") String workflowId,
        @JsonProperty("message_type") String messageType,
        @JsonProperty("key") String key,
        @JsonProperty("size") long size,
        @JsonProperty("subject") String subject,
        @JsonProperty("local_id") String localId,
        @JsonProperty("file_name") String fileName,
        @JsonProperty("status_code") String statusCode,
        @JsonProperty("status_event") String statusEvent,
        @JsonProperty("status_description") String statusDescription,
        @JsonProperty("status_success") String statusSuccess,
        @JsonProperty("linked_message_id") String linkedMessageId) {
    public static final String STORED = "mesh_message_stored";
}
