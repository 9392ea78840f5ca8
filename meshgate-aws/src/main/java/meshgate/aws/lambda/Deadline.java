package meshgate.aws.lambda;

import java.time.Duration;
import java.util.function.LongSupplier;
import meshgate.gateway.outbound.SendBudget;

/**
 * One invocation's time: work goes on to its next chunk only while what is left exceeds the reserve (kept for
 * recording progress and queuing the continuation) plus twice the slowest chunk so far. The first chunk of each
 * invocation always goes, so every invocation makes progress however short its time.
 */
public final class Deadline implements SendBudget {
    private final LongSupplier remainingMillis;
    private final Duration reserve;
    private Duration slowest = Duration.ZERO;
    private boolean stopped;

    public Deadline(LongSupplier remainingMillis, Duration reserve) {
        this.remainingMillis = remainingMillis;
        this.reserve = reserve;
    }

    @Override
    public boolean anotherChunk(Duration lastChunk) {
        if (lastChunk.compareTo(slowest) > 0) {
            slowest = lastChunk;
        }
        boolean goOn = Duration.ofMillis(remainingMillis.getAsLong()).compareTo(reserve.plus(slowest.multipliedBy(2)))
                > 0;
        stopped |= !goOn;
        return goOn;
    }

    /** True once this deadline has stopped a piece of work, which must then be continued. */
    public boolean stopped() {
        return stopped;
    }

    public Duration remaining() {
        return Duration.ofMillis(remainingMillis.getAsLong());
    }
}
