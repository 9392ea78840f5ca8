package meshgate.gateway;

import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waiting in tests on progress, not on a total time: a loaded machine makes a large transfer slower, not stuck. A
 * wait fails only when what it watches (lines logged, chunks accepted, messages stored) has not changed for
 * {@code stall}; a generous ceiling still ends a wait whose progress never reaches the goal.
 */
final class Progress {
    static final Duration CEILING = Duration.ofMinutes(15);

    private Progress() {
    }

    /**
     * Waits until {@code done}; fails when {@code progress} (any value; a change is progress) stays the same for
     * {@code stall}, or after {@link #CEILING}.
     */
    static void await(String what, Duration stall, Supplier<?> progress, BooleanSupplier done)
            throws InterruptedException {
        long start = System.nanoTime();
        long lastChange = start;
        Object last = progress.get();
        while (!done.getAsBoolean()) {
            long now = System.nanoTime();
            Object current = progress.get();
            if (!Objects.equals(current, last)) {
                last = current;
                lastChange = now;
            }
            if (now - lastChange > stall.toNanos()) {
                throw new AssertionError("nothing advanced for " + stall.toSeconds() + " s (progress: " + last
                        + ") waiting for: " + what);
            }
            if (now - start > CEILING.toNanos()) {
                throw new AssertionError("still not done after " + CEILING.toMinutes() + " minutes, though advancing"
                        + " (progress: " + last + "), waiting for: " + what);
            }
            Thread.sleep(50);
        }
    }
}
