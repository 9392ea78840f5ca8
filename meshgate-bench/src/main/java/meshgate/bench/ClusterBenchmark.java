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
import java.util.Optional;
import meshgate.aws.ledger.DynamoDbSettings;
import meshgate.client.MeshClient;
import meshgate.client.MeshTls;
import meshgate.gateway.Gateway;
import meshgate.gateway.config.GatewayConfigLoader;
import meshgate.gateway.store.LocalFolderStore;
import meshgate.gateway.store.ObjectStore;
import meshgate.gateway.store.ObjectWriter;
import meshgate.gateway.store.S3ObjectStore;

/**
 * Gateway nodes sharing an S3 bucket (S3Proxy) and a PostgreSQL ledger (embedded) or a DynamoDB ledger (a table on
 * the DynamoDB-API endpoint given, or on AWS), sending the same number of small objects with 1 node and then with 3,
 * in the same run, after one node on a local folder and its embedded ledger has sent as many, as the baseline.
 */
final class ClusterBenchmark {
    private static final String KEY = LocalS3.KEY;
    private static final String SECRET = LocalS3.SECRET;

    private ClusterBenchmark() {
    }

    /**
     * Where the nodes' DynamoDB ledger lives: a DynamoDB-API server such as dynalite ({@code endpoint}, reached with
     * dummy keys), or AWS (no endpoint: the default region and credentials, or {@code region}). Each round makes a
     * table of its own and deletes it afterwards.
     */
    record DynamoDb(Optional<URI> endpoint, Optional<String> region) {
        String yaml(String table) {
            List<String> lines = new ArrayList<>(List.of("ledger:", "  type: dynamodb", "  table: " + table,
                    "  create_table: true"));
            region.or(() -> endpoint.map(e -> "us-east-1")).ifPresent(r -> lines.add("  region: " + r));
            endpoint.ifPresent(e -> lines.addAll(List.of("  endpoint: " + e, "  access_key_id: " + KEY,
                    "  secret_access_key: " + SECRET)));
            return String.join("\n", lines) + "\n";
        }

