package meshgate.gateway.outbound;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import meshgate.client.MeshClient;
import meshgate.client.MeshException;
import meshgate.client.MessageContent;
import meshgate.client.OutboundMessage;
import meshgate.client.SendProgress;
import meshgate.client.SendResult;
import meshgate.gateway.config.GatewayConfig;
import meshgate.gateway.config.SentAction;
import meshgate.gateway.metrics.MeshGateMetrics;
import meshgate.gateway.ops.MailboxHealth;
import meshgate.gateway.ledger.Ledger;
import meshgate.gateway.ledger.OutboundRecord;
import meshgate.gateway.ledger.OutboundState;
import meshgate.gateway.store.MetadataUnreadableException;
import meshgate.gateway.store.ObjectInfo;
import meshgate.gateway.store.ObjectStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one outbound object to MESH and records every step in the ledger, so that a restart carries on where it
 * stopped: the same MESH message, never a second one. An object that cannot be sent moves to {@code failed/} with its
 * reason beside it; nothing is ever deleted before MESH has accepted it.
 */
public final class OutboundProcessor {
    private static final Logger LOG = LoggerFactory.getLogger(OutboundProcessor.class);
    public static final String OUTBOUND = "outbound/";
    public static final String SENT = "sent/";
    public static final String FAILED = "failed/";

    private final ObjectStore store;
    private final Ledger ledger;
    private final Map<String, MeshClient> clients;
    private final GatewayConfig config;
    private final Clock clock;
    private final String node;
    private final java.time.Duration lease;
    private final MeshGateMetrics metrics;
    private final MailboxHealth mailboxHealth;

    public OutboundProcessor(ObjectStore store, Ledger ledger, Map<String, MeshClient> clients, GatewayConfig config,
            Clock clock, String node, java.time.Duration lease, MeshGateMetrics metrics, MailboxHealth mailboxHealth) {
        this.store = store;
        this.ledger = ledger;
        this.clients = clients;
        this.config = config;
        this.clock = clock;
        this.node = node;
        this.lease = lease;
        this.metrics = metrics;
        this.mailboxHealth = mailboxHealth;
    }

    /**
     * Sends the object if it still needs sending and no other gateway node is sending it; returns the ledger record
     * as it ends.
     */
    public OutboundRecord process(ObjectInfo object) throws IOException {
        OutboundRecord record = ledger.recordOutbound(object.key(), object.size(), object.lastModified());
        if (!ledger.claimOutbound(record.id(), node, lease)) {
            return record;
        }
        try {
            return processClaimed(object, ledger.findOutbound(record.id()).orElseThrow());
        } finally {
            ledger.releaseOutbound(record.id(), node);
        }
    }

    private OutboundRecord processClaimed(ObjectInfo object, OutboundRecord claimed) throws IOException {
        OutboundRecord record = claimed;
        if (store.stat(object.key()).isEmpty() && record.state() == OutboundState.QUEUED) {
            return record;
        }
        if (record.state() == OutboundState.FAILED) {
            // A failed object back in outbound/ was put there again by a person: try it again.
            record = ledger.updateOutbound(record.withState(OutboundState.QUEUED));
        }
        if (record.state() != OutboundState.QUEUED && record.state() != OutboundState.SENDING) {
            return finishSent(record);
        }
        if (object.size() == 0) {
            return fail(record, "empty file: nothing to send (MESH messages need content)");
        }
        SendParameters parameters;
        try {
            parameters = SendParameters.resolve(object.key(), object.name(), store.metadata(object.key()),
                    config.outboundMappings(), clients.keySet(), config.useKeyForMexFilename());
        } catch (UnsendableException e) {
            return fail(record, e.getMessage());
        } catch (MetadataUnreadableException e) {
            return fail(record, "metadata unreadable: " + e.getMessage());
        }
        if (parameters.contentEncoding().isPresent() && !startsWithGzipMagic(object.key())) {
            return fail(record, "Content-Encoding gzip is declared but the content is not gzip data");
        }
        long mailboxState = mailboxHealth.state(parameters.from());
        if (mailboxHealth.isPaused(parameters.from())) {
            return record; // MESH refuses the mailbox itself: the file waits in outbound/ until it resumes
        }
        boolean compress = record.state() == OutboundState.SENDING ? record.compress()
                : CompressionDecision.compress(parameters, object.size(), config.compressThreshold(),
                        config.neverCompress());
        int chunkSize = record.state() == OutboundState.SENDING && record.chunkSize() > 0 ? record.chunkSize()
                : config.chunkSize();
        String localId = Optional.ofNullable(record.localId())
                .or(parameters::localId)
                .orElseGet(() -> "meshgate-" + UUID.randomUUID());
        boolean resuming = record.state() == OutboundState.SENDING;
        record = ledger.updateOutbound(record.sending(parameters.from(), parameters.to(), parameters.workflowId(),
                localId, chunkSize, compress, clock.instant()));
        OutboundMessage message = message(parameters, localId, compress);
        MessageContent content = store.content(object.key());
        SendProgress progress = resuming
                ? SendProgress.recorded(record.meshMessageId(), record.chunksAccepted(), record.startedAt(), chunkSize)
                : SendProgress.start(record.startedAt(), chunkSize);
        long[] recordId = {record.id()};
        long started = System.nanoTime();
        SendResult result;
        try {
            result = clients.get(parameters.from()).resume(message, content, progress, (id, chunk, total) -> {
                // The last chunk is recorded with acceptance, just after; should the process die in between,
                // resuming finds the message by its local id.
                if (!ledger.claimOutbound(recordId[0], node, lease)) {
                    throw new LeaseLostException("another gateway node took over sending " + object.key());
                }
                if (chunk < total) {
                    OutboundRecord current = ledger.findOutbound(recordId[0]).orElseThrow();
                    ledger.updateOutbound(current.progress(id, chunk, total));
                }
                LOG.info("outbound_chunk key={} message_id={} chunk={}/{}", object.key(), id, chunk, total);
            });
        } catch (LeaseLostException e) {
            LOG.warn("outbound_lease_lost key={} node={}", object.key(), node);
            return ledger.findOutbound(record.id()).orElseThrow();
        } catch (MeshException e) {
            if (mailboxHealth.failed(parameters.from(), e, mailboxState)) {
                LOG.info("outbound_waiting key={} mailbox={} reason=\"{}\" note=\"a problem of the mailbox, not the "
                        + "file: sent once MESH accepts the mailbox again\"", object.key(), parameters.from(),
                        e.getMessage());
                return ledger.findOutbound(record.id()).orElseThrow();
            }
            if (e.isRetryable()) {
                LOG.warn("outbound_retry_later key={} reason=\"{}\"", object.key(), e.getMessage());
                metrics.outboundRetried(parameters.from());
                return ledger.findOutbound(record.id()).orElseThrow();
            }
            return fail(ledger.findOutbound(record.id()).orElseThrow(), "MESH refused it: " + e.getMessage());
        }
        OutboundRecord accepted = ledger.updateOutbound(ledger.findOutbound(record.id()).orElseThrow()
                .accepted(result.messageId(), clock.instant()));
        LOG.info("outbound_accepted key={} from={} to={} workflow_id={} message_id={} chunks={} compressed={}",
                object.key(), parameters.from(), parameters.to(), parameters.workflowId(), result.messageId(),
                result.chunks(), compress);
        metrics.outboundAccepted(parameters.from(), object.size(),
                java.time.Duration.ofNanos(System.nanoTime() - started));
        return finishSent(accepted);
    }

