package meshgate.sandbox.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.jetty.http.HttpStatus;

/**
 * A failed request, rendered in MESH's error shapes: v2 {@code {"message_id"?, "detail":[{"event","code","msg"}]}},
 * v1 {@code {"messageID"?, "errorEvent", "errorCode", "errorDescription"}}; request-validation failures use the
 * {@code {"detail":[{"loc","msg","type"}]}} shape.
 */
public final class ApiError extends RuntimeException {
    private final int status;
    private final String event;
    private final String code;
    private final String messageId;
    private final String invalidField;

    private ApiError(int status, String event, String code, String msg, String messageId, String invalidField) {
        super(msg, null, false, false);
        this.status = status;
        this.event = event;
        this.code = code;
        this.messageId = messageId;
        this.invalidField = invalidField;
    }

    /** An error with a MESH event, code and description. */
    public static ApiError mesh(int status, String event, String code, String msg) {
        return new ApiError(status, event, code, msg, null, null);
    }

    /** An error described only by its HTTP status phrase, e.g. {@code Not Found}. */
    public static ApiError bare(int status) {
        return mesh(status, "", "", HttpStatus.getMessage(status));
    }

    /** 400 for a missing or invalid header or query parameter: {@code location} is header, query or path. */
    public static ApiError invalid(String location, String field, String msg) {
        return new ApiError(400, "", "", msg, null, location + ":" + field);
    }

    public static ApiError unregisteredRecipient() {
        return mesh(417, "SEND", "12", "Unregistered to address");
    }

    public static ApiError invalidChunks() {
        return mesh(417, "SEND", "InvalidHeaderChunks", "Invalid chunk values sent in mex-Chunk-Range header");
    }

    public static ApiError noSuchMessage() {
        return mesh(404, "RECEIVE", "20", "Message does not exist");
    }

    public static ApiError gone() {
        return mesh(410, "SEND", "Message already accepted", "Message no longer available for download");
    }

    public static ApiError unsupportedEncoding() {
        return mesh(422, "SEND", "UnsupportedContentEncoding", "Unsupported content encoding");
    }

    public ApiError withMessageId(String id) {
        return new ApiError(status, event, code, getMessage(), id, invalidField);
    }

    public int status() {
        return status;
    }

    public Reply toReply(ApiVersion version, ObjectMapper json) {
        ObjectNode body = json.createObjectNode();
        if (invalidField != null) {
            String[] loc = invalidField.split(":", 2);
            ObjectNode item = body.putArray("detail").addObject();
            item.putArray("loc").add(loc[0]).add(loc[1]);
            item.put("msg", getMessage());
            item.put("type", "value_error");
            return Reply.json(status, body, ApiVersion.V2);
        }
        if (version == ApiVersion.V1) {
            if (messageId != null) {
                body.put("messageID", messageId);
            }
            body.put("errorEvent", event).put("errorCode", code).put("errorDescription", getMessage());
        } else {
            if (messageId != null) {
                body.put("message_id", messageId);
            }
            body.putArray("detail").addObject().put("event", event).put("code", code).put("msg", getMessage());
        }
        return Reply.json(status, body, version);
    }
}
