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
import meshgate.gateway.outbound.HeldClaim.ClaimLostException;
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
    private final LeaseKeeper leases;
    private final MeshGateMetrics metrics;
    private final MailboxHealth mailboxHealth;

    public OutboundProcessor(ObjectStore store, Ledger ledger, Map<String, MeshClient> clients, GatewayConfig config,
            Clock clock, LeaseKeeper leases, MeshGateMetrics metrics, MailboxHealth mailboxHealth) {
        this.store = store;
        this.ledger = ledger;
        this.clients = clients;
        this.config = config;
        this.clock = clock;
        this.leases = leases;
        this.metrics = metrics;
        this.mailboxHealth = mailboxHealth;
    }

    /**
     * Sends the object if it still needs sending and no other gateway node is sending it; returns the ledger record
     * as it ends.
     */
    public OutboundRecord process(ObjectInfo object) throws IOException {
        return process(object, SendBudget.UNLIMITED);
    }

    /**
     * As {@link #process(ObjectInfo)}, stopping between two chunks when {@code budget} has no time for another: the
     * record is then left {@code SENDING} with its progress, unclaimed, for whoever carries it on.
     */
    public OutboundRecord process(ObjectInfo object, SendBudget budget) throws IOException {
        OutboundRecord record = record(object);
        if (settled(record)) {
            return record;
        }
        Optional<HeldClaim> held = leases.claim(record.id());
        if (held.isEmpty()) {
            return record;
        }
        try (HeldClaim claim = held.get()) {
            // Read after claiming: a node taking over starts from the progress its predecessor recorded.
            return processClaimed(object, ledger.findOutbound(record.id()).orElseThrow(), claim, budget);
        } catch (SendBudget.Spent e) {
            OutboundRecord paused = ledger.findOutbound(record.id()).orElseThrow();
            LOG.info("outbound_paused key={} message_id={} chunks={}/{} note=\"out of time: carried on from here\"",
                    object.key(), paused.meshMessageId(), paused.chunksAccepted(), paused.chunksTotal());
            return paused;
        } catch (ClaimLostException e) {
            // Another node claimed the record since: it carries on from the recorded progress, this one stops here.
            LOG.warn("outbound_lease_lost key={} node={} reason=\"{}\"", object.key(), leases.node(), e.getMessage());
            return ledger.findOutbound(record.id()).orElseThrow();
        }
    }

    /** The ledger's record of this version of the object, created {@code QUEUED} if it has none yet. */
    OutboundRecord record(ObjectInfo object) {
        return ledger.recordOutbound(object.key(), object.size(), object.lastModified());
    }

    /**
     * True when nothing is left to do with this version where it is: adopted at the first start, or sent and kept in
     * place ({@code sent_action: keep}). Looked at before claiming, so the objects left under outbound/ cost no
     * ledger write at each listing.
     */
    private boolean settled(OutboundRecord record) {
        return record.state() == OutboundState.ADOPTED || (config.sentAction() == SentAction.KEEP
                && record.sentKey() != null && record.state() != OutboundState.FAILED
                && record.state() != OutboundState.SUPERSEDED);
    }

    /** Adopts what is under outbound/ at the store's first start, as {@code outbound_existing} says. */
    void adoptExisting() throws IOException {
        new OutboundAdoption(store, ledger, leases, config.outboundExisting()).run();
    }

    private OutboundRecord processClaimed(ObjectInfo object, OutboundRecord claimed, HeldClaim claim,
            SendBudget budget) throws IOException {
        OutboundRecord record = claimed;
        if (store.stat(object.key()).isEmpty() && record.state() == OutboundState.QUEUED) {
            return record;
        }
        if (record.state() == OutboundState.FAILED || record.state() == OutboundState.SUPERSEDED) {
            // A failed object back in outbound/ was put there again by a person, or the file is back to a version it
            // changed from before it was sent: either way, that version is the one to send.
            record = claim.update(record.withState(OutboundState.QUEUED));
        }
        if (record.state() != OutboundState.QUEUED && record.state() != OutboundState.SENDING) {
            return finishSent(record, claim);
        }
        if (object.size() == 0) {
            return fail(record, claim, "empty file: nothing to send (MESH messages need content)");
        }
        SendParameters parameters;
        try {
            parameters = SendParameters.resolve(object.key(), object.name(), store.metadata(object.key()),
                    config.outboundMappings(), clients.keySet(), config.useKeyForMexFilename());
        } catch (UnsendableException e) {
            return fail(record, claim, e.getMessage());
        } catch (MetadataUnreadableException e) {
            return fail(record, claim, "metadata unreadable: " + e.getMessage());
        }
        if (parameters.contentEncoding().isPresent() && !startsWithGzipMagic(object.key())) {
            return fail(record, claim, "Content-Encoding gzip is declared but the content is not gzip data");
        }
        long mailboxState = mailboxHealth.state(parameters.from());
        if (mailboxHealth.isPaused(parameters.from())) {
            return record; // MESH refuses the mailbox itself: the file waits in outbound/ until it resumes
        }
        boolean compress = record.state() == OutboundState.SENDING ? record.compress()
                : CompressionDecision.compress(parameters, object.size(), config.compressThreshold(),
                        config.neverCompress(), () -> store.content(object.key()));
        int chunkSize = record.state() == OutboundState.SENDING && record.chunkSize() > 0 ? record.chunkSize()
                : config.chunkSize();
        String localId = Optional.ofNullable(record.localId())
                .or(parameters::localId)
                .orElseGet(() -> "meshgate-" + UUID.randomUUID());
        // SENDING, with the local id, is recorded before the first chunk is posted: whoever resumes (this node after
        // a restart, or another once this claim is lost) first asks MESH for a message with that local id.
        boolean resuming = record.state() == OutboundState.SENDING;
        Optional<OutboundRecord> superseded = changedBeforeSend(object, record, claim);
        if (superseded.isPresent()) {
            return superseded.get();
        }
        record = claim.update(record.sending(parameters.from(), parameters.to(), parameters.workflowId(),
                localId, chunkSize, compress, clock.instant()));
        OutboundMessage message = message(parameters, localId, compress);
        MessageContent content = store.content(object.key());
        SendProgress progress = resuming
                ? SendProgress.recorded(record.meshMessageId(), record.chunksAccepted(), record.startedAt(), chunkSize)
                : SendProgress.start(record.startedAt(), chunkSize);
        long recordId = record.id();
        long started = System.nanoTime();
        long[] chunkStarted = {started};
        SendResult result;
        claim.checkHeld();
        try {
            result = clients.get(parameters.from()).resume(message, content, progress, (id, chunk, total) -> {
                // The heartbeat renews the claim; should it have found the claim lost, stop before the next call.
                claim.checkHeld();
                // The last chunk is recorded with acceptance, just after; should the process die in between,
                // resuming finds the message by its local id.
                if (chunk < total) {
                    OutboundRecord current = ledger.findOutbound(recordId).orElseThrow();
                    claim.update(current.progress(id, chunk, total));
                }
                LOG.info("outbound_chunk key={} message_id={} chunk={}/{}", object.key(), id, chunk, total);
                long now = System.nanoTime();
                java.time.Duration took = java.time.Duration.ofNanos(now - chunkStarted[0]);
                chunkStarted[0] = now;
                if (chunk < total && !budget.anotherChunk(took)) {
                    throw new SendBudget.Spent();
                }
            });
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
            return fail(ledger.findOutbound(record.id()).orElseThrow(), claim, "MESH refused it: " + e.getMessage());
        }
        OutboundRecord accepted = claim.update(ledger.findOutbound(record.id()).orElseThrow()
                .accepted(result.messageId(), clock.instant()));
        LOG.info("outbound_accepted key={} from={} to={} workflow_id={} message_id={} chunks={} compressed={}",
                object.key(), parameters.from(), parameters.to(), parameters.workflowId(), result.messageId(),
                result.chunks(), compress);
        metrics.outboundAccepted(parameters.from(), object.size(),
                java.time.Duration.ofNanos(System.nanoTime() - started));
        return finishAccepted(accepted, object, claim);
    }

    /**
     * Just before sending, the file must still be the version that was listed and settled. If a writer has changed it
     * since, this version is not sent (nor the rest of it, when resuming): the changed file is a version of its own,
     * which the next scan finds and sends once it has settled.
     */
    private Optional<OutboundRecord> changedBeforeSend(ObjectInfo listed, OutboundRecord record, HeldClaim claim)
            throws IOException {
        Optional<ObjectInfo> current = store.stat(listed.key());
        if (current.isEmpty() || current.get().sameVersionAs(listed)) {
            return Optional.empty();
        }
        LOG.info("outbound_changed_before_send key={} bytes={} now_bytes={} chunks_sent={}", listed.key(),
                listed.size(), current.get().size(), record.chunksAccepted());
        String reason = "the file changed before this version was sent (" + listed.size() + " bytes, modified at "
                + listed.lastModified() + "; now " + current.get().size() + " bytes, modified at "
                + current.get().lastModified() + "): the changed file is sent as a version of its own";
        return Optional.of(claim.update(record.withState(OutboundState.SUPERSEDED).withReason(reason)));
    }

    /** MESH has the version that was listed: the file is archived only if it is still that version. */
    private OutboundRecord finishAccepted(OutboundRecord accepted, ObjectInfo sent, HeldClaim claim)
            throws IOException {
        Optional<ObjectInfo> now = store.stat(sent.key());
        if (now.isEmpty()) {
            return accepted;
        }
        if (!now.get().sameVersionAs(sent)) {
            return changedDuringSend(accepted, sent, now.get(), claim);
        }
        return archive(accepted, claim);
    }

    /**
     * A writer changed the file while it was being sent: MESH accepted the earlier version, which the file no longer
     * is. The file is not archived as sent: it stays in outbound/, and once settled it is sent as a new version. The
     * record, the log, a counter and a note under sent/{message_id}/ say what MESH received.
     */
    private OutboundRecord changedDuringSend(OutboundRecord accepted, ObjectInfo sent, ObjectInfo now,
            HeldClaim claim) throws IOException {
        String messageId = accepted.meshMessageId();
        String reason = "the file changed while it was being sent: MESH accepted message " + messageId
                + " with the version of " + sent.size() + " bytes modified at " + sent.lastModified()
                + "; the file now has " + now.size() + " bytes, modified at " + now.lastModified()
                + ", and stays in outbound/ to be sent as a new message";
        OutboundRecord recorded = claim.update(accepted.withReason(reason));
        String noteKey = SENT + messageId + "/" + relative(sent.key()) + ".reason.txt";
        LOG.warn("outbound_changed_during_send key={} message_id={} sent_bytes={} now_bytes={} note_key={}",
                sent.key(), messageId, sent.size(), now.size(), noteKey);
        metrics.outboundChangedDuringSend(accepted.sender());
        store.putText(noteKey, "MeshGate sent an earlier version of " + sent.key() + " than the one there now.\n"
                + "message_id: " + messageId + "\n"
                + "sent: " + sent.size() + " bytes, modified at " + sent.lastModified() + "\n"
                + "now: " + now.size() + " bytes, modified at " + now.lastModified() + "\n"
                + "at: " + clock.instant() + "\n"
                + "The file was still being written when it was sent. It was not archived here: it stays in outbound/"
                + " and is sent as a new message once it has settled. Tell the recipient to ignore message "
                + messageId + ".\n", Map.of());
        return recorded;
    }

    private boolean startsWithGzipMagic(String key) throws IOException {
        try (java.io.InputStream in = store.content(key).open(0)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    /**
     * An object stored with a Content-Encoding is sent as terraform-aws-mesh-client sends it: its bytes as they are,
     * not compressed again (see {@link CompressionDecision}) and without a Content-Encoding of its own, so its
     * recipients get what they got from the module.
     */
    private static OutboundMessage message(SendParameters p, String localId, boolean compress) {
        OutboundMessage.Builder builder = OutboundMessage.to(p.to(), p.workflowId()).localId(localId)
                .contentCompressed(p.contentCompressed()).contentEncrypted(p.contentEncrypted()).compress(compress);
        p.subject().ifPresent(builder::subject);
        p.fileName().ifPresent(builder::fileName);
        p.contentType().ifPresent(builder::contentType);
        p.contentChecksum().ifPresent(builder::contentChecksum);
        p.partnerId().ifPresent(builder::partnerId);
        return builder.build();
    }

    /**
     * After MESH accepted: the object leaves outbound/ (archived under sent/ or deleted), or stays with
     * {@code sent_action: keep}. A version already archived
     * that is under outbound/ again (the same key, size and modification time) was put back by someone: it was sent,
     * so it is archived again, not sent again.
     */
    private OutboundRecord finishSent(OutboundRecord record, HeldClaim claim) throws IOException {
        return store.stat(record.objectKey()).isEmpty() ? record : archive(record, claim);
    }

    /** Archives (or deletes) the object, still under outbound/, of a record MESH has accepted. */
    private OutboundRecord archive(OutboundRecord record, HeldClaim claim) throws IOException {
        if (config.sentAction() == SentAction.KEEP) {
            // Left where it is; the record, with the key as where it went, says this version is sent.
            return record.sentKey() != null ? record : claim.finish(record.sentTo(record.objectKey()));
        }
        if (record.sentKey() != null) {
            LOG.warn("outbound_already_sent key={} bytes={} last_modified={} message_id={} earlier_sent_key=\"{}\"",
                    record.objectKey(), record.size(), record.lastModified(), record.meshMessageId(),
                    record.sentKey());
        }
        String sentKey;
        if (config.sentAction() == SentAction.DELETE) {
            store.delete(record.objectKey());
            sentKey = "";
        } else {
            sentKey = ArchiveKeys.moveKeepingBoth(store, record.objectKey(),
                    SENT + record.meshMessageId() + "/" + relative(record.objectKey()), clock.instant());
        }
        return claim.finish(record.sentTo(sentKey));
    }

    /**
     * Moves the object to failed/, never over another failed file (a second file of the same name is kept beside
     * it, named with the time), with a readable reason beside it, and records why.
     */
    private OutboundRecord fail(OutboundRecord record, HeldClaim claim, String reason) throws IOException {
        // Only the claim's holder moves the object: a node that lost its claim leaves it to the new holder.
        claim.confirm();
        String failedKey = FAILED + relative(record.objectKey());
        Instant now = clock.instant();
        if (store.stat(record.objectKey()).isPresent()) {
            failedKey = ArchiveKeys.moveKeepingBoth(store, record.objectKey(), failedKey, now);
        } else {
            // Nothing to keep; the reason must not take the place of another failed file's.
            failedKey = ArchiveKeys.alternative(failedKey, now, 1);
        }
        store.putText(failedKey + ".reason.txt", "MeshGate could not send " + record.objectKey() + "\n"
                + "reason: " + reason + "\n"
                + "at: " + now + "\n"
                + "To try again, fix the cause and move the file back under outbound/.\n", Map.of());
        LOG.warn("outbound_failed key={} failed_key={} reason=\"{}\"", record.objectKey(), failedKey, reason);
        metrics.outboundFailed(record.sender() == null ? "unknown" : record.sender());
        return claim.finish(record.failed(reason, false));
    }

    static String relative(String key) {
        return key.startsWith(OUTBOUND) ? key.substring(OUTBOUND.length()) : key;
    }

    /** The gateway's own mailboxes. */
    public Set<String> mailboxes() {
        return clients.keySet();
    }
}