    private boolean startsWithGzipMagic(String key) throws IOException {
        try (java.io.InputStream in = store.content(key).open(0)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    private static OutboundMessage message(SendParameters p, String localId, boolean compress) {
        OutboundMessage.Builder builder = OutboundMessage.to(p.to(), p.workflowId()).localId(localId)
                .contentCompressed(p.contentCompressed()).contentEncrypted(p.contentEncrypted()).compress(compress)
                .alreadyGzipEncoded(p.contentEncoding().isPresent());
        p.subject().ifPresent(builder::subject);
        p.fileName().ifPresent(builder::fileName);
        p.contentType().ifPresent(builder::contentType);
        p.contentChecksum().ifPresent(builder::contentChecksum);
        return builder.build();
    }

    /** After MESH accepted: the object leaves outbound/ (archived under sent/ or deleted). */
    private OutboundRecord finishSent(OutboundRecord record) throws IOException {
        if (record.sentKey() != null || store.stat(record.objectKey()).isEmpty()) {
            return record;
        }
        String sentKey;
        if (config.sentAction() == SentAction.DELETE) {
            store.delete(record.objectKey());
            sentKey = "";
        } else {
            sentKey = SENT + record.meshMessageId() + "/" + relative(record.objectKey());
            store.move(record.objectKey(), sentKey);
        }
        return ledger.updateOutbound(record.sentTo(sentKey));
    }

    /** Moves the object to failed/, with a readable reason beside it, and records why. */
    private OutboundRecord fail(OutboundRecord record, String reason) throws IOException {
        String failedKey = FAILED + relative(record.objectKey());
        Instant now = clock.instant();
        if (store.stat(record.objectKey()).isPresent()) {
            store.move(record.objectKey(), failedKey);
        }
        store.putText(failedKey + ".reason.txt", "MeshGate could not send " + record.objectKey() + "\n"
                + "reason: " + reason + "\n"
                + "at: " + now + "\n"
                + "To try again, fix the cause and move the file back under outbound/.\n", Map.of());
        LOG.warn("outbound_failed key={} failed_key={} reason=\"{}\"", record.objectKey(), failedKey, reason);
        metrics.outboundFailed(record.sender() == null ? "unknown" : record.sender());
        return ledger.updateOutbound(record.failed(reason, false));
    }

    /** This node's claim ran out and another node carries on with the send. */
    private static final class LeaseLostException extends RuntimeException {
        LeaseLostException(String message) {
            super(message, null, false, false);
        }
    }

    static String relative(String key) {
        return key.startsWith(OUTBOUND) ? key.substring(OUTBOUND.length()) : key;
    }

    /** The gateway's own mailboxes. */
    public Set<String> mailboxes() {
        return clients.keySet();
    }
}
