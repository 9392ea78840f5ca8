package meshgate.gateway.console;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Slows down guessing the console's token: after {@link #MAX_FAILURES} wrong tokens within {@link #WINDOW}, from any
 * address, no sign-in is tried until the oldest of them is a window old. A person who mistypes is not held up; a
 * script that guesses gets ten tries a minute.
 */
final class SignInThrottle {
    static final int MAX_FAILURES = 10;
    static final Duration WINDOW = Duration.ofMinutes(1);

    private final Clock clock;
    private final Deque<Instant> failures = new ArrayDeque<>();

    SignInThrottle(Clock clock) {
        this.clock = clock;
    }

    /** How long until a sign-in may be tried; zero when it may be now. */
    synchronized Duration holdOff() {
        Instant now = clock.instant();
        while (!failures.isEmpty() && !failures.peekFirst().plus(WINDOW).isAfter(now)) {
            failures.removeFirst();
        }
        if (failures.size() < MAX_FAILURES) {
            return Duration.ZERO;
        }
        return Duration.between(now, failures.peekFirst().plus(WINDOW));
    }

    synchronized void failed() {
        failures.addLast(clock.instant());
        while (failures.size() > MAX_FAILURES) {
            failures.removeFirst();
        }
    }
}
