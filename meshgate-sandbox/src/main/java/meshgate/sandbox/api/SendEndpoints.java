package meshgate.sandbox.api;

import java.io.IOException;
import java.time.Instant;
import java.util.Locale;
import meshgate.protocol.ChunkRange;
import meshgate.protocol.MeshHeaders;
import meshgate.sandbox.SandboxMailbox;
import meshgate.sandbox.store.MessageEnvelope;
import meshgate.sandbox.store.MessageState;
import meshgate.sandbox.store.MessageStatus;
import meshgate.sandbox.store.StoredMessage;

/**
 * {@code POST /outbox} (a message, or its first chunk) and {@code POST /outbox/{id}/{n}} (chunk n). A message of
 * several chunks stays {@code uploading}, in nobody's inbox, until every chunk has arrived; chunks may be uploaded
 * again while it is uploading. Workflow registration is not enforced, as in the public sandbox.
 */
final class SendEndpoints {
    private final SandboxContext ctx;

    SendEndpoints(SandboxContext ctx) {
        this.ctx = ctx;
    }

    Reply send(Exchange ex) throws IOException {
        String sender = ex.mailboxParam(0);
        // MESH checks the token before the request's own headers: a bad token is a 403 whatever else is wrong.
        ctx.auth().authenticate(ex, sender);
        String to = MexHeaders.required(ex, MeshHeaders.TO);
        MexHeaders.required(ex, MeshHeaders.WORKFLOW_ID);
        MexHeaders.validateSend(ex);
        String encoding = MexHeaders.contentEncoding(ex);
        if (to.isBlank()) {
            throw ApiError.mesh(400, "SEND", "08", "TO_DTS missing");
        }
        ChunkRange range = firstChunkRange(ex.header(MeshHeaders.CHUNK_RANGE));
        SandboxMailbox recipient = ctx.directory().find(to).orElseThrow(ApiError::unregisteredRecipient);
        StoredMessage message = receive(ex, sender, recipient.id(), encoding, range.total());
        if (ex.version() == ApiVersion.V1) {
            return Reply.json(202, ctx.json().createObjectNode().put("messageID", message.id()), ApiVersion.V1);
        }
        return Reply.json(202, ctx.json().createObjectNode().put("message_id", message.id()), ApiVersion.PLAIN_JSON);
    }

    Reply chunk(Exchange ex) throws IOException {
        String sender = ex.mailboxParam(0);
        String messageId = ex.messageIdParam(1);
        int number = chunkNumber(ex.param(2));
        ctx.auth().authenticate(ex, sender);
        StoredMessage message = ctx.store().find(messageId).orElseThrow(() -> ApiError.bare(404));
        if (!sender.equals(message.envelope().sender())) {
            throw ApiError.bare(403);
        }
        ChunkRange range = chunkRange(ex.header(MeshHeaders.CHUNK_RANGE), messageId);
        if (range.number() != number || range.total() != message.envelope().totalChunks()) {
            throw ApiError.invalidChunks().withMessageId(messageId);
        }
        if (message.status() != MessageStatus.UPLOADING) {
            throw ApiError.bare(423).withMessageId(messageId);
        }
        if (message.envelope().isReport() || number > message.envelope().totalChunks()) {
            throw ApiError.bare(406).withMessageId(messageId);
        }
        String encoding = MexHeaders.contentEncoding(ex);
        if (!sameEncoding(encoding, message.envelope().contentEncoding())) {
            throw ApiError.mesh(417, "SEND", "", "cannot change content encoding").withMessageId(messageId);
        }
        ctx.store().writeChunk(messageId, number, ex.body());
        completeIfAllChunksArrived(messageId);
        if (ex.version() == ApiVersion.V1) {
            return Reply.json(202, ctx.json().createObjectNode().put("messageID", messageId).put("blockID", number),
                    ApiVersion.V1);
        }
        // MESH's v2 answer to a chunk has no fields: the JSON null.
        return Reply.json(202, ctx.json().nullNode(), ApiVersion.PLAIN_JSON);
    }

