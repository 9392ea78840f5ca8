package meshgate.gateway.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import meshgate.client.MeshAuthenticationException;
import meshgate.client.MeshClient;
import meshgate.client.MeshException;
import meshgate.client.MeshTlsException;
import meshgate.gateway.ledger.Ledger;
import meshgate.gateway.ledger.LedgerException;
import meshgate.gateway.metrics.MeshGateMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which mailboxes MESH currently refuses, and why. A refused password, shared key or certificate, or a failed TLS
 * handshake, is a problem of the mailbox, not of any file: the mailbox is paused (nothing is sent from it or polled,
 * its files wait in {@code outbound/}) and its handshake is tried again with backoff until it works, when the mailbox
 * carries on by itself. Each change of state is one WARN line; the pause shows in a gauge and in {@code /health}.
 */
public final class MailboxHealth {
    private static final Logger LOG = LoggerFactory.getLogger(MailboxHealth.class);
    /** 5 s, doubling with each failed try, at most 5 minutes. */
    private static final Backoff RETRIES = new Backoff(Duration.ofSeconds(5), Duration.ofMinutes(5));

    /** Why and since when a mailbox is paused, and when its handshake is next tried. */
    public record Pause(String mailbox, String reason, Instant since, int failedTries, Instant nextTry) {
        Pause failedAgain(String why, Instant now) {
            return new Pause(mailbox, why, since, failedTries + 1, now.plus(RETRIES.after(failedTries + 1)));
        }
    }

    private final Map<String, MeshClient> clients;
    private final Clock clock;
    private final MeshGateMetrics metrics;
    private final Ledger ledger;
    private final Map<String, Pause> paused = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> changes = new ConcurrentHashMap<>();

    public MailboxHealth(Map<String, MeshClient> clients, Clock clock, MeshGateMetrics metrics, Ledger ledger) {
        this.clients = Map.copyOf(clients);
        this.ledger = ledger;
        this.clock = clock;
        this.metrics = metrics;
        clients.keySet().forEach(mailbox -> metrics.watchPaused(mailbox, this::isPaused));
    }

    public boolean isPaused(String mailbox) {
        return paused.containsKey(mailbox);
    }

    /** The paused mailboxes, by mailbox id. */
    public List<Pause> paused() {
        return paused.values().stream().sorted(Comparator.comparing(Pause::mailbox)).toList();
    }

    /**
     * Where a mailbox stands, to take before a call and give to {@link #failed(String, MeshException, long)} if it
     * fails: it changes each time the mailbox is paused or resumed.
     */
    public long state(String mailbox) {
        return changes(mailbox).get();
    }

    private AtomicLong changes(String mailbox) {
        return changes.computeIfAbsent(mailbox, m -> new AtomicLong());
    }

    /**
     * Validates a mailbox with MESH's handshake, counted; a success resumes a paused mailbox, a refusal of its
     * credentials or TLS pauses it. Returns whether the handshake worked.
     */
    public boolean validate(MeshClient client) {
        return handshake(client, false);
    }

    /** Tries the handshake of each paused mailbox whose retry is due; each failed try doubles the wait. */
    public void retryDue() {
        Instant now = clock.instant();
        for (Pause pause : paused()) {
            if (!pause.nextTry().isAfter(now)) {
                handshake(clients.get(pause.mailbox()), true);
            }
        }
    }

    /** {@link #failed(String, MeshException, long)} for a call whose start state was not taken (a poll). */
    public boolean failed(String mailbox, MeshException e) {
        return failed(mailbox, e, state(mailbox));
    }

    /**
     * A call of {@code mailbox} (a send, a poll, an acknowledgement), begun when the mailbox was in {@code
     * stateAtStart}, failed with {@code e}. Returns true when the failure is the mailbox's, not the message's: a failed
     * TLS handshake, or a refusal (HTTP 401/403) that the handshake confirms (the mailbox is then paused), that cannot
     * be checked now, or that the mailbox was paused or resumed while the call ran. Only a refusal the handshake
     * contradicts belongs to the message.
     */
    public boolean failed(String mailbox, MeshException e, long stateAtStart) {
        if (!isMailboxProblem(e)) {
            return false;
        }
        if (isPaused(mailbox) || state(mailbox) != stateAtStart) {
            return true;
        }
        if (e instanceof MeshTlsException) {
            pause(mailbox, e, false);
            return true;
        }
        return !validate(clients.get(mailbox));
    }

    static boolean isMailboxProblem(MeshException e) {
        return e instanceof MeshAuthenticationException || e instanceof MeshTlsException;
    }

    private boolean handshake(MeshClient client, boolean retry) {
        try {
            client.handshake();
            metrics.mailboxValidated(client.mailbox(), true);
            recordHandshake(client.mailbox(), java.util.Optional.empty());
            resume(client.mailbox());
            return true;
        } catch (MeshException e) {
            metrics.mailboxValidated(client.mailbox(), false);
            recordHandshake(client.mailbox(), java.util.Optional.of(e.getMessage() == null ? e.toString()
                    : e.getMessage()));
            if (isMailboxProblem(e)) {
                pause(client.mailbox(), e, retry);
            } else {
                LOG.error("mailbox_validation_failed mailbox={} status={} reason=\"{}\"", client.mailbox(),
                        e.httpStatus(), e.getMessage());
                if (retry) {
                    paused.computeIfPresent(client.mailbox(), (id, p) -> p.failedAgain(p.reason(), clock.instant()));
                }
            }
            return false;
        }
    }

    /** A ledger that cannot take the record does not stop the handshake's own work; the next one is recorded. */
    private void recordHandshake(String mailbox, java.util.Optional<String> failure) {
        try {
            ledger.recordHandshake(mailbox, failure);
        } catch (LedgerException e) {
            LOG.warn("handshake_not_recorded mailbox={} reason=\"{}\"", mailbox, e.getMessage());
        }
    }

    /**
     * Pauses a mailbox, or keeps it paused. Only a failed retry of its handshake moves its next retry further off;
     * the refusals of calls already under way when it was paused do not.
     */
    private void pause(String mailbox, MeshException e, boolean retry) {
        Instant now = clock.instant();
        Pause[] before = new Pause[1];
        Pause after = paused.compute(mailbox, (id, p) -> {
            before[0] = p;
            if (p == null) {
                return new Pause(id, e.getMessage(), now, 1, now.plus(RETRIES.after(1)));
            }
            return retry ? p.failedAgain(e.getMessage(), now) : p;
        });
        if (before[0] == null) {
            changes(mailbox).incrementAndGet();
            LOG.warn("mailbox_paused mailbox={} status={} reason=\"{}\" retry_in_s={} note=\"MESH refuses this "
                    + "mailbox's credentials or TLS: nothing is sent or polled, files wait in outbound/; it resumes by "
                    + "itself once the handshake works\"", mailbox, e.httpStatus(), e.getMessage(),
                    RETRIES.after(1).toSeconds());
        } else if (retry) {
            LOG.info("mailbox_still_paused mailbox={} status={} failed_tries={} retry_in_s={} reason=\"{}\"",
                    mailbox, e.httpStatus(), after.failedTries(), Duration.between(now, after.nextTry()).toSeconds(),
                    e.getMessage());
        }
    }

    private void resume(String mailbox) {
        Pause pause = paused.remove(mailbox);
        if (pause != null) {
            changes(mailbox).incrementAndGet();
            LOG.warn("mailbox_resumed mailbox={} paused_s={} failed_tries={} note=\"sending and polling carry on\"",
                    mailbox, Duration.between(pause.since(), clock.instant()).toSeconds(), pause.failedTries());
        }
    }
}
