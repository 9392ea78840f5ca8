package meshgate.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** An HTTP response waiting to be written: status, headers, and an optional body. */
public record Reply(int status, Map<String, String> headers, ReplyBody body) {
    public static Reply empty(int status) {
        return new Reply(status, new LinkedHashMap<>(), null);
    }

    public static Reply json(int status, JsonNode node, ApiVersion version) {
        return json(status, node, version.mediaType());
    }

    public static Reply json(int status, JsonNode node, String contentType) {
        Reply reply = new Reply(status, new LinkedHashMap<>(),
                ReplyBody.of(node.toString().getBytes(StandardCharsets.UTF_8)));
        return reply.header("Content-Type", contentType);
    }

    /** Adds a header unless the value is null or empty (MESH leaves such headers out). */
    public Reply header(String name, String value) {
        if (value != null && !value.isEmpty()) {
            headers.put(name, value);
        }
        return this;
    }

    public boolean successful() {
        return status >= 200 && status < 300;
    }
}
