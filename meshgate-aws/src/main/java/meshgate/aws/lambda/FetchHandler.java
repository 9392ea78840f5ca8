package meshgate.aws.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import meshgate.client.MeshClient;
import meshgate.client.MessageInputStream;
import meshgate.client.MessageMetadata;
import meshgate.gateway.Gateway;
import meshgate.gateway.inbound.InboundReceiver;
import meshgate.gateway.ledger.InboundRecord;
import meshgate.gateway.ledger.InboundState;
import meshgate.gateway.ledger.Ledger;
import meshgate.gateway.store.S3ObjectStore;
import meshgate.gateway.store.S3ObjectStore.ResumableWriter;
import meshgate.gateway.store.S3ObjectStore.UploadCheckpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fetch function, fed by the fetch queue with {@code {"mailbox_id": ..., "message_id": ...}} from poll (and its
 * own continuations): downloads one message to its final key under {@code inbound/}, then acknowledges it. A message
 * in several chunks, as MESH holds it (not gzip-encoded), is written chunk by chunk into an S3 multipart upload
 * whose progress is recorded in the ledger's table at chunk boundaries; an invocation short of time stops at one and
 * queues a continuation, and one that is killed is delivered again by the queue and carries on from the last
 * boundary recorded. S3 shows the object only once whole, and MESH is told only once it is stored. Other messages
 * (one chunk, gzip-encoded, reports) are received in one invocation by the gateway's {@link InboundReceiver}.
 */
public class FetchHandler extends MeshGateHandler {
    private static final Logger LOG = LoggerFactory.getLogger(FetchHandler.class);

    public FetchHandler() {
    }

    public FetchHandler(Map<String, String> environment) {
        super(environment);
    }

    static String body(String mailbox, String messageId) {
        return JSON.createObjectNode().put("mailbox_id", mailbox).put("message_id", messageId).toString();
    }

    @Override
    protected JsonNode handle(JsonNode event, Deadline deadline) {
        return eachMessage(event, message -> {
            JsonNode body = JSON.readTree(message.body());
            String mailbox = mailboxOf(body);
            String messageId = body.path("message_id").asText("");
            if (messageId.isBlank()) {
                throw new IOException("the message names no message_id: " + message.body());
            }
            Outcome outcome = fetch(mailbox, messageId, deadline);
            runtime().parts().events().deliverInboundDue();
            return outcome;
        });
    }

    private Outcome fetch(String mailbox, String messageId, Deadline deadline) throws IOException {
        LambdaRuntime runtime = runtime();
        Gateway.Parts parts = runtime.parts();
        MeshClient client = parts.client(mailbox);
        Ledger ledger = runtime.gateway().ledger();
        InboundRecord record = ledger.recordInbound(mailbox, messageId);
        if (record.state() == InboundState.ACKNOWLEDGED) {
            return Outcome.DONE;
        }
        if (record.state() == InboundState.STORED) {
            parts.receiver().finish(client, record);
            return Outcome.DONE;
        }
        MessageMetadata metadata = client.headers(messageId);
        if (metadata.totalChunks() <= 1 || metadata.isGzipEncoded() || metadata.isReport()) {
            InboundRecord received = parts.receiver().receive(client, messageId);
            return received.state() == InboundState.ACKNOWLEDGED ? Outcome.DONE : Outcome.AGAIN;
        }
        return fetchInChunks(runtime, client, record, metadata, deadline);
    }

    private Outcome fetchInChunks(LambdaRuntime runtime, MeshClient client, InboundRecord listed,
            MessageMetadata metadata, Deadline deadline) throws IOException {
        String mailbox = listed.mailbox();
        String messageId = listed.messageId();
        InboundReceiver receiver = runtime.parts().receiver();
        S3ObjectStore store = runtime.store();
        FetchProgress progress = new FetchProgress(runtime.ledger().client(), runtime.ledger().table());
        Optional<FetchProgress.State> state = progress.load(mailbox, messageId);
        InboundReceiver.Placement placement = receiver.placement(mailbox, messageId, metadata);
        if (placement.stored()) {
            // Stored by an invocation that stopped before recording it.
            receiver.finish(client, receiver.recordStored(listed, metadata, placement.key(), placement.size()));
            state.ifPresent(s -> progress.delete(mailbox, messageId));
            return Outcome.DONE;
        }
        String key = state.map(FetchProgress.State::objectKey).orElse(placement.key());
        ResumableWriter writer = null;
        if (state.isPresent()) {
            try {
                writer = store.resumeNew(key, placement.metadata(), state.get().checkpoint());
            } catch (NoSuchFileException gone) {
                LOG.warn("inbound_upload_gone mailbox={} message_id={} key={} note=\"starting the download again\"",
                        mailbox, messageId, key);
                progress.delete(mailbox, messageId);
                state = Optional.empty();
                key = placement.key();
            }
        }
        if (writer == null) {
            writer = store.createNewResumable(key, placement.metadata());
        }
        InboundRecord record = runtime.gateway().ledger().updateInbound(listed.downloading());
        int total = metadata.totalChunks();
        int from = state.map(FetchProgress.State::chunksDone).orElse(0) + 1;
        boolean handedOn = false;
        try {
            byte[] crumb = new byte[runtime.settings().gateway().crumbSize()];
            long chunkStarted = System.nanoTime();
            for (int chunk = from; chunk <= total; chunk++) {
                try (MessageInputStream in = client.openChunk(messageId, metadata, chunk)) {
                    copy(in, writer.stream(), crumb);
                }
                LOG.info("inbound_chunk mailbox={} message_id={} chunk={}/{}", mailbox, messageId, chunk, total);
                if (chunk == total) {
                    break;
                }
                Optional<UploadCheckpoint> checkpoint = writer.checkpoint();
                if (checkpoint.isEmpty()) {
                    continue; // under S3's smallest part: carried on to the next chunk before it can be recorded
                }
                state = Optional.of(progress.save(mailbox, messageId, state, key, checkpoint.get(), chunk));
                long now = System.nanoTime();
                Duration took = Duration.ofNanos(now - chunkStarted);
                chunkStarted = now;
                if (!deadline.anotherChunk(took)) {
                    writer.suspend();
                    handedOn = true;
                    runtime.enqueue(runtime.settings().fetchQueueUrl(), List.of(body(mailbox, messageId)));
                    LOG.info("inbound_paused mailbox={} message_id={} chunks={}/{} bytes={} note=\"out of time: "
                            + "carried on from here\"", mailbox, messageId, chunk, total, checkpoint.get().size());
                    return Outcome.DONE;
                }
            }
            writer.commit();
        } catch (FetchProgress.TakenOver e) {
            writer.suspend();
            handedOn = true;
            LOG.info("inbound_taken_over mailbox={} message_id={} note=\"{}\"", mailbox, messageId, e.getMessage());
            return Outcome.DONE;
        } finally {
            if (!handedOn) {
                // Neither committed nor handed on (a failure): the upload stays for the retry to carry on.
                writer.suspend();
            }
        }
        InboundRecord stored = receiver.recordStored(record, metadata, key, writer.written());
        receiver.finish(client, stored);
        progress.delete(mailbox, messageId);
        return Outcome.DONE;
    }

    private static void copy(InputStream in, OutputStream out, byte[] crumb) throws IOException {
        for (int read; (read = in.read(crumb)) >= 0; ) {
            out.write(crumb, 0, read);
        }
    }
}
