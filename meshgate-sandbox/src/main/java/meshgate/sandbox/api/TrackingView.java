package meshgate.sandbox.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import meshgate.sandbox.SandboxMailbox;
import meshgate.sandbox.store.MessageEnvelope;
import meshgate.sandbox.store.MessageState;
import meshgate.sandbox.store.MessageStore;
import meshgate.sandbox.store.StoredMessage;

/** Tracking responses: v2 snake_case (nulls left out, ISO times), v1 camelCase (yyyyMMddHHmmss, Title-case status). */
final class TrackingView {
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
        put(node, "local_id", e.localId());
        put(node, "workflow_id", e.workflowId());
        put(node, "filename", e.fileName());
        put(node, "expiry_time", iso(expiresAt(message)));
        put(node, "upload_timestamp", iso(e.uploadedAt()));
        put(node, "recipient", e.recipient());
        put(node, "recipient_name", recipient.map(SandboxMailbox::name).orElse(null));
        put(node, "recipient_ods_code", recipient.map(SandboxMailbox::odsCode).orElse(null));
        put(node, "recipient_org_code", recipient.map(SandboxMailbox::odsCode).orElse(null));
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
        node.put("checksum", e.checksum());
        node.put("chunkCount", e.totalChunks());
        node.put("compressFlag", e.compressed() ? "Y" : null);
        node.put("contentEncoding", e.contentEncoding());
        node.put("downloadTimestamp", stamp(s.acknowledgedAt()));
        node.putNull("dtsId");
        node.put("encryptedFlag", e.encrypted() ? "Y" : null);
        node.put("expiryTime", stamp(expiresAt(message)));
        node.put("failureDate", failed ? stamp(s.statusTimestamp()) : null);
        node.put("failureDiagnostic", failed ? s.statusDescription() : null);
        node.put("fileName", e.fileName());
        node.put("fileSize", fileSize(e));
        node.put("isCompressed", e.compressed() ? "Y" : null);
        node.put("linkedMsgId", e.linkedMessageId());
        node.put("localId", e.localId());
        node.put("meshRecipientOdsCode", recipient.map(SandboxMailbox::odsCode).orElse(null));
        node.put("messageId", e.messageId());
        node.put("messageType", e.messageType());
        node.put("partnerId", e.partnerId());
        node.put("recipient", e.recipient());
        node.put("recipientName", recipient.map(SandboxMailbox::name).orElse(null));
        node.put("recipientOrgCode", recipient.map(SandboxMailbox::odsCode).orElse(null));
        node.putNull("recipientOrgName");
        node.putNull("recipientSmtp");
        node.put("sender", e.sender());
        node.put("senderName", sender.map(SandboxMailbox::name).orElse(null));
        node.put("senderOdsCode", sender.map(SandboxMailbox::odsCode).orElse(null));
        node.put("senderOrgCode", sender.map(SandboxMailbox::odsCode).orElse(null));
        node.putNull("senderOrgName");
        node.putNull("senderSmtp");
        node.put("status", s.status().v1());
        node.put("statusCode", s.statusCode());
        node.put("statusDescription", s.statusDescription());
        node.put("statusEvent", s.statusEvent());
        node.put("statusSuccess", failed ? "ERROR" : "SUCCESS");
        node.put("statusTimestamp", stamp(s.statusTimestamp()));
        node.put("subject", e.subject());
        node.put("uploadTimestamp", stamp(e.uploadedAt()));
        node.put("version", "1.0");
        node.put("workflowId", e.workflowId());
        return node;
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
        return instant == null ? null
                : LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.SECONDS), ZoneOffset.UTC).toString();
    }

    private static String stamp(Instant instant) {
        return instant == null ? null : DownloadReply.STATUS_TIME.format(instant);
    }
}
