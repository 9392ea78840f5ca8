package meshgate.gateway.inbound;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.TreeMap;
import meshgate.client.MeshClient;
import meshgate.client.MessageInputStream;
import meshgate.client.MessageMetadata;
import meshgate.gateway.metrics.MeshGateMetrics;
import meshgate.gateway.ledger.InboundRecord;
import meshgate.gateway.ledger.InboundState;
import meshgate.gateway.ledger.Ledger;
import meshgate.gateway.store.ObjectStore;
import meshgate.gateway.store.ObjectWriter;
import meshgate.protocol.MeshHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives one message: streams it into the store (durably, under its final key only once complete, with its MESH
 * headers as metadata), records it and acknowledges it; its event is owed in the ledger from then on, and the
 * {@link meshgate.gateway.events.EventOutbox} delivers it at least once. After a crash at any step the same message
 * is stored again under the same key, never twice under two.
 */
public final class InboundReceiver {
    private static final Logger LOG = LoggerFactory.getLogger(InboundReceiver.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectStore store;
    private final Ledger ledger;
    private final InboundLayout layout;
    private final int crumbSize;
    private final MeshGateMetrics metrics;

    public InboundReceiver(ObjectStore store, Ledger ledger, InboundLayout layout, int crumbSize,
            MeshGateMetrics metrics) {
        this.store = store;
        this.ledger = ledger;
        this.layout = layout;
        this.crumbSize = crumbSize;
        this.metrics = metrics;
    }

    /** Takes a listed message as far as it can go: stored and acknowledged. */
    public InboundRecord receive(MeshClient client, String messageId) throws IOException {
        String mailbox = client.mailbox();
        InboundRecord record = ledger.recordInbound(mailbox, messageId);
        if (record.state() == InboundState.LISTED || record.state() == InboundState.DOWNLOADING
                || record.state() == InboundState.FAILED) {
            record = store(client, ledger.updateInbound(record.downloading()));
        } else if (record.state() == InboundState.ACKNOWLEDGED) {
            // Listed again: the acknowledgement never reached MESH. Acknowledging is idempotent.
            client.acknowledge(messageId);
            return record;
        }
        return finish(client, record);
    }

    /**
     * Acknowledges a message already stored (now, after a restart, or after a failed acknowledgement). Storage is the
     * source of truth, so the acknowledgement never waits for an event sink: the ledger now owes the message's event,
     * which the {@link meshgate.gateway.events.EventOutbox} delivers.
     */
    public InboundRecord finish(MeshClient client, InboundRecord record) {
        if (record.state() == InboundState.STORED) {
            client.acknowledge(record.messageId());
            record = ledger.updateInbound(ledger.findInbound(record.mailbox(), record.messageId()).orElseThrow()
                    .withState(InboundState.ACKNOWLEDGED));
            LOG.info("inbound_acknowledged mailbox={} message_id={} key={}", record.mailbox(), record.messageId(),
                    record.objectKey());
            metrics.inboundAcknowledged(record.mailbox());
        }
        return record;
    }

    private InboundRecord store(MeshClient client, InboundRecord record) throws IOException {
        String messageId = record.messageId();
        try (MessageInputStream in = client.open(messageId)) {
            MessageMetadata metadata = in.metadata();
            String key = keyFor(record.mailbox(), messageId, metadata);
            long size;
            if (metadata.isReport()) {
                byte[] control = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(reportFields(metadata));
                in.transferTo(OutputStream.nullOutputStream());
                store.putText(key, new String(control, java.nio.charset.StandardCharsets.UTF_8),
                        storedMetadata(metadata, messageId));
                size = control.length;
            } else {
                try {
                    size = copy(in.decoded(crumbSize), key, storedMetadata(metadata, messageId));
                } catch (IOException e) {
                    if (!metadata.isGzipEncoded() || !isUndecodable(e)) {
                        throw e;
                    }
                    size = storeAsReceived(client, messageId, key, metadata, e);
                }
            }
            metrics.inboundStored(record.mailbox(), size);
            LOG.info("inbound_stored mailbox={} message_id={} key={} bytes={} type={}", record.mailbox(), messageId,
                    key, size, metadata.messageType());
            return ledger.updateInbound(record.stored(metadata.messageType(), metadata.from().orElse(null),
                    metadata.workflowId().orElse(null), key, size));
        }
    }

    /**
     * A message that says it is gzip-encoded but is not valid gzip is kept as received rather than refused forever:
     * its metadata keeps {@code content-encoding} and says why it was not decoded.
     */
    private long storeAsReceived(MeshClient client, String messageId, String key, MessageMetadata metadata,
            IOException why) throws IOException {
        Map<String, String> kept = new TreeMap<>(metadata.headers());
        kept.put(MeshHeaders.MESSAGE_ID, messageId);
        kept.put("meshgate-not-decoded", "gzip content could not be decoded: " + why.getMessage());
        LOG.warn("inbound_not_decoded mailbox={} message_id={} reason=\"{}\" note=\"stored as received\"",
                client.mailbox(), messageId, why.getMessage());
        try (MessageInputStream raw = client.open(messageId)) {
            return copy(raw, key, kept);
        }
    }

    private static boolean isUndecodable(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT);
            if (t instanceof java.util.zip.ZipException || message.contains(".gz format")
                    || message.contains("gzip") || message.contains("crc")) {
                return true;
            }
        }
        return false;
    }

    private String keyFor(String mailbox, String messageId, MessageMetadata metadata) throws IOException {
        String key = layout.key(mailbox, messageId, metadata);
        if (store.stat(key).isPresent()
                && !messageId.equals(store.decodedMetadata(key).get(MeshHeaders.MESSAGE_ID))) {
            return layout.disambiguated(key, messageId);
        }
        return key;
    }

    private long copy(InputStream content, String key, Map<String, String> metadata) throws IOException {
        long size = 0;
        try (ObjectWriter writer = store.create(key)) {
            OutputStream out = writer.stream();
            byte[] crumb = new byte[crumbSize];
            for (int read; (read = content.read(crumb)) >= 0; size += read) {
                out.write(crumb, 0, read);
            }
            writer.commit(metadata);
        }
        return size;
    }

    /** The MESH headers to keep beside the payload; the transport encoding is gone once decoded. */
    private static Map<String, String> storedMetadata(MessageMetadata metadata, String messageId) {
        Map<String, String> kept = new TreeMap<>(metadata.headers());
        kept.remove(MeshHeaders.CONTENT_ENCODING);
        kept.put(MeshHeaders.MESSAGE_ID, messageId);
        return kept;
    }

    private static ObjectNode reportFields(MessageMetadata metadata) {
        ObjectNode node = JSON.createObjectNode();
        node.put("message_id", metadata.messageId());
        node.put("message_type", metadata.messageType());
        put(node, "status_code", metadata, MeshHeaders.STATUS_CODE);
        put(node, "status_event", metadata, MeshHeaders.STATUS_EVENT);
        put(node, "status_description", metadata, MeshHeaders.STATUS_DESCRIPTION);
        put(node, "status_success", metadata, MeshHeaders.STATUS_SUCCESS);
        put(node, "status_timestamp", metadata, MeshHeaders.STATUS_TIMESTAMP);
        put(node, "linked_message_id", metadata, MeshHeaders.LINKED_MESSAGE_ID);
        put(node, "workflow_id", metadata, MeshHeaders.WORKFLOW_ID);
        put(node, "local_id", metadata, MeshHeaders.LOCAL_ID);
        put(node, "subject", metadata, MeshHeaders.SUBJECT);
        put(node, "to", metadata, MeshHeaders.TO);
        put(node, "from", metadata, MeshHeaders.FROM);
        ObjectNode headers = node.putObject("headers");
        metadata.headers().forEach(headers::put);
        return node;
    }

    private static void put(ObjectNode node, String field, MessageMetadata metadata, String header) {
        metadata.header(header).ifPresent(v -> node.put(field, v));
    }
}
