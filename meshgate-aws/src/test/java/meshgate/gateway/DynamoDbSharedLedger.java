package meshgate.gateway;

import java.util.concurrent.atomic.AtomicInteger;
import meshgate.aws.ledger.Dynalite;

/** A DynamoDB ledger (on dynalite) shared by the nodes of a {@link ClusterFixture}: a new table per test. */
final class DynamoDbSharedLedger implements ClusterFixture.SharedLedger {
    private final Dynalite dynalite = Dynalite.start();
    private final AtomicInteger tables = new AtomicInteger();

    @Override
    public String newLedger() {
        return "cluster-ledger-" + tables.incrementAndGet();
    }

    @Override
    public String yaml(String table) {
        return dynalite.ledgerYaml(table);
    }

    @Override
    public void close() {
        dynalite.close();
    }
}
