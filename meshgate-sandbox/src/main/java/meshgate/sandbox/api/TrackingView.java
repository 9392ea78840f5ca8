package meshgate.sandbox.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import meshgate.sandbox.SandboxMailbox;
import meshgate.sandbox.store.MessageEnvelope;
import meshgate.sandbox.store.MessageState;
import meshgate.sandbox.store.MessageStore;
import meshgate.sandbox.store.StoredMessage;

/**
 * Tracking responses as MESH gives them: v2 snake_case (nulls left out, ISO times to the microsecond, local id and
 * recipient organisation name as empty strings when unknown); v1 camelCase (yyyyMMddHHmmss, Title-case status and
 * message type, empty strings for the empty text fields, the fields that have no value left out).
 */
final class TrackingView {
    /** As MESH writes them: UTC without a zone, always six fraction digits. */
    private static final DateTimeFormatter ISO_MICROS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);
    private final ObjectMapper json;
    private final MailboxDirectory directory;
    private final MessageStore store;
    private final Duration expiry;

    TrackingView(SandboxContext ctx) {
        this.json = ctx.json();
        this.directory = ctx.directory();
        this.store = ctx.store();
        this.expiry = ctx.messageExpiry();
    }

    ObjectNode v2(StoredMessage message) {
        MessageEnvelope e = message.envelope();
        MessageState s = message.state();
        Optional<SandboxMailbox> recipient = directory.find(e.recipient());
        ObjectNode node = json.createObjectNode();
        put(node, "message_id", e.messageId());
        node.put("local_id", orEmpty(e.localId()));
        put(node, "workflow_id", e.workflowId());
        put(node, "filename", e.fileName());
        put(node, "expiry_time", iso(expiresAt(message)));
        put(node, "upload_timestamp", iso(e.uploadedAt()));
        put(node, "recipient", e.recipient());
        put(node, "recipient_name", recipient.map(SandboxMailbox::name).orElse(null));
        put(node, "recipient_ods_code", recipient.map(SandboxMailbox::odsCode).orElse(null));
        put(node, "recipient_org_code", recipient.map(SandboxMailbox::odsCode).orElse(null));
        node.put("recipient_org_name", "");
        node.put("status_success", s.status().successful());
        put(node, "status", s.status().v2());
        put(node, "status_event", s.statusEvent());
        put(node, "status_timestamp", iso(s.statusTimestamp()));
        put(node, "status_description", s.statusDescription());
        put(node, "status_code", s.statusCode());
        return node;
    }

    ObjectNode v1(StoredMessage message) {
        MessageEnvelope e = message.envelope();
        MessageState s = message.state();
        Optional<SandboxMailbox> recipient = directory.find(e.recipient());
        Optional<SandboxMailbox> sender = directory.find(e.sender());
        boolean failed = !s.status().successful();
        ObjectNode node = json.createObjectNode();
        node.put("addressType", "ALL");
        node.put("checksum", orEmpty(e.checksum()));
        node.put("chunkCount", e.totalChunks());
        node.put("compressFlag", e.compressed() ? "Y" : "");
        node.put("contentEncoding", orEmpty(e.contentEncoding()));
        node.put("downloadTimestamp", orEmpty(stamp(s.acknowledgedAt())));
        node.put("dtsId", e.messageId());
        node.put("encryptedFlag", e.encrypted() ? "Y" : "");
        node.put("expiryTime", orEmpty(stamp(expiresAt(message))));
        put(node, "failureDate", failed ? stamp(s.statusTimestamp()) : null);
        put(node, "failureDiagnostic", failed ? s.statusDescription() : null);
        node.put("fileName", e.fileName());
        node.put("fileSize", fileSize(e));
        node.put("isCompressed", e.compressed() ? "Y" : "");
        put(node, "linkedMsgId", e.linkedMessageId());
        put(node, "localId", e.localId());
        put(node, "meshRecipientOdsCode", recipient.map(SandboxMailbox::odsCode).orElse(null));
        node.put("messageId", e.messageId());
        node.put("messageType", titleCase(e.messageType()));
        node.put("partnerId", orEmpty(e.partnerId()));
        node.put("recipient", e.recipient());
        put(node, "recipientName", recipient.map(SandboxMailbox::name).orElse(null));
        put(node, "recipientOrgCode", recipient.map(SandboxMailbox::odsCode).orElse(null));
        node.put("recipientSmtp", "");
        put(node, "sender", e.sender());
        put(node, "senderName", sender.map(SandboxMailbox::name).orElse(null));
        put(node, "senderOdsCode", sender.map(SandboxMailbox::odsCode).orElse(null));
        put(node, "senderOrgCode", sender.map(SandboxMailbox::odsCode).orElse(null));
        node.put("senderSmtp", "");
        node.put("status", s.status().v1());
        put(node, "statusCode", s.statusCode());
        put(node, "statusDescription", s.statusDescription());
        put(node, "statusEvent", s.statusEvent());
        node.put("statusSuccess", failed ? "ERROR" : "SUCCESS");
        put(node, "statusTimestamp", stamp(s.statusTimestamp()));
        put(node, "subject", e.subject());
        node.put("uploadTimestamp", orEmpty(stamp(e.uploadedAt())));
        node.put("version", "1.0");
        node.put("workflowId", e.workflowId());
        return node;
    }

    /**
     * The public sandbox's admin view of a stored message ({@code GET /admin/message/{id}}): snake_case, ISO times,
     * Title-case status and type, absent values left out; a DATA message's failure is in {@code failure_*}, a
     * report's in {@code status_*}.
     */
    ObjectNode details(StoredMessage message) {
        MessageEnvelope e = message.envelope();
        MessageState s = message.state();
        Optional<SandboxMailbox> recipient = directory.find(e.recipient());
        Optional<SandboxMailbox> sender = directory.find(e.sender());
        boolean failed = !s.status().successful();
        ObjectNode node = json.createObjectNode();
        node.put("checksum", orEmpty(e.checksum()));
        node.put("chunk_count", e.totalChunks());
        node.put("content_encoding", orEmpty(e.contentEncoding()));
        put(node, "download_timestamp", iso(s.acknowledgedAt()));
        put(node, "expiry_time", iso(expiresAt(message)));
        if (failed && !e.isReport()) {
            put(node, "failure_date", iso(s.statusTimestamp()));
            put(node, "failure_diagnostic", s.statusDescription());
        }
        node.put("filename", e.fileName());
        node.put("file_size", fileSize(e));
        node.put("is_compressed", e.compressed());
        node.put("is_encrypted", e.encrypted());
        put(node, "linked_msg_id", e.linkedMessageId());
        node.put("local_id", orEmpty(e.localId()));
        node.put("message_id", e.messageId());
        node.put("message_type", titleCase(e.messageType()));
        party(node, "recipient", e.recipient(), recipient);
        party(node, "sender", e.sender(), sender);
        node.put("status", s.status().v1());
        if (e.isReport()) {
            put(node, "status_code", s.statusCode());
            put(node, "status_description", s.statusDescription());
            put(node, "status_event", s.statusEvent());
            put(node, "status_timestamp", iso(s.statusTimestamp()));
        }
        node.put("status_success", !e.isReport() && !failed ? "SUCCESS" : "ERROR");
        node.put("subject", orEmpty(e.subject()));
        put(node, "upload_timestamp", iso(e.uploadedAt()));
        node.put("workflow_id", e.workflowId());
        return node;
    }

    private static void party(ObjectNode node, String role, String id, Optional<SandboxMailbox> mailbox) {
        node.put(role, orEmpty(id));
        node.put(role + "_name", mailbox.map(SandboxMailbox::name).orElse(""));
        node.put(role + "_ods_code", mailbox.map(SandboxMailbox::odsCode).orElse(""));
        node.put(role + "_org_code", mailbox.map(SandboxMailbox::odsCode).orElse(""));
        node.put(role + "_org_name", "");
    }

    private Instant expiresAt(StoredMessage message) {
        Instant from = message.state().acceptedAt() != null ? message.state().acceptedAt()
                : message.envelope().uploadedAt();
        return from.plus(expiry);
    }

    private long fileSize(MessageEnvelope e) {
        long size = 0;
        for (int n = 1; n <= e.totalChunks(); n++) {
            size += store.chunkSize(e.messageId(), n);
        }
        return size;
    }

    private static void put(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    private static String iso(Instant instant) {
        return instant == null ? null : ISO_MICROS.format(instant);
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    private static String titleCase(String value) {
        return value == null || value.isEmpty() ? ""
                : value.substring(0, 1).toUpperCase(Locale.ROOT) + value.substring(1).toLowerCase(Locale.ROOT);
    }

    private static String stamp(Instant instant) {
        return instant == null ? null : DownloadReply.STATUS_TIME.format(instant);
    }
}
