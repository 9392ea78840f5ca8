package meshgate.gateway.inbound;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.TreeMap;
import meshgate.client.DecodedSizeExceededException;
import meshgate.client.MeshClient;
import meshgate.client.MessageInputStream;
import meshgate.client.MessageMetadata;
import meshgate.gateway.events.EventSink;
import meshgate.gateway.events.InboundEvent;
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
 * headers as metadata), records it, emits its event, and only then acknowledges it. After a crash at any step the
 * same message is stored again under the same key, never twice under two.
 */
public final class InboundReceiver {
    private static final Logger LOG = LoggerFactory.getLogger(InboundReceiver.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectStore store;
    private final Ledger ledger;
    private final InboundLayout layout;
    private final EventSink events;
    private final int crumbSize;
    private final MeshGateMetrics metrics;
    private final long maxDecodedSize;

    public InboundReceiver(ObjectStore store, Ledger ledger, InboundLayout layout, EventSink events, int crumbSize,
            MeshGateMetrics metrics) {
        this(store, ledger, layout, events, crumbSize, metrics, Long.MAX_VALUE);
    }

    /** {@code maxDecodedSize}: a gzip-encoded message that decodes to more is stored as received instead. */
    public InboundReceiver(ObjectStore store, Ledger ledger, InboundLayout layout, EventSink events, int crumbSize,
            MeshGateMetrics metrics, long maxDecodedSize) {
        this.store = store;
        this.ledger = ledger;
        this.layout = layout;
        this.events = events;
        this.crumbSize = crumbSize;
        this.metrics = metrics;
        this.maxDecodedSize = maxDecodedSize;
    }

    /** Takes a listed message as far as it can go: stored, announced, acknowledged. */
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

    /** Announces and acknowledges a message already stored (after a restart, or a failed acknowledgement). */
    public InboundRecord finish(MeshClient client, InboundRecord record) {
        if (record.state() == InboundState.STORED) {
            emit(record);
            client.acknowledge(record.messageId());
            record = ledger.updateInbound(ledger.findInbound(record.mailbox(), record.messageId()).orElseThrow()
                    .withState(InboundState.ACKNOWLEDGED));
            LOG.info("inbound_acknowledged mailbox={} message_id={} key={}", record.mailbox(), record.messageId(),
                    record.objectKey());
            metrics.inboundAcknowledged(record.mailbox());
        }
        return record;
    }

    /** Emits the event of a stored message if it has not gone out yet; a failure leaves it to be tried again. */
    public InboundRecord emit(InboundRecord record) {
        if (record.eventEmitted()) {
            return record;
        }
        try {
            events.emit(event(record));
            return ledger.updateInbound(ledger.findInbound(record.mailbox(), record.messageId()).orElseThrow()
                    .withEventEmitted());
        } catch (Exception e) {
            LOG.warn("event_failed mailbox={} message_id={} reason=\"{}\" note=\"tried again at the next poll\"",
                    record.mailbox(), record.messageId(), e.toString());
            return record;
        }
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
                    size = copy(in.decoded(crumbSize, maxDecodedSize), key, storedMetadata(metadata, messageId));
                } catch (DecodedSizeExceededException e) {
                    size = storeAsReceived(client, messageId, key, metadata, "too_large",
                            "decodes to more than max_decoded_size (" + e.limit() + " bytes)");
                } catch (IOException e) {
                    if (!metadata.isGzipEncoded() || !isUndecodable(e)) {
                        throw e;
                    }
                    size = storeAsReceived(client, messageId, key, metadata, "invalid_gzip",
                            "gzip content could not be decoded: " + e.getMessage());
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
     * A gzip-encoded message that is not valid gzip, or that decodes to more than {@code max_decoded_size} (a gzip
     * bomb would otherwise fill the store), is kept as received rather than refused forever: its metadata keeps
     * {@code content-encoding} and says why it was not decoded. It is counted by {@code kind}.
     */
    private long storeAsReceived(MeshClient client, String messageId, String key, MessageMetadata metadata,
            String kind, String why) throws IOException {
        Map<String, String> kept = new TreeMap<>(metadata.headers());
        kept.put(MeshHeaders.MESSAGE_ID, messageId);
        kept.put("meshgate-not-decoded", why);
        LOG.warn("inbound_not_decoded mailbox={} message_id={} kind={} reason=\"{}\" note=\"stored as received\"",
                client.mailbox(), messageId, kind, why);
        long size;
        try (MessageInputStream raw = client.open(messageId)) {
            size = copy(raw, key, kept);
        }
        metrics.inboundNotDecoded(client.mailbox(), kind);
        return size;
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

    private InboundEvent event(InboundRecord record) throws IOException {
        Map<String, String> meta = store.decodedMetadata(record.objectKey());
        Map<String, String> status = MeshHeaders.TYPE_REPORT.equals(record.messageType()) ? meta : Map.of();
        return new InboundEvent(InboundEvent.STORED, record.mailbox(), record.messageId(), record.sender(),
                record.workflowId(), record.messageType(), record.objectKey(), record.size(),
                meta.get(MeshHeaders.SUBJECT), meta.get(MeshHeaders.LOCAL_ID), meta.get(MeshHeaders.FILE_NAME),
                status.get(MeshHeaders.STATUS_CODE), status.get(MeshHeaders.STATUS_EVENT),
                status.get(MeshHeaders.STATUS_DESCRIPTION), status.get(MeshHeaders.STATUS_SUCCESS),
                status.get(MeshHeaders.LINKED_MESSAGE_ID));
    }
}
