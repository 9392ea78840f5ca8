package meshgate.gateway;

import java.nio.file.Files;
import java.nio.file.Path;
import meshgate.gateway.store.S3TestServer;

/**
 * {@link ClusterCrashTest} with the nodes sharing a DynamoDB ledger (dynalite): a node killed with SIGKILL mid-send
 * and mid-download, its work finished by the others once its claims and job leases have run out.
 */
class DynamoDbClusterCrashTest extends ClusterCrashTest {
    @Override
    ClusterFixture newFixture(Path dir) throws Exception {
        return new ClusterFixture(dir, S3TestServer.startOnDisk(Files.createDirectories(dir.resolve("s3-data"))),
                new DynamoDbSharedLedger());
    }
}
