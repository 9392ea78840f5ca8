package meshgate.sandbox.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import meshgate.sandbox.SandboxMailbox;
import meshgate.sandbox.store.MessageEnvelope;
import meshgate.sandbox.store.StoredMessage;

/**
 * {@code GET /inbox/rich} and {@code GET /outbox/rich}: a mailbox's messages with their details, sent since
 * {@code start_time} (default 30 days ago), {@code max_results} at a time (default 100; the outbox at most 100), the
 * next page linked as in the inbox list. Shapes as the public MESH sandbox gives them.
 */
final class RichListEndpoints {
    private static final DateTimeFormatter ISO_MICROS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

    private final SandboxContext ctx;

    RichListEndpoints(SandboxContext ctx) {
        this.ctx = ctx;
    }

    Reply inbox(Exchange ex) {
        String mailbox = ex.mailboxParam(0);
        ctx.auth().authenticate(ex, mailbox);
        return page(ex, mailbox, "inbox", ctx.store().inbox(mailbox), maxResults(ex, 1, 2000));
    }

    Reply outbox(Exchange ex) {
        String mailbox = ex.mailboxParam(0);
        ctx.auth().authenticate(ex, mailbox);
        List<StoredMessage> sent = ctx.store().matching(m -> mailbox.equals(m.envelope().sender())).stream()
                .sorted(Comparator.comparing((StoredMessage m) -> m.envelope().uploadedAt())
                        .thenComparing(StoredMessage::id))
                .toList();
        return page(ex, mailbox, "outbox", sent, Math.min(maxResults(ex, 10, 5000), 100));
    }

    private Reply page(Exchange ex, String mailbox, String list, List<StoredMessage> all, int maxResults) {
        Instant from = startTime(ex);
        List<StoredMessage> since = all.stream().filter(m -> m.envelope().uploadedAt().isAfter(from)).toList();
        int start = ex.query("continue_from")
                .map(token -> (int) InboxCursor.decode(ctx.json(), mailbox + "/" + list, token).orElse(0)).orElse(0);
        List<StoredMessage> page = since.subList(Math.min(start, since.size()),
                Math.min(start + maxResults, since.size()));

        ObjectNode body = ctx.json().createObjectNode();
        body.put("valid_at", ISO_MICROS.format(ctx.clock().instant()));
        ArrayNode messages = body.putArray("messages");
        page.forEach(m -> messages.add(details(m, list.equals("outbox"))));
        String self = "/messageexchange/" + mailbox + "/" + list + "/rich?start_time="
                + URLEncoder.encode(ISO_MICROS.format(from), StandardCharsets.UTF_8) + "&max_results=" + maxResults;
        ObjectNode links = body.putObject("links");
        links.put("self", self);
        if (start + page.size() < since.size()) {
            links.put("next", self + "&continue_from="
                    + InboxCursor.encode(ctx.json(), mailbox + "/" + list, start + page.size()));
        }
        return Reply.json(200, body, ApiVersion.V2);
    }

    private ObjectNode details(StoredMessage message, boolean outbox) {
        MessageEnvelope e = message.envelope();
        ObjectNode node = ctx.json().createObjectNode();
        node.put("message_id", e.messageId());
        Instant accepted = message.state().acceptedAt();
        if (accepted != null) {
            node.put("expiry_timestamp", ISO_MICROS.format(accepted.plus(ctx.messageExpiry())));
        }
        put(node, "local_id", e.localId(), outbox);
        put(node, "message_type", e.messageType(), outbox);
        node.put("recipient", e.recipient());
        put(node, "recipient_name", ctx.directory().find(e.recipient()).map(SandboxMailbox::name).orElse(null), outbox);
        put(node, "sender", e.sender(), false);
        put(node, "sender_name", ctx.directory().find(e.sender()).map(SandboxMailbox::name).orElse(null), false);
        // The inbox's sent date is when the message was accepted; the outbox's when it was uploaded.
        Instant sent = outbox ? e.uploadedAt() : accepted;
        if (sent != null) {
            node.put("sent_date", ISO_MICROS.format(sent));
        }
        node.put("status", message.status().v2());
        put(node, "status_code", message.state().statusCode(), outbox);
        put(node, "workflow_id", e.workflowId(), outbox);
        node.put("total_chunks", e.totalChunks());
        return node;
    }

    /** Leaves a missing value out, or (where MESH's outbox does so) gives it as an empty string. */
    private static void put(ObjectNode node, String field, String value, boolean emptyWhenMissing) {
        if (value != null) {
            node.put(field, value);
        } else if (emptyWhenMissing) {
            node.put(field, "");
        }
    }

    private Instant startTime(Exchange ex) {
        return ex.query("start_time").map(RichListEndpoints::parseTime)
                .orElseGet(() -> ctx.clock().instant().minus(java.time.Duration.ofDays(30)));
    }

    private static Instant parseTime(String value) {
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notIso) {
                throw ApiError.invalid("query", "start_time", "invalid datetime format");
            }
        }
    }

    /** The public sandbox's bounds differ: the rich inbox takes 1 to 2000, the rich outbox 10 to 5000. */
    private static int maxResults(Exchange ex, int least, int most) {
        String value = ex.query("max_results").orElse("100");
        try {
            int n = Integer.parseInt(value);
            if (n >= least && n <= most) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiError.invalid("query", "max_results", "ensure this value is between " + least + " and " + most);
    }
}
