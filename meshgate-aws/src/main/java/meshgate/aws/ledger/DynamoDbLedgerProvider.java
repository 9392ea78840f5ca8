package meshgate.aws.ledger;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import meshgate.gateway.cluster.ClusterJobs.RecurringJob;
import meshgate.gateway.ledger.Ledger;
import meshgate.gateway.ledger.LedgerProvider;

/** {@code ledger: {type: dynamodb, table: ..., region: ..., endpoint: ...}}: the ledger in a DynamoDB table. */
public final class DynamoDbLedgerProvider implements LedgerProvider {
    public static final String TYPE = "dynamodb";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Set<String> settings() {
        return DynamoDbSettings.NAMES;
    }

    @Override
    public Set<String> secrets() {
        return DynamoDbSettings.SECRETS;
    }

    @Override
    public void check(Map<String, String> settings) {
        DynamoDbSettings.from(settings);
    }

    @Override
    public Ledger open(Map<String, String> settings, Clock clock) {
        return DynamoDbLedger.open(DynamoDbSettings.from(settings), clock);
    }

    /** The jobs take turns through items in the ledger's own table, so no other store is needed. */
    @Override
    public AutoCloseable startJobs(Ledger ledger, String node, List<RecurringJob> jobs) {
        if (!(ledger instanceof DynamoDbLedger dynamo)) {
            throw new IllegalArgumentException("jobs of a DynamoDB ledger need that ledger, got " + ledger);
        }
        return DynamoDbJobs.start(dynamo.client(), dynamo.table(), node, jobs, Clock.systemUTC());
    }
}
