package meshgate.sandbox.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.Predicate;
import meshgate.protocol.MeshHeaders;
import meshgate.sandbox.store.MessageStatus;
import meshgate.sandbox.store.StoredMessage;

/** Handshake, inbox listing and count, download, HEAD, and acknowledgement. */
final class InboxEndpoints {
    private static final int DEFAULT_MAX_RESULTS = 500;

    private final SandboxContext ctx;

    InboxEndpoints(SandboxContext ctx) {
        this.ctx = ctx;
    }

    Reply handshake(Exchange ex) {
        String mailbox = ex.mailboxParam(0);
        // MESH checks the token before the request's own headers: a bad token is a 403 whatever else is wrong.
        ctx.auth().authenticate(ex, mailbox);
        MexHeaders.required(ex, MeshHeaders.CLIENT_VERSION);
        MexHeaders.required(ex, MeshHeaders.OS_NAME);
        MexHeaders.required(ex, MeshHeaders.OS_VERSION);
        if (ex.version() == ApiVersion.V1) {
            return Reply.json(200, ctx.json().createObjectNode().put("mailboxId", mailbox), ApiVersion.V1);
        }
        return Reply.empty(200);
    }

    /** {@code POST /messageexchange/{mailbox}/update}: MESH's client-update check; 200 with no body. */
    Reply update(Exchange ex) {
        ctx.auth().authenticate(ex, ex.mailboxParam(0));
        return Reply.empty(200);
    }

    Reply list(Exchange ex) {
        String mailbox = ex.mailboxParam(0);
        ctx.auth().authenticate(ex, mailbox);
        int maxResults = maxResults(ex);
        String filterText = ex.query("workflow_filter").orElse(null);
        if (filterText != null && (filterText.length() < 2 || filterText.length() > 255)) {
            throw ApiError.invalid("query", "workflow_filter", "ensure this value has 2 to 255 characters");
        }
        List<StoredMessage> inbox = ctx.store().inbox(mailbox);
        long after = ex.query("continue_from").map(token -> continueAfter(mailbox, token, inbox)).orElse(0L);
        Predicate<String> filter = filterText == null ? wf -> true : WorkflowFilter.parse(filterText);
        List<StoredMessage> candidates = inbox.stream()
                .filter(m -> m.state().arrival() > after)
                .filter(m -> filter.test(m.envelope().workflowId()))
                .toList();
        List<StoredMessage> page = candidates.subList(0, Math.min(maxResults, candidates.size()));

        ObjectNode body = ctx.json().createObjectNode();
        ArrayNode ids = body.putArray("messages");
        page.forEach(m -> ids.add(m.id()));
        if (ex.version() == ApiVersion.V1) {
            return Reply.json(200, body, ApiVersion.V1);
        }
        // As MESH builds them: only the query that differs from the defaults, and self without the cursor.
        List<String> query = new ArrayList<>();
        if (maxResults != DEFAULT_MAX_RESULTS) {
            query.add("max_results=" + maxResults);
        }
        if (filterText != null) {
            query.add("workflow_filter=" + encode(filterText));
        }
        String path = "/messageexchange/" + mailbox + "/inbox";
        ObjectNode links = body.putObject("links");
        links.put("self", query.isEmpty() ? path : path + "?" + String.join("&", query));
        if (candidates.size() > page.size()) {
            long last = page.get(page.size() - 1).state().arrival();
            query.add("continue_from=" + InboxCursor.encode(ctx.json(), mailbox, last));
            links.put("next", path + "?" + String.join("&", query));
        }
        body.put("approx_inbox_count", inbox.size());
        return Reply.json(200, body, ApiVersion.V2);
    }

    Reply count(Exchange ex) {
        String mailbox = ex.mailboxParam(0);
        ctx.auth().authenticate(ex, mailbox);
        int count = ctx.store().inbox(mailbox).size();
        ObjectNode body = ctx.json().createObjectNode().put("count", count);
        if (ex.version() == ApiVersion.V1) {
            body.put("internalID", UUID.randomUUID().toString()).put("allResultsIncluded", true);
        }
        return Reply.json(200, body, ApiVersion.PLAIN_JSON);
    }

