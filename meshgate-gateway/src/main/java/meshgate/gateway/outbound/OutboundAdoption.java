package meshgate.gateway.outbound;

import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import meshgate.gateway.config.OutboundExisting;
import meshgate.gateway.ledger.Ledger;
import meshgate.gateway.ledger.OutboundRecord;
import meshgate.gateway.ledger.OutboundState;
import meshgate.gateway.store.ObjectInfo;
import meshgate.gateway.store.ObjectStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's first start on a store: with {@code outbound_existing: adopt}, every object already under
 * {@code outbound/} is recorded in the ledger as {@code ADOPTED} (sent by whatever ran before, such as NHS England's
 * Terraform MESH module, which leaves what it sent there) and is never sent.
 *
 * <p>The ledger keeps a record of {@code outbound/} itself (a size no object has), {@code QUEUED} while the adoption
 * runs and {@code ADOPTED} once it is done, so an adoption cut short by a crash is carried on at the next start, not
 * mistaken for a ledger that has seen this store before. A ledger that already has records and no such record (kept
 * by an earlier MeshGate, which archives what it sends) has seen the store: its objects under {@code outbound/} are
 * waiting to be sent, and nothing is adopted.
 */
final class OutboundAdoption {
    private static final Logger LOG = LoggerFactory.getLogger(OutboundAdoption.class);
    /** The record of outbound/ itself: no object has a negative size. */
    static final String BASELINE_KEY = OutboundProcessor.OUTBOUND;
    static final long BASELINE_SIZE = -1;
    static final Instant BASELINE_TIME = Instant.EPOCH;
    private static final String IN_PROGRESS = "adopting the objects under outbound/ at the first start";
    /** How many objects are adopted between two looks at whether another node has finished the adoption. */
    private static final int CHECK_EVERY = 100;

    private final ObjectStore store;
    private final Ledger ledger;
    private final LeaseKeeper leases;
    private final OutboundExisting setting;

    OutboundAdoption(ObjectStore store, Ledger ledger, LeaseKeeper leases, OutboundExisting setting) {
        this.store = store;
        this.ledger = ledger;
        this.leases = leases;
        this.setting = setting;
    }

    /** Adopts what is under outbound/ if this is the store's first start, or carries on an adoption cut short. */
    void run() throws IOException {
        long before = total();
        OutboundRecord baseline = ledger.recordOutbound(BASELINE_KEY, BASELINE_SIZE, BASELINE_TIME);
        if (baseline.state() == OutboundState.ADOPTED) {
            return;
        }
        if (baseline.reason() == null) {
            // Counted before only if it was there already (created, then a crash before this start's reason).
            boolean existed = total() == before;
            if (before - (existed ? 1 : 0) > 0) {
                complete(baseline, "the ledger had records of this store already: nothing adopted");
                LOG.info("outbound_adoption_skipped reason=\"the ledger has seen this store before\"");
                return;
            }
            if (setting == OutboundExisting.SEND) {
                complete(baseline, "outbound_existing is send: the objects there at the first start are sent");
                LOG.info("outbound_adoption_skipped reason=\"outbound_existing is send\"");
                return;
            }
            baseline = ledger.updateOutbound(baseline.withReason(IN_PROGRESS));
        }
        adoptAll(baseline);
    }

    private void adoptAll(OutboundRecord baseline) throws IOException {
        long started = System.nanoTime();
        int adopted = 0;
        int seen = 0;
        for (ObjectInfo object : store.list(OutboundProcessor.OUTBOUND)) {
            if (++seen % CHECK_EVERY == 0 && finishedElsewhere(baseline)) {
                LOG.info("outbound_adoption_finished_by_another_node adopted_here={}", adopted);
                return;
            }
            if (adopt(object)) {
                adopted++;
            }
        }
        complete(ledger.findOutbound(baseline.id()).orElse(baseline), "first start: " + adopted
                + " objects already under outbound/ adopted as sent (outbound_existing: adopt)");
        LOG.info("outbound_adopted count={} listed={} millis={} note=\"already under outbound/ at the first start: "
                + "recorded as sent, left in place, never sent; set outbound_existing: send before the first start to "
                + "send them instead\"", adopted, seen, (System.nanoTime() - started) / 1_000_000);
    }

    /** Records one object as adopted, unless some node has begun to send it (its record is no longer new). */
    private boolean adopt(ObjectInfo object) {
        OutboundRecord record = ledger.recordOutbound(object.key(), object.size(), object.lastModified());
        if (!untouched(record)) {
            return false;
        }
        Optional<HeldClaim> held = leases.claim(record.id());
        if (held.isEmpty()) {
            return false;
        }
        try (HeldClaim claim = held.get()) {
            OutboundRecord current = ledger.findOutbound(record.id()).orElseThrow();
            if (!untouched(current)) {
                return false;
            }
            claim.update(current.withState(OutboundState.ADOPTED).withReason("already under outbound/ (version "
                    + Optional.ofNullable(object.version()).orElse("unknown") + ") when the gateway first started: "
                    + "taken as sent by what ran before, not sent (outbound_existing: adopt)"));
            LOG.debug("outbound_adopted key={} bytes={} version={}", object.key(), object.size(), object.version());
            return true;
        } catch (HeldClaim.ClaimLostException e) {
            return false;
        }
    }

    private static boolean untouched(OutboundRecord record) {
        return record.state() == OutboundState.QUEUED && record.attempts() == 0;
    }

    private boolean finishedElsewhere(OutboundRecord baseline) {
        return ledger.findOutbound(baseline.id()).map(r -> r.state() == OutboundState.ADOPTED).orElse(false);
    }

    private void complete(OutboundRecord baseline, String reason) {
        ledger.updateOutbound(baseline.withState(OutboundState.ADOPTED).withReason(reason));
    }

    private long total() {
        return ledger.countOutbound().values().stream().mapToLong(Long::longValue).sum();
    }
}
