package meshgate.aws.lambda;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import meshgate.aws.ledger.Dynalite;
import meshgate.aws.settings.AwsJsonStandIn;
import meshgate.client.MeshClient;
import meshgate.client.MeshTls;
import meshgate.gateway.store.S3TestServer;
import meshgate.sandbox.MeshSandbox;
import meshgate.sandbox.tls.CertificateAuthority;
import meshgate.sandbox.tls.IssuedCertificate;
import meshgate.sandbox.tls.SandboxTls;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * What the Terraform module deploys, run here: the MESH sandbox over mutual TLS, S3 (S3Proxy, on disk), DynamoDB
 * (dynalite), SQS (ElasticMQ) and SSM (a local endpoint speaking its JSON protocol) holding the deployment's
 * parameters in the Terraform MESH module's layout, and the functions' environment as locals.tf writes it.
 */
final class LambdaFixture implements AutoCloseable {
    static final String SENDER = "X26ABC1";
    static final String RECIPIENT = "X26ABC2";
    static final String WORKFLOW = "LAMBDA_TEST";
    static final String NAME_PREFIX = "lambda-test";
    private static final String ROOT = "/" + NAME_PREFIX + "-mesh/mesh";
    private static final String REGION = "eu-west-2";

    final Path dir;
    final MeshSandbox sandbox;
    final S3TestServer s3;
    final S3Client s3Client;
    final Dynalite dynalite;
    final SQSRestServer elasticMq;
    final URI sqsEndpoint;
    final SqsClient sqs;
    final AwsJsonStandIn ssm;
    private final IssuedCertificate client;
    private final CertificateAuthority ca;

    LambdaFixture(Path dir) throws Exception {
        this.dir = dir;
        ca = CertificateAuthority.create("Lambda test CA");
        sandbox = MeshSandbox.builder()
                .https(SandboxTls.serverContext(ca.issueServer("localhost", "127.0.0.1"), ca.certificate()))
                .requireClientCertificate(true).store(Files.createDirectories(dir.resolve("mesh"))).start();
        s3 = S3TestServer.startOnDisk(Files.createDirectories(dir.resolve("s3")));
        s3Client = s3.client();
        dynalite = Dynalite.start();
        elasticMq = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().start();
        sqsEndpoint = URI.create("http://127.0.0.1:" + elasticMq.waitUntilStarted().localAddress().getPort());
        sqs = SqsClient.builder().httpClientBuilder(Apache5HttpClient.builder()).region(Region.of(REGION))
                .endpointOverride(sqsEndpoint)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x"))).build();
        ssm = AwsJsonStandIn.start();
        client = ca.issueClient("x26abc1.x26.api.mesh-client.nhs.uk");
        ssm.string(ROOT + "/MESH_URL", sandbox.baseUrl())
                .secureString(ROOT + "/MESH_CA_CERT", pem(ca::writeCertificatePem))
                .secureString(ROOT + "/MESH_CLIENT_CERT", pem(client::writeCertificatePem))
                .secureString(ROOT + "/MESH_SHARED_KEY", "TestKey")
                .secureString(ROOT + "/MESH_CLIENT_KEY", pem(client::writePrivateKeyPkcs8Pem))
                .secureString(ROOT + "/mailboxes/" + SENDER + "/MAILBOX_PASSWORD", "password")
                .secureString(ROOT + "/mailboxes/" + RECIPIENT + "/MAILBOX_PASSWORD", "password");
    }

    /** One deployment: its own bucket, ledger table and queues (with the visibility timeout given). */
    Deployment deploy(Duration visibility, Map<String, String> extraEnvironment, String extraYaml)
            throws IOException {
        String name = "d" + UUID.randomUUID().toString().substring(0, 8);
        String bucket = s3.createBucket();
        String send = queue(name + "-send", visibility);
        String fetch = queue(name + "-fetch", visibility);
        Path config = Files.writeString(dir.resolve(name + ".yaml"), String.join("\n",
                "aws:",
                "  region: " + REGION,
                "  endpoint: " + ssm.endpoint(),
                "  access_key_id: test-key-id",
                "  secret_access_key: test-secret-key",
                "store:",
                "  endpoint: " + s3.endpoint(),
                "  region: " + S3TestServer.REGION,
                "  path_style: true",
                "  access_key_id: " + S3TestServer.ACCESS_KEY,
                "  secret_access_key: " + S3TestServer.SECRET_KEY,
                "  root: " + dir.resolve(name + "-node"),
                "ledger:",
                "  region: " + Dynalite.REGION,
                "  endpoint: " + dynalite.endpoint(),
                "  create_table: true",
                "  access_key_id: " + Dynalite.ACCESS_KEY,
                "  secret_access_key: " + Dynalite.SECRET_KEY,
                extraYaml) + "\n");
        Map<String, String> environment = new HashMap<>();
        // As deploy/terraform/aws/locals.tf writes the functions' environment.
        environment.put("MESHGATE_NAME_PREFIX", NAME_PREFIX);
        environment.put("MESHGATE_SETTINGS_PATH", ROOT);
        environment.put("MESHGATE_USE_SECRETS_MANAGER", "false");
        environment.put("MESHGATE_MAILBOX_IDS", SENDER + "," + RECIPIENT);
        environment.put("MESHGATE_VERIFY_SSL", "true");
        environment.put("MESHGATE_STORE_TYPE", "s3");
        environment.put("MESHGATE_STORE_BUCKET", bucket);
        environment.put("MESHGATE_LEDGER_TYPE", "dynamodb");
        environment.put("MESHGATE_LEDGER_TABLE", name + "-ledger");
        environment.put("MESHGATE_SEND_QUEUE_URL", send);
        environment.put("MESHGATE_FETCH_QUEUE_URL", fetch);
        // What Lambda gives every function, and where this machine's servers are.
        environment.put("AWS_REGION", REGION);
        environment.put("AWS_ACCESS_KEY_ID", "x");
        environment.put("AWS_SECRET_ACCESS_KEY", "x");
        environment.put("MESHGATE_SQS_ENDPOINT", sqsEndpoint.toString());
        environment.put("MESHGATE_CONFIG", config.toString());
        environment.putAll(extraEnvironment);
        return new Deployment(bucket, send, fetch, Map.copyOf(environment));
    }