    /** Stores chunk 1 under a new id and records the message; 417 COLLECT/02 when the body is empty. */
    StoredMessage receive(Exchange ex, String sender, String recipient, String encoding, int totalChunks)
            throws IOException {
        String messageId = newId();
        long size = ctx.store().writeChunk(messageId, 1, ex.body());
        if (size == 0) {
            ctx.store().remove(messageId);
            throw ApiError.mesh(417, "COLLECT", "02", "Data file is missing or inaccessible.");
        }
        Instant now = ctx.clock().instant();
        MessageEnvelope envelope = new MessageEnvelope(messageId, MeshHeaders.TYPE_DATA, sender, recipient,
                ex.header(MeshHeaders.WORKFLOW_ID).trim(),
                MexHeaders.trimmedOrNull(ex, MeshHeaders.SUBJECT),
                MexHeaders.trimmedOrNull(ex, MeshHeaders.LOCAL_ID),
                MexHeaders.trimmedOrNull(ex, "mex-partnerid"),
                fileName(ex, messageId),
                contentType(ex),
                encoding,
                MexHeaders.flag(ex, MeshHeaders.CONTENT_COMPRESSED),
                MexHeaders.flag(ex, MeshHeaders.CONTENT_ENCRYPTED),
                MexHeaders.trimmedOrNull(ex, MeshHeaders.CONTENT_CHECKSUM),
                totalChunks, now, null);
        MessageState state = totalChunks == 1 ? MessageState.uploading().accepted(now, ctx.store().nextArrival())
                : MessageState.uploading();
        StoredMessage message = new StoredMessage(envelope, state);
        ctx.store().add(message);
        return message;
    }

    private void completeIfAllChunksArrived(String messageId) {
        StoredMessage message = ctx.store().find(messageId).orElseThrow(ApiError::noSuchMessage);
        for (int n = 1; n <= message.envelope().totalChunks(); n++) {
            if (!ctx.store().hasChunk(messageId, n)) {
                return;
            }
        }
        Instant now = ctx.clock().instant();
        ctx.store().update(messageId, m -> m.status() == MessageStatus.UPLOADING
                ? m.with(m.state().accepted(now, ctx.store().nextArrival())) : m);
    }

    private String newId() {
        String id = ctx.ids().next();
        while (ctx.store().contains(id)) {
            id = ctx.ids().next();
        }
        return id;
    }

    /** What the sender said the content is: mex-content-type, else the HTTP Content-Type of the first chunk. */
    private static String contentType(Exchange ex) {
        String mex = MexHeaders.trimmedOrNull(ex, MeshHeaders.MEX_CONTENT_TYPE);
        return mex != null ? mex : MexHeaders.trimmedOrNull(ex, MeshHeaders.CONTENT_TYPE);
    }

    private static String fileName(Exchange ex, String messageId) {
        String name = MexHeaders.trimmedOrNull(ex, MeshHeaders.FILE_NAME);
        return name == null ? messageId + ".dat" : name;
    }

    private static ChunkRange firstChunkRange(String header) {
        if (header == null || header.isBlank()) {
            return ChunkRange.single();
        }
        ChunkRange range = chunkRange(header, null);
        if (range.number() != 1) {
            throw ApiError.invalidChunks();
        }
        return range;
    }

    private static ChunkRange chunkRange(String header, String messageId) {
        try {
            return ChunkRange.parse(header);
        } catch (IllegalArgumentException e) {
            ApiError error = ApiError.invalidChunks();
            throw messageId == null ? error : error.withMessageId(messageId);
        }
    }

    private static int chunkNumber(String value) {
        try {
            int number = Integer.parseInt(value);
            if (number >= 1) {
                return number;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiError.invalid("path", "chunk_number", "value is not a valid chunk number");
    }

    private static boolean sameEncoding(String a, String b) {
        return (a == null ? "" : a.toLowerCase(Locale.ROOT)).equals(b == null ? "" : b.toLowerCase(Locale.ROOT));
    }
}
