package meshgate.gateway;

import java.nio.file.Path;
import meshgate.gateway.store.S3TestServer;

/**
 * {@link ClusterTest} with the three nodes sharing a DynamoDB ledger (dynalite) instead of PostgreSQL: every object
 * sent once, every message stored and acknowledged once. Fewer messages than the PostgreSQL run, to keep the build
 * short; the bench runs thousands.
 */
class DynamoDbClusterTest extends ClusterTest {
    @Override
    ClusterFixture newFixture(Path dir) throws Exception {
        return new ClusterFixture(dir, S3TestServer.start(), new DynamoDbSharedLedger());
    }

    @Override
    int messages() {
        return 150;
    }
}