    record Deployment(String bucket, String sendQueue, String fetchQueue, Map<String, String> environment) {
    }

    private String queue(String name, Duration visibility) {
        return sqs.createQueue(b -> b.queueName(name).attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT,
                Long.toString(visibility.toSeconds())))).queueUrl();
    }

    /** Puts an object under outbound/ with its MESH addressing as S3 user metadata, as a user's code would. */
    void putOutbound(String bucket, String key, RequestBody body) {
        s3Client.putObject(r -> r.bucket(bucket).key(key).contentType("text/csv").metadata(Map.of(
                "mex-from", SENDER, "mex-to", RECIPIENT, "mex-workflowid", WORKFLOW)), body);
    }

    /** The "Object Created" event S3 sends to EventBridge, as the module's rule delivers it to the send queue. */
    String objectCreated(String bucket, String key) throws IOException {
        try (InputStream in = LambdaFixture.class.getResourceAsStream("/notifications/eventbridge-object-created.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("BUCKET", bucket)
                    .replace("outbound/X26ABC1/weekly extract+final.csv", key);
        }
    }

    /** A client of {@code mailbox} over the same mutual TLS as the functions'. */
    MeshClient mesh(String mailbox) throws IOException {
        Path cert = Files.writeString(dir.resolve("client.pem"), pem(client::writeCertificatePem));
        Path key = Files.writeString(dir.resolve("client.key"), pem(client::writePrivateKeyPkcs8Pem));
        Path caFile = Files.writeString(dir.resolve("ca.pem"), pem(ca::writeCertificatePem));
        return MeshClient.builder().baseUrl(URI.create(sandbox.baseUrl()))
                .credentials(mailbox, "password", "TestKey")
                .tls(MeshTls.fromPem(cert, key, null, caFile)).build();
    }

    /** Writes {@code size} random bytes to a file; returns their SHA-256. */
    static String randomFile(Path file, long size, long seed) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        SplittableRandom random = new SplittableRandom(seed);
        byte[] block = new byte[1 << 20];
        try (var out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; ) {
                for (int i = 0; i < block.length; i += 8) {
                    long r = random.nextLong();
                    for (int b = 0; b < 8; b++) {
                        block[i + b] = (byte) (r >>> (8 * b));
                    }
                }
                int n = (int) Math.min(block.length, left);
                out.write(block, 0, n);
                sha.update(block, 0, n);
                left -= n;
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** The SHA-256 of an object, read as a stream. */
    String sha256(String bucket, String key) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (InputStream in = s3Client.getObject(g -> g.bucket(bucket).key(key))) {
            byte[] buffer = new byte[1 << 20];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                sha.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** The objects under {@code prefix} (not the folders the on-disk S3 server lists as keys ending in /). */
    List<String> keys(String bucket, String prefix) {
        return s3Client.listObjectsV2Paginator(l -> l.bucket(bucket).prefix(prefix)).contents().stream()
                .map(o -> o.key()).filter(k -> !k.endsWith("/")).toList();
    }

    private interface PemWriter {
        void write(Path file);
    }

    private String pem(PemWriter writer) throws IOException {
        Path file = Files.createTempFile(dir, "pem", ".pem");
        writer.write(file);
        return Files.readString(file);
    }

    @Override
    public void close() throws Exception {
        ssm.close();
        sqs.close();
        elasticMq.stopAndWait();
        dynalite.close();
        s3Client.close();
        s3.close();
        sandbox.close();
    }
}