    /** {@code GET /inbox/{id}}: chunk 1. */
    Reply download(Exchange ex) {
        String mailbox = ex.mailboxParam(0);
        ctx.auth().authenticate(ex, mailbox);
        return serve(ex, mailbox, 1);
    }

    /** {@code GET /inbox/{id}/{n}}. */
    Reply downloadChunk(Exchange ex) {
        String mailbox = ex.mailboxParam(0);
        ctx.auth().authenticate(ex, mailbox);
        return serve(ex, mailbox, chunkNumber(ex));
    }

    Reply head(Exchange ex) {
        String mailbox = ex.mailboxParam(0);
        ctx.auth().authenticate(ex, mailbox);
        StoredMessage message = ctx.store().find(ex.messageIdParam(1)).orElseThrow(ApiError::noSuchMessage);
        boolean sender = mailbox.equals(message.envelope().sender());
        boolean recipient = mailbox.equals(message.envelope().recipient());
        if (!sender && !recipient) {
            throw ApiError.noSuchMessage();
        }
        if (!sender && !message.status().downloadable()) {
            throw ApiError.gone().withMessageId(message.id());
        }
        Reply reply = DownloadReply.of(ctx.store(), message, 1, ex.acceptsGzip(), ex.version(), false);
        reply.headers().put("Mex-Chunk-Range", "1:" + message.envelope().totalChunks());
        return new Reply(200, reply.headers(), reply.body());
    }

    Reply acknowledge(Exchange ex) {
        String mailbox = ex.mailboxParam(0);
        ctx.auth().authenticate(ex, mailbox);
        String messageId = ex.messageIdParam(1);
        StoredMessage message = ctx.store().find(messageId).orElseThrow(ApiError::noSuchMessage);
        if (!mailbox.equals(message.envelope().recipient())) {
            throw ApiError.bare(403);
        }
        ctx.store().update(messageId, m -> m.status() == MessageStatus.ACCEPTED
                ? m.with(m.state().acknowledged(ctx.clock().instant())) : m);
        if (ex.version() == ApiVersion.V1) {
            return Reply.json(200, ctx.json().createObjectNode().put("messageId", messageId), ApiVersion.V1);
        }
        return Reply.empty(200);
    }

    private Reply serve(Exchange ex, String mailbox, int chunk) {
        StoredMessage message = ctx.store().find(ex.messageIdParam(1)).orElseThrow(ApiError::noSuchMessage);
        if (!mailbox.equals(message.envelope().recipient())) {
            throw ApiError.bare(403);
        }
        if (!message.status().downloadable()) {
            throw ApiError.gone().withMessageId(message.id());
        }
        // A report has no chunks; MESH answers any chunk of it with its headers and an empty body.
        if (!message.envelope().isReport() && chunk > message.envelope().totalChunks()) {
            throw ApiError.noSuchMessage();
        }
        return DownloadReply.of(ctx.store(), message, chunk, ex, ctx.gzipOnTheFly());
    }

    private static int chunkNumber(Exchange ex) {
        try {
            int number = Integer.parseInt(ex.param(2));
            if (number >= 1) {
                return number;
            }
        } catch (NumberFormatException e) {
            throw ApiError.invalid("path", "chunk_number", "value is not a valid integer");
        }
        throw ApiError.noSuchMessage();
    }

    private long continueAfter(String mailbox, String token, List<StoredMessage> inbox) {
        OptionalLong cursor = InboxCursor.decode(ctx.json(), mailbox, token);
        if (cursor.isPresent()) {
            return cursor.getAsLong();
        }
        // v1 clients continue from a message id
        return ctx.store().find(token)
                .filter(m -> mailbox.equals(m.envelope().recipient()))
                .map(m -> m.state().arrival())
                .orElseThrow(() -> ApiError.invalid("query", "continue_from", "invalid continue_from token"));
    }

    private static int maxResults(Exchange ex) {
        String value = ex.query("max_results").orElse(null);
        if (value == null) {
            return DEFAULT_MAX_RESULTS;
        }
        try {
            int max = Integer.parseInt(value.trim());
            if (max >= 10 && max <= 5000) {
                return max;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiError.invalid("query", "max_results", "ensure this value is between 10 and 5000");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
