package meshgate.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.OptionalLong;

/** The opaque {@code continue_from} token of inbox paging: the mailbox and the last arrival position returned. */
final class InboxCursor {
    private InboxCursor() {
    }

    static String encode(ObjectMapper json, String mailbox, long lastArrival) {
        String body = json.createObjectNode().put("pk", mailbox).put("last", lastArrival).toString();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(body.getBytes(StandardCharsets.UTF_8));
    }

    /** The arrival position to continue after, or empty when the token is not one of ours. */
    static OptionalLong decode(ObjectMapper json, String mailbox, String token) {
        try {
            JsonNode node = json.readTree(Base64.getUrlDecoder().decode(token));
            if (node != null && mailbox.equals(node.path("pk").asText()) && node.path("last").canConvertToLong()) {
                return OptionalLong.of(node.path("last").asLong());
            }
        } catch (IllegalArgumentException | java.io.IOException e) {
            // not a cursor: the caller may try it as a v1 message id
        }
        return OptionalLong.empty();
    }
}
