package meshgate.aws;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import meshgate.gateway.Gateway;
import meshgate.gateway.config.GatewayConfigLoader;
import meshgate.gateway.store.S3TestServer;
import meshgate.sandbox.MeshSandbox;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A sandbox, an S3 server (S3Proxy) with a bucket, and gateways of mailboxes X26ABC1 and X26ABC2 on that bucket,
 * configured with a YAML file as a user would. Objects are put with the AWS SDK, as a user's code would put them.
 */
public final class S3GatewayFixture implements AutoCloseable {
    public static final long PART_SIZE = 5L * 1024 * 1024;

    private final Path dir;
    private final MeshSandbox sandbox;
    private final S3TestServer s3;
    private final String bucket;
    private final S3Client client;
    private final List<Gateway> gateways = new ArrayList<>();

    public S3GatewayFixture(Path dir, Consumer<MeshSandbox.Builder> customise) throws Exception {
        this.dir = dir;
        MeshSandbox.Builder builder = MeshSandbox.builder();
        customise.accept(builder);
        this.sandbox = builder.start();
        this.s3 = S3TestServer.start();
        this.bucket = s3.createBucket();
        this.client = s3.client();
    }

    public String bucket() {
        return bucket;
    }

    public S3Client s3() {
        return client;
    }

    public MeshSandbox sandbox() {
        return sandbox;
    }

    /** The gateway's settings: both mailboxes, the bucket, quick schedules; {@code extra} adds top-level settings. */
    public String yaml(String extra) {
        return String.join("\n",
                "base_url: " + sandbox.baseUrl(),
                "shared_key: TestKey",
                "mailboxes:",
                "  - mailbox_id: X26ABC1",
                "    password: password",
                "  - mailbox_id: X26ABC2",
                "    password: password",
                "store:",
                "  type: s3",
                "  root: " + dir.resolve("node"),
                "  bucket: " + bucket,
                "  endpoint: " + s3.endpoint(),
                "  region: " + S3TestServer.REGION,
                "  path_style: true",
                "  access_key_id: " + S3TestServer.ACCESS_KEY,
                "  secret_access_key: " + S3TestServer.SECRET_KEY,
                "  part_size: " + PART_SIZE,
                "ledger:",
                "  type: embedded",
                "  path: " + dir.resolve("ledger").resolve("meshgate"),
                "chunk_size: 5242881",
                "poll_interval: 300ms",
                "outbound_rescan_interval: 300ms",
                "outbound_settle_time: 100ms",
                extra) + "\n";
    }

    /** Starts a gateway; the same settings after a close are the same node restarted, on the same ledger. */
    public Gateway start(String extra) throws IOException {
        Files.createDirectories(dir);
        Path file = Files.writeString(dir.resolve("meshgate.yaml"), yaml(extra));
        Gateway gateway = Gateway.start(GatewayConfigLoader.load(file, Map.of()));
        gateways.add(gateway);
        return gateway;
    }

    /** Puts an object as boto3's {@code put_object} does: content type and user metadata on one PutObject. */
    public void put(String key, byte[] content, String contentType, Map<String, String> metadata) {
        client.putObject(r -> r.bucket(bucket).key(key).contentType(contentType).metadata(metadata),
                RequestBody.fromBytes(content));
    }

    /** Waits for a quick condition with a generous bound. */
    public static void eventually(Duration timeout, String what, BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for: " + what);
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close() throws Exception {
        gateways.forEach(Gateway::close);
        client.close();
        s3.close();
        sandbox.close();
    }
}
