package meshgate.gateway.ledger;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import meshgate.gateway.cluster.ClusterJobs.RecurringJob;

/**
 * A ledger the gateway does not build in, chosen by {@code ledger.type} and found through {@link ServiceLoader}
 * (registered under {@code META-INF/services/meshgate.gateway.ledger.LedgerProvider}), so that a module such as
 * meshgate-aws adds a ledger without the gateway depending on it. The provider also runs the gateway's recurring
 * jobs, each on one node at a time among the nodes sharing the ledger, as PostgreSQL's cluster jobs do.
 */
public interface LedgerProvider {
    /** The {@code ledger.type} this provider opens, lower case, e.g. {@code dynamodb}. */
    String type();

    /** The settings under {@code ledger:} it reads, besides {@code type}. */
    Set<String> settings();

    /** Those of {@link #settings()} that are secrets (given as a value, {@code {env: ...}} or {@code {file: ...}}). */
    Set<String> secrets();

    /**
     * Checks the settings when the configuration is loaded, so a mistake stops the gateway before it starts.
     *
     * @param settings the settings given, by name; secrets revealed
     * @throws IllegalArgumentException naming the setting at fault, e.g. {@code "table: is required"}
     */
    void check(Map<String, String> settings);

    /** Opens the ledger; {@code clock} sets its records' times. */
    Ledger open(Map<String, String> settings, Clock clock);

    /**
     * Starts running {@code jobs}, each on one node at a time among the nodes sharing {@code ledger} (which this
     * provider opened). Closing the result stops them, letting a run in progress finish.
     */
    AutoCloseable startJobs(Ledger ledger, String node, List<RecurringJob> jobs);

    /** The provider of {@code type} on the class path, if any. */
    static Optional<LedgerProvider> of(String type) {
        return all().stream().filter(provider -> provider.type().equals(type)).findFirst();
    }

    /** Every provider on the class path. */
    static List<LedgerProvider> all() {
        return ServiceLoader.load(LedgerProvider.class).stream().map(ServiceLoader.Provider::get).toList();
    }
}
