package meshgate.gateway.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The fields of an event, the same for every sink (the EventBridge {@code detail}, the body of a webhook, a log line).
 * {@code mailbox} is this gateway's mailbox: the recipient of a message received, the sender of a message sent.
 * {@code bucket} is the S3 bucket of {@code key} (absent with a local folder store); {@code status} is
 * {@code received}, {@code accepted}, {@code acknowledged}, {@code undeliverable} or {@code expired};
 * {@code time} is when it happened (ISO-8601, UTC). The {@code status_*} and {@code linked_message_id} fields are
 * MESH's, on a report. A field with no value is left out. docs/events.md is the schema.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"mailbox", "message_id", "sender", "recipient", "workflow_id", "type", "bucket", "key", "size",
        "status", "local_id", "time"})
public record EventDetail(
        @JsonProperty("mailbox") String mailbox,
        @JsonProperty("message_id") String messageId,
        @JsonProperty("sender") String sender,
        @JsonProperty("recipient") String recipient,
        @JsonProperty("workflow_id") String workflowId,
        @JsonProperty("type") String type,
        @JsonProperty("bucket") String bucket,
        @JsonProperty("key") String key,
        @JsonProperty("size") long size,
        @JsonProperty("status") String status,
        @JsonProperty("local_id") String localId,
        @JsonProperty("time") String time,
        @JsonProperty("subject") String subject,
        @JsonProperty("file_name") String fileName,
        @JsonProperty("status_code") String statusCode,
        @JsonProperty("status_event") String statusEvent,
        @JsonProperty("status_description") String statusDescription,
        @JsonProperty("status_success") String statusSuccess,
        @JsonProperty("linked_message_id") String linkedMessageId) {
}
