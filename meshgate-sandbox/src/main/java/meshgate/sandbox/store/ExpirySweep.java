package meshgate.sandbox.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies MESH's time limits. An accepted DATA message not acknowledged within {@code expiry} becomes undeliverable,
 * leaves the inbox, and its sender receives a REPORT (code 14). Unfinished uploads and reports that are never
 * acknowledged time out the same way, without a report. Anything older than six expiry periods (30 days for the usual
 * 5) is deleted.
 */
public final class ExpirySweep {
    public static final String UNDELIVERED_CODE = "14";
    public static final String UNDELIVERED_EVENT = "SEND";
    private static final Logger LOG = LoggerFactory.getLogger(ExpirySweep.class);

    private final MessageStore store;
    private final MessageIds ids;
    private final Clock clock;
    private final Duration expiry;

    public ExpirySweep(MessageStore store, MessageIds ids, Clock clock, Duration expiry) {
        this.store = store;
        this.ids = ids;
        this.clock = clock;
        this.expiry = expiry;
    }

    /** Runs the sweep; returns how many messages became undeliverable. */
    public int run() {
        Instant now = clock.instant();
        Instant expiredBefore = now.minus(expiry);
        int expired = 0;
        List<StoredMessage> candidates = store.matching(m -> expires(m, expiredBefore));
        for (StoredMessage candidate : candidates) {
            if (expire(candidate.id(), now, expiredBefore)) {
                expired++;
            }
        }
        Instant purgeBefore = now.minus(expiry.multipliedBy(6));
        store.matching(m -> m.envelope().uploadedAt().isBefore(purgeBefore)).forEach(m -> store.remove(m.id()));
        return expired;
    }

    /** {@code Message not collected by recipient after 5 days}, with the configured period. */
    public String undeliveredDescription() {
        long days = expiry.toDays();
        String period = days >= 1 ? days + (days == 1 ? " day" : " days") : expiry.toMinutes() + " minutes";
        return "Message not collected by recipient after " + period;
    }

    private static boolean expires(StoredMessage m, Instant expiredBefore) {
        return switch (m.status()) {
            case ACCEPTED -> !m.state().acceptedAt().isAfter(expiredBefore);
            case UPLOADING -> !m.envelope().uploadedAt().isAfter(expiredBefore);
            default -> false;
        };
    }

    private boolean expire(String messageId, Instant now, Instant expiredBefore) {
        boolean[] changed = {false};
        StoredMessage result = store.update(messageId, m -> {
            if (!expires(m, expiredBefore)) {
                return m;
            }
            changed[0] = true;
            if (m.status() == MessageStatus.UPLOADING) {
                return m.with(m.state().failed(MessageStatus.ERROR, now, null, null, null));
            }
            return m.with(m.state().failed(MessageStatus.UNDELIVERABLE, now, UNDELIVERED_CODE, UNDELIVERED_EVENT,
                    undeliveredDescription()));
        }).orElse(null);
        if (!changed[0]) {
            return false;
        }
        if (result.status() == MessageStatus.UNDELIVERABLE && !result.envelope().isReport()
                && result.envelope().sender() != null) {
            StoredMessage report = Reports.nonDelivery(result, ids.next(), now, store.nextArrival());
            store.add(report);
            LOG.debug("expired message_id={} recipient={} report_id={}", messageId, result.envelope().recipient(),
                    report.id());
        }
        return result.status() == MessageStatus.UNDELIVERABLE;
    }
}
