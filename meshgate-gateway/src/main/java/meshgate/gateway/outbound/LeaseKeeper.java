package meshgate.gateway.outbound;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import meshgate.gateway.ledger.Ledger;
import meshgate.gateway.ledger.OutboundClaim;

/**
 * Claims outbound records for this node and keeps each claim alive on a heartbeat of its own while it is held, so
 * that a send whose MESH call outlasts the lease (a slow answer, retries) is not taken over by another node while
 * this one is alive. The heartbeat runs on its own thread: neither a long chunk nor a busy scheduler delays it.
 */
public final class LeaseKeeper implements AutoCloseable {
    /** Renewals per lease: several, so that one or two failed renewals (a database blip) do not lose the claim. */
    private static final int RENEWALS_PER_LEASE = 5;

    private final Ledger ledger;
    private final String node;
    private final Duration lease;
    private final Duration callBudget;
    private final ScheduledExecutorService heartbeat;

    /**
     * @param callBudget the longest one MESH call can take (see {@code MeshClient#callBudget}): a send goes on to
     *     its next call only while at least that much of its lease is left
     */
    public LeaseKeeper(Ledger ledger, String node, Duration lease, Duration callBudget) {
        if (lease.toMillis() < RENEWALS_PER_LEASE) {
            throw new IllegalArgumentException("the outbound lease is too short: " + lease);
        }
        this.ledger = ledger;
        this.node = node;
        this.lease = lease;
        this.callBudget = callBudget;
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "outbound-lease-" + node);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** How often a held claim is renewed: a fifth of the lease. */
    public static Duration renewalInterval(Duration lease) {
        return lease.dividedBy(RENEWALS_PER_LEASE);
    }

    /**
     * True when a claim of {@code lease} outlasts a MESH call that takes up to {@code callBudget} and begins just
     * before a renewal is due: a node then never starts a call it could not finish within its claim (see
     * {@link HeldClaim#checkHeld}), so whoever takes the record over after the lease runs out finds by its local id
     * anything that call created.
     */
    public static boolean outlasts(Duration lease, Duration callBudget) {
        return lease.minus(renewalInterval(lease)).compareTo(callBudget) > 0;
    }

    /** The shortest lease that {@link #outlasts} a call of {@code callBudget}, rounded up to a whole second. */
    public static Duration shortestLease(Duration callBudget) {
        long millis = callBudget.toMillis() * RENEWALS_PER_LEASE / (RENEWALS_PER_LEASE - 1);
        return Duration.ofSeconds(millis / 1000 + 1);
    }

    /** This node, as named in its claims. */
    public String node() {
        return node;
    }

    /**
     * Claims the record for this node and starts renewing the claim, or empty when another node holds it. The
     * caller closes the claim when it is done, which stops the renewals and gives the record up.
     */
    public Optional<HeldClaim> claim(long recordId) {
        long asked = System.nanoTime();
        Optional<OutboundClaim> claim = ledger.claimOutbound(recordId, node, lease);
        return claim.map(c -> HeldClaim.start(ledger, c, asked, lease, callBudget, heartbeat,
                renewalInterval(lease)));
    }

    /** Stops every renewal; claims still held then run out after their lease. */
    @Override
    public void close() {
        heartbeat.shutdownNow();
    }
}
