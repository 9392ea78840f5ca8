package meshgate.gateway.inbound;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantLock;
import meshgate.client.MeshClient;
import meshgate.client.MeshException;
import meshgate.gateway.metrics.MeshGateMetrics;
import meshgate.gateway.ops.MailboxHealth;
import meshgate.gateway.ledger.InboundRecord;
import meshgate.gateway.ledger.InboundState;
import meshgate.gateway.ledger.Ledger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls one mailbox: lists its whole inbox (every page, so a backlog of other workflows' messages never hides new
 * ones) and receives each message on the shared download pool, whose size is {@code get_message_max_concurrency}.
 * Only one poll of a mailbox runs at a time; a poll returns when all its messages are done.
 */
public final class InboxPoller {
    private static final Logger LOG = LoggerFactory.getLogger(InboxPoller.class);

    private final MeshClient client;
    private final InboundReceiver receiver;
    private final Ledger ledger;
    private final ExecutorService downloads;
    private final MeshGateMetrics metrics;
    private final MailboxHealth mailboxHealth;
    private final ReentrantLock polling = new ReentrantLock();

    public InboxPoller(MeshClient client, InboundReceiver receiver, Ledger ledger, ExecutorService downloads,
            MeshGateMetrics metrics, MailboxHealth mailboxHealth) {
        this.client = client;
        this.mailboxHealth = mailboxHealth;
        this.metrics = metrics;
        this.receiver = receiver;
        this.ledger = ledger;
        this.downloads = downloads;
    }

    public String mailbox() {
        return client.mailbox();
    }

    /**
     * One poll; returns how many messages were received and acknowledged. Skipped if a poll is running, or while
     * MESH refuses the mailbox's credentials or TLS (it is polled again once they work).
     */
    public int poll() {
        if (mailboxHealth.isPaused(mailbox()) || !polling.tryLock()) {
            return 0;
        }
        try {
            finishStored();
            List<String> ids = client.inbox();
            metrics.inboxPolled(mailbox());
            recordActivity(() -> ledger.recordPoll(mailbox(), ids.size()));
            List<Future<InboundRecord>> work = new ArrayList<>(ids.size());
            for (String id : ids) {
                work.add(downloads.submit(() -> receiver.receive(client, id)));
            }
            int done = 0;
            for (int i = 0; i < work.size(); i++) {
                try {
                    if (work.get(i).get().state() == InboundState.ACKNOWLEDGED) {
                        done++;
                    }
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof MeshException mesh) {
                        mailboxHealth.failed(mailbox(), mesh);
                    }
                    metrics.inboundFailed(mailbox());
                    LOG.warn("inbound_failed mailbox={} message_id={} reason=\"{}\" note=\"tried again at the next "
                            + "poll\"", mailbox(), ids.get(i), e.getCause().toString());
                }
            }
            if (!ids.isEmpty()) {
                LOG.info("inbox_polled mailbox={} listed={} received={}", mailbox(), ids.size(), done);
            }
            return done;
        } catch (MeshException e) {
            recordActivity(() -> ledger.recordPollFailure(mailbox(), e.getMessage() == null ? e.toString()
                    : e.getMessage()));
            if (!mailboxHealth.failed(mailbox(), e)) {
                LOG.warn("inbox_poll_failed mailbox={} reason=\"{}\"", mailbox(), e.getMessage());
            }
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } finally {
            polling.unlock();
        }
    }

    /**
     * Polls, then polls again at once for as long as each poll receives messages, as MESH's guidance asks of a
     * client with messages waiting (collect them all, then wait for the poll interval): messages that came while
     * one poll downloaded are listed as soon as it ends, not a whole interval later. Stops after
     * {@code maxPolls} polls, so that a mailbox that never empties still lets its job's turn end; returns how many
     * messages were received and acknowledged.
     */
    public int drain(int maxPolls) {
        int total = 0;
        for (int polls = 0; polls < maxPolls && !Thread.currentThread().isInterrupted(); polls++) {
            int received = poll();
            total += received;
            if (received == 0) {
                break;
            }
        }
        return total;
    }

    /** What the poll saw is for a person to read; a ledger that cannot take it does not stop the poll. */
    private void recordActivity(Runnable write) {
        try {
            write.run();
        } catch (meshgate.gateway.ledger.LedgerException e) {
            LOG.warn("poll_not_recorded mailbox={} reason=\"{}\"", mailbox(), e.getMessage());
        }
    }

    /**
     * Messages stored before a restart, or whose acknowledgement failed: acknowledge them. (Their events are the
     * outbox's work, not the poll's.)
     */
    private void finishStored() {
        for (InboundRecord record : ledger.inboundToFinish(mailbox())) {
            if (record.state() != InboundState.STORED) {
                continue;
            }
            try {
                receiver.finish(client, record);
            } catch (MeshException e) {
                mailboxHealth.failed(mailbox(), e);
                metrics.inboundFailed(mailbox());
                LOG.warn("inbound_ack_failed mailbox={} message_id={} reason=\"{}\"", mailbox(), record.messageId(),
                        e.getMessage());
            }
        }
    }
}