        void deleteTable(String table) {
            Map<String, String> settings = new java.util.HashMap<>(Map.of("table", table));
            region.or(() -> endpoint.map(e -> "us-east-1")).ifPresent(r -> settings.put("region", r));
            endpoint.ifPresent(e -> settings.putAll(Map.of("endpoint", e.toString(), "access_key_id", KEY,
                    "secret_access_key", SECRET)));
            DynamoDbSettings parsed = DynamoDbSettings.from(settings);
            var builder = software.amazon.awssdk.services.dynamodb.DynamoDbClient.builder();
            parsed.region().ifPresent(r -> builder.region(software.amazon.awssdk.regions.Region.of(r)));
            parsed.endpoint().ifPresent(builder::endpointOverride);
            if (parsed.accessKeyId().isPresent()) {
                builder.credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(KEY, SECRET)));
            }
            try (var dynamo = builder.httpClientBuilder(
                    software.amazon.awssdk.http.apache5.Apache5HttpClient.builder()).build()) {
                dynamo.deleteTable(request -> request.tableName(table));
            }
        }
    }

    static Report run(Path dir, int count) throws Exception {
        return run(dir, count, Optional.empty());
    }

    /** With {@code dynamoDb} present the nodes share a DynamoDB ledger, otherwise PostgreSQL. */
    static Report run(Path dir, int count, Optional<DynamoDb> dynamoDb) throws Exception {
        LocalS3 s3 = LocalS3.start();
        URI endpoint = s3.endpoint();
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
                LocalMesh mesh = new LocalMesh(dir, b -> { });
                MeshClient recipient = client(mesh, "X26ABC2")) {
            String shared = dynamoDb.isPresent() ? "DynamoDB" : "PostgreSQL";
            Report report = new Report("gateway nodes sharing S3 and " + shared + " (" + count
                    + " objects of 1-10 KiB)");
            // The baseline: the same objects sent by one node on a local folder and its embedded (H2) ledger.
            Path local = dir.resolve("local");
            String localSettings = String.join("\n", "store:", "  type: local", "  root: " + local,
                    "ledger:", "  type: embedded", "  path: " + local.resolve("ledger/meshgate"), "");
            double baseline;
            try (LocalFolderStore store = new LocalFolderStore(local)) {
                baseline = round(report, "1 node, local folder and H2 (baseline)", mesh, recipient, count, "local",
                        store, n -> config(mesh, dir, "local", n, localSettings), 1);
            }
            double single = 0;
            for (int nodes : new int[] {1, 3}) {
                String name = "nodes" + nodes;
                s3.createBucket(name);
                try (Connection connection = postgres.getPostgresDatabase().getConnection();
                        Statement statement = connection.createStatement()) {
                    statement.execute("CREATE DATABASE " + name);
                }
                String table = "meshgate-bench-" + name + "-" + Long.toHexString(System.nanoTime());
                String ledger = dynamoDb.map(d -> d.yaml(table)).orElseGet(() -> String.join("\n", "ledger:",
                        "  type: postgresql", "  jdbc_url: " + postgres.getJdbcUrl("postgres", name),
                        "  user: postgres", ""));
                double rate;
                try (S3ObjectStore bucket = s3.store(name)) {
                    rate = round(report, nodes + (nodes == 1 ? " node" : " nodes") + ", S3 and " + shared, mesh,
                            recipient, count, name, bucket, n -> config(mesh, dir, name, n,
                            s3Settings(name, endpoint, dir.resolve(name + "-node-" + n)) + ledger), nodes);
                } finally {
                    if (dynamoDb.isPresent()) {
                        dynamoDb.get().deleteTable(table);
                    }
                }
                if (nodes == 1) {
                    single = rate;
                    report.row("ratio 1 node on S3 and " + shared + " / baseline", String.format("%.2f",
                            rate / baseline));
                } else {
                    report.row("ratio 3 nodes / 1 node", String.format("%.2f (all nodes share this machine's %d cores)",
                            rate / single, Runtime.getRuntime().availableProcessors()));
                }
            }
            return report;
        } finally {
            s3.close();
        }
    }

    /** A node's settings file, made for node {@code n} of a round. */
    private interface NodeConfig {
        Path make(int node) throws Exception;
    }

    /**
     * Puts {@code count} objects under {@code outbound/} of {@code store}, starts {@code nodes} gateways on it, waits
     * until they have sent everything, and counts what the recipient's inbox holds. Returns messages per second.
     */
    private static double round(Report report, String label, LocalMesh mesh, MeshClient recipient, int count,
            String name, ObjectStore store, NodeConfig config, int nodes) throws Exception {
        Deliveries deliveries = new Deliveries();
        put(store, name, count, deliveries);
        long start = System.nanoTime();
        List<Gateway> gateways = new ArrayList<>();
        Deliveries.Settling settling;
        try {
            for (int i = 1; i <= nodes; i++) {
                gateways.add(Gateway.start(GatewayConfigLoader.load(config.make(i), LocalMesh.ENVIRONMENT)));
            }
            settling = deliveries.settle(() -> {
                long arrived = recipient.inboxCount();
                return new Deliveries.Progress(store.list("outbound/").size(), arrived,
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
        report.row(label, String.format("%.1f messages/s (%d sent once each, checked by SHA-256)", rate,
                outcome.unique()));
        report.settling(settling).outcome(outcome);
        return rate;
    }

    private static void put(ObjectStore store, String round, int count, Deliveries deliveries) throws Exception {
        java.util.Random random = new java.util.Random(count);
        for (int i = 0; i < count; i++) {
            byte[] content = new byte[1024 + random.nextInt(9 * 1024)];
            random.nextBytes(content);
            String localId = round + "-" + i;
            try (ObjectWriter writer = store.create("outbound/" + localId + ".dat",
                    Map.of("mex-from", "X26ABC1", "mex-to", "X26ABC2", "mex-workflowid", "TEST_WORKFLOW",
                            "mex-localid", localId))) {
                writer.stream().write(content);
                writer.commit();
            }
            deliveries.expect(localId, content);
        }
    }

    private static String s3Settings(String bucket, URI endpoint, Path root) {
        return String.join("\n",
                "store:",
                "  type: s3",
                "  bucket: " + bucket,
                "  endpoint: " + endpoint,
                "  region: us-east-1",
                "  path_style: true",
                "  access_key_id: " + KEY,
                "  secret_access_key: " + SECRET,
                "  root: " + root,
                "");
    }

    /** Node {@code node}'s settings: {@code storeAndLedger} and what every round shares. */
    private static Path config(LocalMesh mesh, Path dir, String round, int node, String storeAndLedger)
            throws Exception {
        Path root = Files.createDirectories(dir.resolve(round + "-node-" + node));
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
                storeAndLedger + "send_concurrency: 8",
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
