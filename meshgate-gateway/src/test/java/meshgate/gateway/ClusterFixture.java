package meshgate.gateway;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import meshgate.client.MeshClient;
import meshgate.client.MeshTls;
import meshgate.gateway.config.GatewayConfigLoader;
import meshgate.gateway.ledger.TestPostgres;
import meshgate.gateway.store.S3TestServer;

/**
 * Several gateway nodes' shared infrastructure: the sandbox over mutual TLS, an S3-API server (S3Proxy) and a shared
 * ledger (an embedded PostgreSQL unless another {@link SharedLedger} is given); and the YAML of a node, as an
 * operator would write it.
 */
final class ClusterFixture implements AutoCloseable {
    final Path dir;
    final GatewayFixture mesh;
    final S3TestServer s3;
    /** The PostgreSQL server when the nodes share a PostgreSQL ledger; null otherwise. */
    final TestPostgres postgres;
    private final SharedLedger ledger;

    /** The ledger several nodes share: a new, empty one per test, and its settings in a node's YAML. */
    interface SharedLedger extends AutoCloseable {
        /** A new ledger (a database URL, a table name), empty. */
        String newLedger();

        /** The {@code ledger:} mapping of a node's YAML for that ledger, lines ending in a newline. */
        String yaml(String ledger);

        @Override
        void close();
    }

    ClusterFixture(Path dir) throws Exception {
        this(dir, S3TestServer.start());
    }

    ClusterFixture(Path dir, S3TestServer s3) {
        this(dir, s3, TestPostgres.start());
    }

    private ClusterFixture(Path dir, S3TestServer s3, TestPostgres postgres) {
        this(dir, s3, postgres, new SharedLedger() {
            @Override
            public String newLedger() {
                return postgres.newDatabase();
            }

            @Override
            public String yaml(String ledgerName) {
                return String.join("\n", "ledger:", "  type: postgresql", "  jdbc_url: " + ledgerName,
                        "  user: " + TestPostgres.USER, "");
            }

            @Override
            public void close() {
                postgres.close();
            }
        });
    }

    /** Nodes sharing {@code ledger}, which the fixture closes. */
    ClusterFixture(Path dir, S3TestServer s3, SharedLedger ledger) {
        this(dir, s3, null, ledger);
    }

    private ClusterFixture(Path dir, S3TestServer s3, TestPostgres postgres, SharedLedger ledger) {
        this.dir = dir;
        this.mesh = GatewayFixture.start(dir);
        this.s3 = s3;
        this.postgres = postgres;
        this.ledger = ledger;
    }

    /** A new, empty ledger for the nodes of one test to share, named as {@link #nodeYaml} takes it. */
    String newLedger() {
        return ledger.newLedger();
    }

    /** The YAML of one node: both mailboxes, the shared bucket and database, short timeouts and leases for tests. */
    String nodeYaml(String node, String bucket, String ledgerName) {
        return String.join("\n",
                "base_url: " + mesh.sandbox.baseUrl(),
                "shared_key: TestKey",
                "ca_bundle: " + mesh.certificates.caBundle(),
                "node_id: " + node,
                "mailboxes:",
                mailbox("X26ABC1"),
                mailbox("X26ABC2"),
                "store:",
                "  type: s3",
                "  bucket: " + bucket,
                "  endpoint: " + s3.endpoint(),
                "  region: " + S3TestServer.REGION,
                "  path_style: true",
                "  access_key_id: " + S3TestServer.ACCESS_KEY,
                "  secret_access_key: " + S3TestServer.SECRET_KEY,
                "  root: " + dir.resolve(node),
                ledger.yaml(ledgerName) + "chunk_size: 5242881",
                "send_concurrency: 4",
                "poll_interval: 1s",
                "outbound_rescan_interval: 500ms",
                "outbound_settle_time: 0s",
                // As short as the start-up check allows with these timeouts, so that a dead node's sends move soon.
                "outbound_lease: 40s",
                "mesh_connect_timeout: 2s",
                "mesh_read_timeout: 10s",
                "mesh_retry_max_elapsed: 1s",
                "tracking_interval: 1h",
                // Objects are put before the nodes' first start and are to be sent, not adopted.
                "outbound_existing: send",
                "");
    }

    private String mailbox(String id) {
        return String.join("\n",
                "  - mailbox_id: " + id,
                "    password: password",
                "    certificate: " + mesh.certificates.clientCertificate(id),
                "    private_key: " + mesh.certificates.clientKey(id),
                "    private_key_passphrase: {env: TEST_KEY_PASSPHRASE}");
    }

    /** Writes a node's YAML; top-level lines in {@code extra} replace the defaults of the same name. */
    Path writeConfig(String node, String bucket, String ledgerName, String extra) throws IOException {
        java.util.Set<String> replaced = new java.util.HashSet<>();
        extra.lines().filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0)) && l.contains(":"))
                .forEach(l -> replaced.add(l.substring(0, l.indexOf(':'))));
        String yaml = nodeYaml(node, bucket, ledgerName).lines()
                .filter(l -> !replaced.contains(l.contains(":") ? l.substring(0, l.indexOf(':')) : ""))
                .collect(java.util.stream.Collectors.joining("\n", "", "\n"));
        Path config = Files.createDirectories(dir.resolve(node)).resolve("meshgate.yaml");
        return Files.writeString(config, yaml + extra);
    }

    /** Nodes in this JVM, named node-{first}..; each its own gateway instance. */
    List<Gateway> startNodes(String bucket, String ledgerName, int first, int count) throws IOException {
        List<Gateway> nodes = new ArrayList<>();
        for (int i = first; i < first + count; i++) {
            Path config = writeConfig("node-" + i, bucket, ledgerName, "");
            nodes.add(Gateway.start(GatewayConfigLoader.load(config, GatewayFixture.environment())));
        }
        return nodes;
    }

    MeshClient client(String mailbox) {
        return clientBuilder(mailbox).build();
    }

    MeshClient.Builder clientBuilder(String mailbox) {
        return MeshClient.builder().baseUrl(URI.create(mesh.sandbox.baseUrl()))
                .credentials(mailbox, "password", "TestKey")
                .tls(MeshTls.fromPem(mesh.certificates.clientCertificate(mailbox),
                        mesh.certificates.clientKey(mailbox), GatewayFixture.PASSPHRASE.toCharArray(),
                        mesh.certificates.caBundle()));
    }

    @Override
    public void close() throws Exception {
        mesh.close();
        s3.close();
        ledger.close();
    }
}
