package meshgate.sandbox.fault;

import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Pattern;

/**
 * The live fault switchboard of a running sandbox: change the settings at any time, and read how many faults of each
 * kind were injected. Changing the settings re-seeds the random source, so the same settings give the same sequence.
 */
public final class FaultController {
    private final AtomicLongArray injected = new AtomicLongArray(FaultKind.values().length);
    private final List<RequestHold> holds = new CopyOnWriteArrayList<>();
    private final List<OneShot> oneShots = new CopyOnWriteArrayList<>();
    private FaultSettings settings;
    private Random random;

    public FaultController(FaultSettings initial) {
        update(initial);
    }

    public synchronized FaultSettings settings() {
        return settings;
    }

    public synchronized void update(FaultSettings newSettings) {
        settings = newSettings;
        random = new Random(newSettings.seed());
    }

    public void failureRate(double rate) {
        update(settings().withFailureRate(rate));
    }

    public void latency(Duration latency) {
        update(settings().withLatency(latency));
    }

    /** Fails every MESH API request to which one of {@code kinds} applies. */
    public void alwaysFail(FaultKind... kinds) {
        update(settings().withKinds(List.of(kinds)).withFailureRate(1.0));
    }

    /** Enables only {@code kinds}; the failure rate is unchanged. */
    public void enableOnly(FaultKind... kinds) {
        update(settings().withKinds(List.of(kinds)));
    }

    public void enable(FaultKind kind) {
        EnumSet<FaultKind> kinds = EnumSet.noneOf(FaultKind.class);
        kinds.addAll(settings().kinds());
        kinds.add(kind);
        update(settings().withKinds(kinds));
    }

    public void disable(FaultKind kind) {
        EnumSet<FaultKind> kinds = EnumSet.noneOf(FaultKind.class);
        kinds.addAll(settings().kinds());
        kinds.remove(kind);
        update(settings().withKinds(kinds));
    }

    /** No more faults or latency; the counts are kept. */
    public void off() {
        update(settings().withFailureRate(0).withLatency(Duration.ZERO));
    }

    public long injected(FaultKind kind) {
        return injected.get(kind.ordinal());
    }

    public long totalInjected() {
        long total = 0;
        for (int i = 0; i < injected.length(); i++) {
            total += injected.get(i);
        }
        return total;
    }

    /** Injected faults by kind, every kind present. */
    public Map<FaultKind, Long> injectedCounts() {
        Map<FaultKind, Long> counts = new EnumMap<>(FaultKind.class);
        for (FaultKind kind : FaultKind.values()) {
            counts.put(kind, injected(kind));
        }
        return counts;
    }

    public void resetCounts() {
        for (int i = 0; i < injected.length(); i++) {
            injected.set(i, 0);
        }
    }

    /**
     * Holds the next MESH API request with this method and a path matching {@code pathPattern} (a regular
     * expression over the whole path) until {@link RequestHold#release} is called, or for {@code longest} at most.
     * Other requests are not delayed.
     */
    public RequestHold holdNext(String method, String pathPattern, Duration longest) {
        RequestHold hold = new RequestHold(method, pathPattern, longest);
        holds.add(hold);
        return hold;
    }

    /** Holds this request if a hold is armed for it; returns once it may be handled. */
    public void holdIfAsked(String method, String path) {
        for (RequestHold hold : holds) {
            if (hold.take(method, path)) {
                holds.remove(hold);
                hold.hold();
                return;
            }
        }
    }

    /**
     * Fails the next MESH API request with {@code method} whose path matches {@code pathRegex} (the whole path), once,
     * with {@code kind}, whatever the failure rate: a test can aim one fault at one step, e.g. the first chunk of a
     * send from X26ABC1 ({@code "POST", "/messageexchange/X26ABC1/outbox"}).
     */
    public void failNext(String method, String pathRegex, FaultKind kind) {
        oneShots.add(new OneShot(method, Pattern.compile(pathRegex), kind));
    }

    /**
     * Decides whether this request fails and how: a matching {@link #failNext} first, else the failure rate;
     * {@code download} says whether it fetches message bytes.
     */
    public Optional<FaultKind> decide(String method, String path, boolean download) {
        for (OneShot shot : oneShots) {
            if (shot.matches(method, path) && oneShots.remove(shot)) {
                return Optional.of(shot.kind());
            }
        }
        return decide(download);
    }

    /** Decides by the failure rate alone whether this request fails and how. */
    public synchronized Optional<FaultKind> decide(boolean download) {
        if (settings.failureRate() <= 0) {
            return Optional.empty();
        }
        boolean fail = random.nextDouble() < settings.failureRate();
        List<FaultKind> applicable = settings.kinds().stream().filter(k -> k.appliesTo(download)).sorted().toList();
        if (!fail || applicable.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(applicable.get(random.nextInt(applicable.size())));
    }

    /** Records that {@code kind} was actually injected. */
    public void count(FaultKind kind) {
        injected.incrementAndGet(kind.ordinal());
    }

    private record OneShot(String method, Pattern path, FaultKind kind) {
        boolean matches(String requestMethod, String requestPath) {
            return method.equals(requestMethod) && path.matcher(requestPath).matches();
        }
    }
}
