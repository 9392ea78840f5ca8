package meshgate.gateway.outbound;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import meshgate.gateway.ledger.Ledger;
import meshgate.gateway.ledger.LedgerException;
import meshgate.gateway.ledger.OutboundClaim;
import meshgate.gateway.ledger.OutboundRecord;
import meshgate.gateway.ledger.StaleClaimException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's claim on one outbound record while it sends it, renewed by a {@link LeaseKeeper}'s heartbeat. Every
 * ledger write of the send goes through {@link #update}, which names the claim, so a write made after another node
 * took the record over is refused. {@link #checkHeld} is asked before each further MESH call: once the claim is lost,
 * or its lease has run out without a renewal getting through, the send stops.
 */
public final class HeldClaim implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HeldClaim.class);

    private final Ledger ledger;
    private final OutboundClaim claim;
    private final Duration lease;
    private final long callBudget;
    /**
     * When the lease last confirmed runs out, by {@link System#nanoTime}: a monotonic clock, so that a jump of the
     * wall clock can neither cut the claim short nor keep it after it ran out. Counted from before the renewal was
     * asked for, so it never ends later than the ledger's own lease.
     */
    private volatile long validUntil;
    private volatile boolean lost;
    /** Set once the last write, which gives the claim up, is under way: renewals stop for good. */
    private volatile boolean finishing;
    private volatile boolean released;
    private volatile ScheduledFuture<?> renewals;

    private HeldClaim(Ledger ledger, OutboundClaim claim, Duration lease, Duration callBudget, long claimedAt) {
        this.ledger = ledger;
        this.claim = claim;
        this.lease = lease;
        this.callBudget = callBudget.toNanos();
        this.validUntil = claimedAt + lease.toNanos();
    }

    /** Starts renewing {@code claim}, asked for at {@code claimedAt} ({@link System#nanoTime}), every {@code every}. */
    static HeldClaim start(Ledger ledger, OutboundClaim claim, long claimedAt, Duration lease, Duration callBudget,
            ScheduledExecutorService heartbeat, Duration every) {
        HeldClaim held = new HeldClaim(ledger, claim, lease, callBudget, claimedAt);
        held.renewals = heartbeat.scheduleWithFixedDelay(held::renew, every.toMillis(), every.toMillis(),
                TimeUnit.MILLISECONDS);
        return held;
    }

    public OutboundClaim claim() {
        return claim;
    }

    /**
     * Writes the record if this claim is still the record's current one.
     *
     * @throws ClaimLostException when another claim was made since: nothing was written
     */
    public OutboundRecord update(OutboundRecord record) {
        try {
            return ledger.updateOutbound(claim, record);
        } catch (StaleClaimException e) {
            lost = true;
            throw new ClaimLostException("another claim was made since: " + e.getMessage(), e);
        }
    }

    /**
     * Writes the record and gives the claim up in the same write, if this claim is still the record's current one:
     * the last write of a send. Closing the claim then has nothing left to do.
     *
     * @throws ClaimLostException when another claim was made since: nothing was written
     */
    public OutboundRecord finish(OutboundRecord record) {
        finishing = true;
        renewals.cancel(false);
        try {
            OutboundRecord written = ledger.updateAndReleaseOutbound(claim, record);
            released = true;
            return written;
        } catch (StaleClaimException e) {
            lost = true;
            throw new ClaimLostException("another claim was made since: " + e.getMessage(), e);
        }
    }

    /**
     * Returns if this node may make its next MESH call for the send.
     *
     * @throws ClaimLostException when the claim was lost, or less of its lease is left than one call can take (the
     *     renewals are not getting through)
     */
    public void checkHeld() {
        if (lost) {
            throw new ClaimLostException("outbound record " + claim.recordId() + " was claimed by another", null);
        }
        if (validUntil - System.nanoTime() < callBudget) {
            // Renewals have not got through: a call begun now might outlive the lease, and the node that takes the
            // record over would not see what it did.
            throw new ClaimLostException("the lease on outbound record " + claim.recordId()
                    + " is running out and could not be renewed", null);
        }
    }

    /**
     * Renews the claim now and returns if it is still held: asked before a step that no write of the ledger can
     * undo, such as moving the object.
     *
     * @throws ClaimLostException when the claim is lost, or the ledger cannot say
     */
    public void confirm() {
        checkHeld();
        long asked = System.nanoTime();
        boolean held;
        try {
            held = ledger.renewOutbound(claim, lease);
        } catch (LedgerException e) {
            throw new ClaimLostException("cannot confirm the claim on outbound record " + claim.recordId(), e);
        }
        if (!held) {
            lost = true;
            throw new ClaimLostException("outbound record " + claim.recordId() + " was claimed by another", null);
        }
        validUntil = asked + lease.toNanos();
    }

    private void renew() {
        if (finishing) {
            return;
        }
        long asked = System.nanoTime();
        try {
            if (ledger.renewOutbound(claim, lease)) {
                validUntil = asked + lease.toNanos();
                return;
            }
            if (finishing) {
                return; // given up by the last write meanwhile, not lost
            }
            lost = true;
            renewals.cancel(false);
            LOG.warn("outbound_claim_lost record_id={} node={} generation={}", claim.recordId(), claim.owner(),
                    claim.generation());
        } catch (LedgerException | IllegalStateException e) {
            // The ledger is out of reach or closing: try again at the next beat; the lease covers a few misses.
            LOG.warn("outbound_claim_renew_failed record_id={} node={} reason=\"{}\"", claim.recordId(),
                    claim.owner(), e.toString());
        }
    }

    /** Stops renewing and gives the record up, if the claim is still its current one. */
    @Override
    public void close() {
        renewals.cancel(false);
        if (released) {
            return;
        }
        try {
            ledger.releaseOutbound(claim);
        } catch (LedgerException e) {
            // Unreleased, the claim runs out after its lease; another node then takes the record.
            LOG.warn("outbound_claim_release_failed record_id={} node={} reason=\"{}\"", claim.recordId(),
                    claim.owner(), e.toString());
        }
    }

    /** This node no longer holds its claim on the record it is sending: it stops, and the holder carries on. */
    static final class ClaimLostException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ClaimLostException(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }
}
