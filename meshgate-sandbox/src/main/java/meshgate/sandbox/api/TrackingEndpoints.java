package meshgate.sandbox.api;

import java.util.List;
import java.util.Locale;
import meshgate.sandbox.store.StoredMessage;

/**
 * Outbox tracking: by message id ({@code ?messageID=}, v1 or v2 by Accept), by path id ({@code /outbox/{id}/status},
 * always v2) and the deprecated lookup by local id (always v1; 300 when several match). Only the sender may track a
 * message; anyone else gets 404, as MESH answers.
 */
final class TrackingEndpoints {
    private final SandboxContext ctx;
    private final TrackingView view;

    TrackingEndpoints(SandboxContext ctx) {
        this.ctx = ctx;
        this.view = new TrackingView(ctx);
    }

    Reply byMessageId(Exchange ex) {
        String mailbox = ex.mailboxParam(0);
        ctx.auth().authenticate(ex, mailbox);
        String messageId = ex.query("messageID").map(id -> id.trim().toUpperCase(Locale.ROOT))
                .filter(id -> !id.isBlank())
                .orElseThrow(() -> ApiError.invalid("query", "messageID", "field required"));
        StoredMessage message = sentBy(mailbox, messageId);
        ApiVersion version = ex.version();
        return Reply.json(200, version == ApiVersion.V1 ? view.v1(message) : view.v2(message), version);
    }

    Reply byPathId(Exchange ex) {
        String mailbox = ex.mailboxParam(0);
        ctx.auth().authenticate(ex, mailbox);
        return Reply.json(200, view.v2(sentBy(mailbox, ex.messageIdParam(1))), ApiVersion.V2);
    }

    Reply byLocalId(Exchange ex) {
        String mailbox = ex.mailboxParam(0);
        ctx.auth().authenticate(ex, mailbox);
        String localId = ex.param(1);
        List<StoredMessage> matches = ctx.store().matching(
                m -> mailbox.equals(m.envelope().sender()) && localId.equals(m.envelope().localId()));
        if (matches.isEmpty()) {
            throw ApiError.bare(404);
        }
        if (matches.size() > 1) {
            throw ApiError.mesh(300, "", "", "Multiple messages found");
        }
        return Reply.json(200, view.v1(matches.get(0)), ApiVersion.V1);
    }

    private StoredMessage sentBy(String mailbox, String messageId) {
        return ctx.store().find(messageId)
                .filter(m -> mailbox.equals(m.envelope().sender()))
                .orElseThrow(() -> ApiError.bare(404));
    }
}
