package meshgate.gateway.inbound;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import meshgate.client.DecodedSizeExceededException;
import meshgate.client.MeshClient;
import meshgate.client.MessageInputStream;
import meshgate.client.MessageMetadata;
import meshgate.gateway.metrics.MeshGateMetrics;
import meshgate.gateway.ledger.InboundRecord;
import meshgate.gateway.ledger.InboundState;
import meshgate.gateway.ledger.Ledger;
import meshgate.gateway.store.MetadataUnreadableException;
import meshgate.gateway.store.ObjectInfo;
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
    private final long maxDecodedSize;

    public InboundReceiver(ObjectStore store, Ledger ledger, InboundLayout layout, int crumbSize,
            MeshGateMetrics metrics) {
        this(store, ledger, layout, crumbSize, metrics, Long.MAX_VALUE);
    }

    /** {@code maxDecodedSize}: a gzip-encoded message that decodes to more is stored as received instead. */
    public InboundReceiver(ObjectStore store, Ledger ledger, InboundLayout layout, int crumbSize,
            MeshGateMetrics metrics, long maxDecodedSize) {
        this.store = store;
        this.ledger = ledger;
        this.layout = layout;
        this.crumbSize = crumbSize;
        this.metrics = metrics;
        this.maxDecodedSize = maxDecodedSize;
    }

    /** Takes a listed message as far as it can go: stored and acknowledged. */
    public InboundRecord receive(MeshClient client, String messageId) throws IOException {
        String mailbox = client.mailbox();
        InboundRecord record = ledger.startInbound(mailbox, messageId);
        if (record.state() == InboundState.DOWNLOADING) {
            record = store(client, record);
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
            List<String> keys = keysFor(record.mailbox(), messageId, metadata);
            Optional<Stored> earlier = storedEarlier(keys, messageId);
            Stored stored;
            if (earlier.isPresent()) {
                // Stored before a crash or a failed ledger update: it keeps its key, and is not stored twice.
                stored = earlier.get();
            } else if (metadata.isReport()) {
                byte[] control = JSON.writeValueAsBytes(reportHeaders(metadata, messageId));
                in.transferTo(OutputStream.nullOutputStream());
                Map<String, String> controlMetadata = storedMetadata(metadata, messageId);
                controlMetadata.put(MeshHeaders.CONTENT_TYPE, "application/json");
                store.putText(keys.get(0), new String(control, java.nio.charset.StandardCharsets.UTF_8),
                        controlMetadata);
                stored = new Stored(keys.get(0), control.length);
            } else {
                try {
                    stored = copy(new Download(client, messageId, in, true), keys, storedMetadata(metadata, messageId));
                } catch (DecodedSizeExceededException e) {
                    stored = storeAsReceived(client, messageId, keys, metadata, "too_large",
                            "decodes to more than max_decoded_size (" + e.limit() + " bytes)");
                } catch (IOException e) {
                    if (!metadata.isGzipEncoded() || !isUndecodable(e)) {
                        throw e;
                    }
                    stored = storeAsReceived(client, messageId, keys, metadata, "invalid_gzip",
                            "gzip content could not be decoded: " + e.getMessage());
                }
            }
            return recordStored(record, metadata, stored.key(), stored.size());
        }
    }

    /** Records a message as stored under {@code key}: from now on it is acknowledged, and its event is owed. */
    public InboundRecord recordStored(InboundRecord record, MessageMetadata metadata, String key, long size) {
        metrics.inboundStored(record.mailbox(), size);
        LOG.info("inbound_stored mailbox={} message_id={} key={} bytes={} type={}", record.mailbox(),
                record.messageId(), key, size, metadata.messageType());
        return ledger.updateInbound(record.stored(metadata.messageType(), metadata.from().orElse(null),
                metadata.workflowId().orElse(null), key, size));
    }

    /**
     * Where a message is stored, as {@link #receive} stores it: the first of its keys that is free (or holds it
     * already, from an earlier attempt), and the metadata it is stored with.
     *
     * @return the key and whether the message is there already, with its stored size
     */
    public Placement placement(String mailbox, String messageId, MessageMetadata metadata) throws IOException {
        List<String> keys = keysFor(mailbox, messageId, metadata);
        Optional<Stored> earlier = storedEarlier(keys, messageId);
        if (earlier.isPresent()) {
            return new Placement(earlier.get().key(), true, earlier.get().size(), storedMetadata(metadata, messageId));
        }
        for (String key : keys) {
            if (store.stat(key).isEmpty()) {
                return new Placement(key, false, 0, storedMetadata(metadata, messageId));
            }
        }
        throw new FileAlreadyExistsException(keys.get(0), null, "every key this message may take holds another "
                + "object: " + keys);
    }

    /** Where a message goes: its {@code key}, whether it is {@code stored} there already, and its metadata. */
    public record Placement(String key, boolean stored, long size, Map<String, String> metadata) {
    }

    /**
     * A gzip-encoded message that is not valid gzip, or that decodes to more than {@code max_decoded_size} (a gzip
     * bomb would otherwise fill the store), is kept as received rather than refused forever: its metadata keeps
     * {@code content-encoding} and says why it was not decoded. It is counted by {@code kind}.
     */
    private Stored storeAsReceived(MeshClient client, String messageId, List<String> keys,
            MessageMetadata metadata, String kind, String why) throws IOException {
        Map<String, String> kept = new TreeMap<>(metadata.headers());
        kept.put(MeshHeaders.MESSAGE_ID, messageId);
        kept.put("meshgate-not-decoded", why);
        LOG.warn("inbound_not_decoded mailbox={} message_id={} kind={} reason=\"{}\" note=\"stored as received\"",
                client.mailbox(), messageId, kind, why);
        Stored stored = copy(new Download(client, messageId, null, false), keys, kept);
        metrics.inboundNotDecoded(client.mailbox(), kind);
        return stored;
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

    /** The keys a message may take, in order: its layout's key, then the same with the message id before it. */
    private List<String> keysFor(String mailbox, String messageId, MessageMetadata metadata) {
        String key = layout.key(mailbox, messageId, metadata);
        return List.of(key, layout.disambiguated(key, messageId));
    }

    /** The object already holding this message under one of its keys, if an earlier attempt stored it. */
    private Optional<Stored> storedEarlier(List<String> keys, String messageId) throws IOException {
        for (String key : keys) {
            Optional<ObjectInfo> object = store.stat(key);
            if (object.isPresent() && messageId.equals(messageIdOf(key))) {
                return Optional.of(new Stored(key, object.get().size()));
            }
        }
        return Optional.empty();
    }

    private String messageIdOf(String key) throws IOException {
        try {
            return store.decodedMetadata(key).get(MeshHeaders.MESSAGE_ID);
        } catch (MetadataUnreadableException | NoSuchFileException e) {
            return null;
        }
    }

    /**
     * Streams the content into the store under the first free key, with its metadata from the start: a key is claimed
     * atomically, so two messages of one name, downloaded at once, never take the same key, and nothing already stored
     * is replaced. A key taken while the content was being written costs a download again for the next key; the
     * message is not acknowledged yet, so MESH still holds it.
     */
    private Stored copy(Download download, List<String> keys, Map<String, String> metadata) throws IOException {
        for (String key : keys) {
            try (ObjectWriter writer = store.createNew(key, metadata); InputStream content = download.open()) {
                OutputStream out = writer.stream();
                byte[] crumb = new byte[crumbSize];
                long size = 0;
                for (int read; (read = content.read(crumb)) >= 0; size += read) {
                    out.write(crumb, 0, read);
                }
                writer.commit();
                return new Stored(key, size);
            } catch (FileAlreadyExistsException taken) {
                LOG.info("inbound_key_taken key={} message_id={} note=\"another object holds it\"", key,
                        download.messageId);
            }
        }
        throw new FileAlreadyExistsException(keys.get(0), null, "every key this message may take holds another "
                + "object: " + keys);
    }

    /**
     * A message's content for one attempt to store it: first the download already open (if any), then a download
     * again for each further attempt; decoded from gzip when {@code decode} is set.
     */
    private final class Download {
        private final MeshClient client;
        private final String messageId;
        private final boolean decode;
        private MessageInputStream first;
        private int attempts;

        Download(MeshClient client, String messageId, MessageInputStream first, boolean decode) {
            this.client = client;
            this.messageId = messageId;
            this.first = first;
            this.decode = decode;
        }

        InputStream open() throws IOException {
            MessageInputStream in = first;
            first = null;
            if (in == null) {
                if (attempts > 0) {
                    LOG.info("inbound_downloading_again mailbox={} message_id={} attempt={}", client.mailbox(),
                            messageId, attempts + 1);
                }
                in = client.open(messageId);
            }
            attempts++;
            return decode ? in.decoded(crumbSize, maxDecodedSize) : in;
        }
    }

    /** Where a message was stored, and its stored size. */
    private record Stored(String key, long size) {
    }

    /** The MESH headers to keep beside the payload; the transport encoding is gone once decoded. */
    private static Map<String, String> storedMetadata(MessageMetadata metadata, String messageId) {
        Map<String, String> kept = new TreeMap<>(metadata.headers());
        kept.remove(MeshHeaders.CONTENT_ENCODING);
        kept.put(MeshHeaders.MESSAGE_ID, messageId);
        return kept;
    }

    /**
     * A report's {@code .ctl}: a JSON object of the MESH headers it came with, named as MESH spells them, as
     * terraform-aws-mesh-client writes it (its handlers read it as they are).
     */
    private static ObjectNode reportHeaders(MessageMetadata metadata, String messageId) {
        ObjectNode node = JSON.createObjectNode();
        Map<String, String> headers = new TreeMap<>(metadata.headers());
        headers.putIfAbsent(MeshHeaders.MESSAGE_ID, messageId);
        headers.forEach((name, value) -> node.put(MeshHeaderSpelling.of(name), value));
        return node;
    }
}
