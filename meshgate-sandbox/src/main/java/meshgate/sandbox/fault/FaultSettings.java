package meshgate.sandbox.fault;

import java.time.Duration;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * How the sandbox misbehaves: {@code failureRate} (0..1) is the share of MESH API requests (never admin requests)
 * that fail, each with one of the enabled {@code kinds} picked at random; {@code latency} is added to every MESH API
 * request. The random choices come from {@code seed}, so a run can be repeated.
 */
public record FaultSettings(double failureRate, Duration latency, Set<FaultKind> kinds, long seed) {
    public static final long DEFAULT_SEED = 42L;

    public FaultSettings {
        if (failureRate < 0 || failureRate > 1 || Double.isNaN(failureRate)) {
            throw new IllegalArgumentException("failureRate must be between 0 and 1, got " + failureRate);
        }
        Objects.requireNonNull(latency, "latency");
        if (latency.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative");
        }
        kinds = kinds.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(kinds));
    }

    /** No faults, no latency. */
    public static FaultSettings none() {
        return new FaultSettings(0, Duration.ZERO, EnumSet.allOf(FaultKind.class), DEFAULT_SEED);
    }

    /** {@code rate} of requests fail with one of {@code kinds} ({@link FaultKind#unattended()} when none are given). */
    public static FaultSettings failing(double rate, FaultKind... kinds) {
        FaultKind[] among = kinds.length == 0 ? FaultKind.unattended() : kinds;
        Set<FaultKind> chosen = EnumSet.of(among[0], among);
        return new FaultSettings(rate, Duration.ZERO, chosen, DEFAULT_SEED);
    }

    public FaultSettings withFailureRate(double rate) {
        return new FaultSettings(rate, latency, kinds, seed);
    }

    public FaultSettings withLatency(Duration newLatency) {
        return new FaultSettings(failureRate, newLatency, kinds, seed);
    }

    public FaultSettings withKinds(Collection<FaultKind> newKinds) {
        return new FaultSettings(failureRate, latency, Set.copyOf(newKinds), seed);
    }

    public FaultSettings withSeed(long newSeed) {
        return new FaultSettings(failureRate, latency, kinds, newSeed);
    }
}
