package meshgate.sandbox.fault;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * One MESH API request held before the sandbox handles it, until the test releases it: a call that MESH is slow to
 * answer, for exactly as long as a test needs, while every other request is served at once. Armed by
 * {@link FaultController#holdNext}; it takes the first matching request that arrives after that, and only that one.
 */
public final class RequestHold {
    private final String method;
    private final Pattern path;
    private final Duration longest;
    private final AtomicBoolean taken = new AtomicBoolean();
    private final CountDownLatch arrived = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    RequestHold(String method, String pathPattern, Duration longest) {
        this.method = method;
        this.path = Pattern.compile(pathPattern);
        this.longest = longest;
    }

    /** True once the held request has arrived and is waiting. */
    public boolean arrived() {
        return arrived.getCount() == 0;
    }

    /** Lets the held request (or the one still to come) through at once. */
    public void release() {
        released.countDown();
    }

    /** Takes this request if it is the first to match; the caller then waits in {@link #hold}. */
    boolean take(String requestMethod, String requestPath) {
        return method.equalsIgnoreCase(requestMethod) && path.matcher(requestPath).matches()
                && taken.compareAndSet(false, true);
    }

    /** Waits until released, or at most {@code longest} so that a forgotten hold cannot keep a server thread. */
    void hold() {
        arrived.countDown();
        try {
            released.await(longest.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
