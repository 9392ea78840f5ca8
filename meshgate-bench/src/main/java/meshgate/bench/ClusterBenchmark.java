package meshgate.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import meshgate.client.MeshClient;
import meshgate.client.MeshTls;
import meshgate.gateway.Gateway;
import meshgate.gateway.config.GatewayConfigLoader;
import meshgate.gateway.store.ObjectWriter;
import meshgate.gateway.store.S3ObjectStore;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * Gateway nodes sharing an S3 bucket (S3Proxy) and a PostgreSQL ledger (embedded), sending the same number of small
 * objects with 1 node and then with 3, in the same run.
 */
final class ClusterBenchmark {
    private static final String KEY = "bench-access";
    private static final String SECRET = "bench-secret";

    private ClusterBenchmark() {
    }

    static Report run(Path dir, int count) throws Exception {
        BlobStoreContext blobs = ContextBuilder.newBuilder("transient").credentials("identity", "credential")
                .overrides(new Properties()).build(BlobStoreContext.class);
        S3Proxy s3 = S3Proxy.builder().blobStore(blobs.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, KEY, SECRET).build();
        s3.start();
        while (!"STARTED".equals(s3.getState())) {
            Thread.sleep(10);
        }
        URI endpoint = URI.create("http://127.0.0.1:" + s3.getPort());
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
                LocalMesh mesh = new LocalMesh(dir, b -> { });
                MeshClient recipient = client(mesh, "X26ABC2")) {
            Report report = new Report("gateway nodes sharing S3 and PostgreSQL (" + count + " objects of 1-10 KiB)");
            double single = 0;
            for (int nodes : new int[] {1, 3}) {
                String name = "nodes" + nodes;
                blobs.getBlobStore().createContainerInLocation(null, name);
                try (Connection connection = postgres.getPostgresDatabase().getConnection();
                        Statement statement = connection.createStatement()) {
                    statement.execute("CREATE DATABASE " + name);
                }
                String jdbcUrl = postgres.getJdbcUrl("postgres", name);
                Deliveries deliveries = new Deliveries();
                put(endpoint, name, count, deliveries);
                long start = System.nanoTime();
                List<Gateway> gateways = new ArrayList<>();
                Deliveries.Settling settling;
                try (S3ObjectStore bucket = store(endpoint, name)) {
                    for (int i = 1; i <= nodes; i++) {
                        gateways.add(Gateway.start(GatewayConfigLoader.load(config(mesh, dir, name, i, endpoint,
                                jdbcUrl), LocalMesh.ENVIRONMENT)));
                    }
                    settling = deliveries.settle(() -> {
                        long arrived = recipient.inboxCount();
                        return new Deliveries.Progress(bucket.list("outbound/").size(), arrived,
                                Math.max(0, deliveries.dropped() - arrived));
                    });
                } finally {
                    gateways.forEach(Gateway::close);
                }
                Deliveries.Outcome outcome;
                try (MeshClient sender = client(mesh, "X26ABC1")) {
                    outcome = deliveries.collectInbox(recipient, sender);
                }
                double rate = outcome.unique() / settling.secondsSince(start);
                if (nodes == 1) {
                    single = rate;
                }
                report.row(nodes + (nodes == 1 ? " node" : " nodes"), String.format("%.1f messages/s (%d sent "
                        + "once each, checked by SHA-256)", rate, outcome.unique()));
                report.settling(settling).outcome(outcome);
                if (nodes == 3) {
                    report.row("ratio 3 nodes / 1 node", String.format("%.2f (all nodes share this machine's %d cores)",
                            rate / single, Runtime.getRuntime().availableProcessors()));
                }
            }
            return report;
        } finally {
            s3.stop();
            blobs.close();
        }
    }

    private static void put(URI endpoint, String bucket, int count, Deliveries deliveries) throws Exception {
        try (S3ObjectStore store = store(endpoint, bucket)) {
            java.util.Random random = new java.util.Random(count);
            for (int i = 0; i < count; i++) {
                byte[] content = new byte[1024 + random.nextInt(9 * 1024)];
                random.nextBytes(content);
                String localId = bucket + "-" + i;
                try (ObjectWriter writer = store.create("outbound/" + localId + ".dat",
                        Map.of("mex-from", "X26ABC1", "mex-to", "X26ABC2", "mex-workflowid", "TEST_WORKFLOW",
                                "mex-localid", localId))) {
                    writer.stream().write(content);
                    writer.commit();
                }
                deliveries.expect(localId, content);
            }
        }
    }

    private static S3ObjectStore store(URI endpoint, String bucket) {
        return S3ObjectStore.builder().bucket(bucket).endpoint(endpoint).region("us-east-1").pathStyle(true)
                .credentials(KEY, SECRET).build();
    }

    private static Path config(LocalMesh mesh, Path dir, String bucket, int node, URI endpoint, String jdbcUrl)
            throws Exception {
        Path root = Files.createDirectories(dir.resolve(bucket + "-node-" + node));
        String yaml = String.join("\n",
                "base_url: " + mesh.sandbox.baseUrl(),
                "shared_key: TestKey",
                "ca_bundle: " + mesh.certificates.caBundle(),
                "node_id: node-" + node,
                "mailboxes:",
                "  - mailbox_id: X26ABC1",
                "    password: password",
                "    certificate: " + mesh.certificates.clientCertificate("X26ABC1"),
                "    private_key: " + mesh.certificates.clientKey("X26ABC1"),
                "    private_key_passphrase: {env: MESHGATE_BENCH_PASSPHRASE}",
                "store:",
                "  type: s3",
                "  bucket: " + bucket,
                "  endpoint: " + endpoint,
                "  region: us-east-1",
                "  path_style: true",
                "  access_key_id: " + KEY,
                "  secret_access_key: " + SECRET,
                "  root: " + root,
                "ledger:",
                "  type: postgresql",
                "  jdbc_url: " + jdbcUrl,
                "  user: postgres",
                "send_concurrency: 8",
                "poll_interval: 1h",
                "outbound_rescan_interval: 500ms",
                "outbound_settle_time: 0s",
                "tracking_interval: 1h",
                "outbound_existing: send",
                "");
        return LocalMesh.writeSettings(root.resolve("meshgate.yaml"), yaml);
    }

    private static MeshClient client(LocalMesh mesh, String mailbox) {
        return MeshClient.builder().baseUrl(URI.create(mesh.sandbox.baseUrl()))
                .credentials(mailbox, "password", "TestKey")
                .tls(MeshTls.fromPem(mesh.certificates.clientCertificate(mailbox),
                        mesh.certificates.clientKey(mailbox), LocalMesh.PASSPHRASE.toCharArray(),
                        mesh.certificates.caBundle()))
                .build();
    }
}
