package meshgate.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import meshgate.aws.lambda.FetchHandler;
import meshgate.aws.lambda.LocalLambda;
import meshgate.aws.lambda.MeshGateHandler;
import meshgate.aws.lambda.PollHandler;
import meshgate.aws.lambda.SendHandler;
import meshgate.client.MeshClient;
import meshgate.gateway.Gateway;
import meshgate.gateway.config.GatewayConfigLoader;
import meshgate.gateway.store.ObjectWriter;
import meshgate.gateway.store.S3ObjectStore;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The serverless deployment's functions driven as Lambda drives them, against the same messages through the
 * long-running gateway in the same run, both on S3 (S3Proxy) and a DynamoDB ledger (dynalite): each queue-fed
 * function an event source mapping of its own (batch size 1, as the Terraform module sets it, several execution
 * environments at once), poll invoked on a schedule, every invocation with its own remaining time. Figures:
 * messages/s, drop-to-inbound latency p50/p99, invocations, and the first invocation of an execution environment.
 */
final class AwsBenchmark {
    private static final String KEY = LocalS3.KEY;
    private static final String SECRET = LocalS3.SECRET;
    private static final String REGION = "eu-west-2";
    /** Execution environments per queue-fed function: the module's get_message_max_concurrency default is 10. */
    private static final int ENVIRONMENTS = 4;
    private static final Duration POLL_EVERY = Duration.ofSeconds(1);
    private static final Duration INVOCATION_TIME = Duration.ofMinutes(15);

    private AwsBenchmark() {
    }

    static Report run(Path dir, int count) throws Exception {
        Files.createDirectories(dir);
        LocalS3 s3 = LocalS3.start();
        URI s3Endpoint = s3.endpoint();
        SQSRestServer elasticMq = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().start();
        URI sqsEndpoint = URI.create("http://127.0.0.1:" + elasticMq.waitUntilStarted().localAddress().getPort());
        try (Dynalite dynamo = Dynalite.start(dir.resolve("dynalite.log"));
                LocalMesh mesh = new LocalMesh(dir, b -> { });
                MeshClient recipient = mesh.client("X26ABC2");
                MeshClient sender = mesh.client("X26ABC1");
                SqsClient sqs = SqsClient.builder().httpClientBuilder(Apache5HttpClient.builder())
                        .region(Region.of(REGION)).endpointOverride(sqsEndpoint).credentialsProvider(
                                StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x"))).build()) {
            Report report = new Report("serverless functions vs the long-running gateway (" + count
                    + " objects of 1-10 KiB, S3 and DynamoDB)");

            s3.createBucket("gateway");
            Deliveries viaGateway = new Deliveries();
            long gatewayStart;
            Deliveries.Settling gatewaySettled;
            try (Gateway gateway = Gateway.start(GatewayConfigLoader.load(LocalMesh.writeSettings(
                    Files.createDirectories(dir.resolve("gateway")).resolve("meshgate.yaml"),
                    settings(mesh, dir.resolve("gateway"), "gateway", s3Endpoint, dynamo.endpoint(), true)),
                    LocalMesh.ENVIRONMENT)); S3ObjectStore bucket = s3.store("gateway")) {
                gatewayStart = System.nanoTime();
                drop(bucket, "gateway", count, viaGateway, null);
                gatewaySettled = viaGateway.settle(probe(bucket, viaGateway));
            }
            Deliveries.Outcome gatewayOutcome;
            try (S3ObjectStore bucket = s3.store("gateway")) {
                gatewayOutcome = viaGateway.collectStored(bucket, "X26ABC2", recipient, sender);
            }
            double gatewayRate = gatewayOutcome.unique() / gatewaySettled.secondsSince(gatewayStart);

            s3.createBucket("functions");
            String sendQueue = sqs.createQueue(b -> b.queueName("bench-send")).queueUrl();
            String fetchQueue = sqs.createQueue(b -> b.queueName("bench-fetch")).queueUrl();
            Path config = LocalMesh.writeSettings(Files.createDirectories(dir.resolve("functions"))
                    .resolve("meshgate.yaml"), settings(mesh, dir.resolve("functions"), "functions", s3Endpoint,
                    dynamo.endpoint(), false));
            Map<String, String> environment = new java.util.HashMap<>(LocalMesh.ENVIRONMENT);
            environment.putAll(Map.of("MESHGATE_CONFIG", config.toString(), "MESHGATE_STORE_BUCKET", "functions",
                    "MESHGATE_LEDGER_TABLE", "bench-functions", "MESHGATE_SEND_QUEUE_URL", sendQueue,
                    "MESHGATE_FETCH_QUEUE_URL", fetchQueue, "MESHGATE_SQS_ENDPOINT", sqsEndpoint.toString(),
                    "AWS_REGION", REGION, "AWS_ACCESS_KEY_ID", "x", "AWS_SECRET_ACCESS_KEY", "x"));
            Deliveries viaFunctions = new Deliveries();
            Functions functions = new Functions(sqs, sendQueue, fetchQueue, environment);
            long functionsStart;
            Deliveries.Settling functionsSettled;
            try (S3ObjectStore bucket = s3.store("functions")) {
                functions.start();
                functionsStart = System.nanoTime();
                drop(bucket, "functions", count, viaFunctions, (key) -> sqs.sendMessage(b -> b.queueUrl(sendQueue)
                        .messageBody(objectCreated("functions", key))));
                functionsSettled = viaFunctions.settle(probe(bucket, viaFunctions));
            } finally {
                functions.close();
            }
            Deliveries.Outcome functionsOutcome;
            try (S3ObjectStore bucket = s3.store("functions")) {
                functionsOutcome = viaFunctions.collectStored(bucket, "X26ABC2", recipient, sender);
            }
            double functionsRate = functionsOutcome.unique() / functionsSettled.secondsSince(functionsStart);

            report.row("long-running gateway", String.format("%.1f messages/s; latency p50 / p99 %d ms / %d ms "
                    + "(outbound/ listed every 500 ms, inbox polled every 1 s)", gatewayRate,
                    gatewayOutcome.percentile(50), gatewayOutcome.percentile(99)));
            report.row("functions", String.format("%.1f messages/s; latency p50 / p99 %d ms / %d ms (S3 events "
                    + "through SQS, poll every 1 s, %d environments per queue)", functionsRate,
                    functionsOutcome.percentile(50), functionsOutcome.percentile(99), ENVIRONMENTS));
            report.row("ratio functions / gateway", String.format("%.2f messages/s; %.2f p50 latency",
                    functionsRate / gatewayRate, (double) functionsOutcome.percentile(50)
                            / Math.max(1, gatewayOutcome.percentile(50))));
            report.row("invocations send / poll / fetch", functions.invocations());
            report.row("first invocation of an environment", functions.firstInvocations());
            report.row("gateway:", "");
            report.settling(gatewaySettled).outcome(gatewayOutcome);
            report.row("functions:", "");
            report.settling(functionsSettled).outcome(functionsOutcome);
            return report;
        } finally {
            elasticMq.stopAndWait();
            s3.close();
        }
    }

    /**
     * The event source mappings and the schedule: {@link #ENVIRONMENTS} send and fetch environments, each taking
     * one message at a time, and poll invoked every {@link #POLL_EVERY}.
     */
    private static final class Functions implements AutoCloseable {
        private final SqsClient sqs;
        private final String sendQueue;
        private final String fetchQueue;
        private final Map<String, String> environment;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final ExecutorService threads = Executors.newCachedThreadPool();
        private final List<MeshGateHandler> handlers = new ArrayList<>();
        private final AtomicInteger sends = new AtomicInteger();
        private final AtomicInteger polls = new AtomicInteger();
        private final AtomicInteger fetches = new AtomicInteger();
        private final ConcurrentLinkedQueue<Long> firstMillis = new ConcurrentLinkedQueue<>();

        Functions(SqsClient sqs, String sendQueue, String fetchQueue, Map<String, String> environment) {
            this.sqs = sqs;
            this.sendQueue = sendQueue;
            this.fetchQueue = fetchQueue;
            this.environment = environment;
        }

        void start() {
            for (int i = 0; i < ENVIRONMENTS; i++) {
                mapping(new SendHandler(environment), sendQueue, sends);
                mapping(new FetchHandler(environment), fetchQueue, fetches);
            }
            PollHandler poll = new PollHandler(environment);
            handlers.add(poll);
            threads.execute(() -> {
                boolean first = true;
                while (running.get()) {
                    long started = System.nanoTime();
                    try {
                        LocalLambda.invoke(poll, LocalLambda.scheduleInput("X26ABC2"), INVOCATION_TIME);
                        polls.incrementAndGet();
                    } catch (RuntimeException e) {
                        System.err.println("poll invocation failed: " + e);
                    }
                    if (first) {
                        firstMillis.add((System.nanoTime() - started) / 1_000_000);
                        first = false;
                    }
                    sleepUntil(started + POLL_EVERY.toNanos());
                }
            });
        }

        private void mapping(MeshGateHandler handler, String queue, AtomicInteger invocations) {
            handlers.add(handler);
            threads.execute(() -> {
                boolean first = true;
                while (running.get()) {
                    long started = System.nanoTime();
                    try {
                        LocalLambda.Round round = LocalLambda.poll(sqs, queue, handler, 1, Duration.ofSeconds(1),
                                INVOCATION_TIME);
                        if (round.received() > 0) {
                            invocations.incrementAndGet();
                            if (first) {
                                firstMillis.add((System.nanoTime() - started) / 1_000_000);
                                first = false;
                            }
                        }
                    } catch (RuntimeException e) {
                        if (running.get()) {
                            System.err.println(handler.getClass().getSimpleName() + " invocation failed: " + e);
                        }
                    }
                }
            });
        }

        String invocations() {
            return sends.get() + " / " + polls.get() + " / " + fetches.get();
        }

        String firstInvocations() {
            long[] millis = firstMillis.stream().mapToLong(Long::longValue).sorted().toArray();
            if (millis.length == 0) {
                return "none";
            }
            return String.format("median %d ms, slowest %d ms over %d environments (settings read, clients made; "
                    + "later invocations reuse them)", millis[millis.length / 2], millis[millis.length - 1],
                    millis.length);
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            threads.shutdown();
            threads.awaitTermination(1, TimeUnit.MINUTES);
            handlers.forEach(MeshGateHandler::close);
        }

        private static void sleepUntil(long nanos) {
            long wait = nanos - System.nanoTime();
            if (wait > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** The gateway's settings; the long-running one runs its own schedules, the functions' are driven. */
    private static String settings(LocalMesh mesh, Path root, String bucket, URI s3, URI dynamo, boolean gateway) {
        List<String> lines = new ArrayList<>(List.of(
                "base_url: " + mesh.sandbox.baseUrl(),
                "shared_key: TestKey",
                "ca_bundle: " + mesh.certificates.caBundle()));
        lines.add("mailboxes:");
        for (String mailbox : List.of("X26ABC1", "X26ABC2")) {
            lines.addAll(List.of(
                    "  - mailbox_id: " + mailbox,
                    "    password: password",
                    "    certificate: " + mesh.certificates.clientCertificate(mailbox),
                    "    private_key: " + mesh.certificates.clientKey(mailbox),
                    "    private_key_passphrase: {env: MESHGATE_BENCH_PASSPHRASE}"));
        }
        lines.addAll(List.of(
                "store:",
                "  type: s3",
                "  bucket: " + bucket,
                "  endpoint: " + s3,
                "  region: us-east-1",
                "  path_style: true",
                "  access_key_id: " + KEY,
                "  secret_access_key: " + SECRET,
                "  root: " + root,
                "ledger:",
                "  type: dynamodb",
                "  table: bench-" + bucket,
                "  region: " + REGION,
                "  endpoint: " + dynamo,
                "  create_table: true",
                "  access_key_id: x",
                "  secret_access_key: x",
                "tracking_interval: 1h"));
        if (gateway) {
            lines.addAll(List.of("send_concurrency: " + ENVIRONMENTS, "get_message_max_concurrency: " + ENVIRONMENTS,
                    "poll_interval: " + POLL_EVERY.toSeconds() + "s", "outbound_rescan_interval: 500ms",
                    "outbound_settle_time: 0s"));
        }
        return String.join("\n", lines) + "\n";
    }

    @FunctionalInterface
    private interface Announce {
        void created(String key);
    }

    /** Puts {@code count} objects of 1–10 KiB under outbound/, each announced as S3 would when {@code announce}. */
    private static void drop(S3ObjectStore store, String bucket, int count, Deliveries deliveries, Announce announce)
            throws IOException {
        java.util.Random random = new java.util.Random(count);
        for (int i = 0; i < count; i++) {
            byte[] content = new byte[1024 + random.nextInt(9 * 1024)];
            random.nextBytes(content);
            String localId = bucket + "-" + i;
            String key = "outbound/" + localId + ".dat";
            try (ObjectWriter writer = store.create(key, Map.of("mex-from", "X26ABC1", "mex-to", "X26ABC2",
                    "mex-workflowid", "TEST_WORKFLOW", "mex-localid", localId))) {
                writer.stream().write(content);
                writer.commit();
            }
            deliveries.expect(localId, content);
            if (announce != null) {
                announce.created(key);
            }
        }
    }

    private static Deliveries.Probe probe(S3ObjectStore store, Deliveries deliveries) {
        return () -> {
            long arrived = store.list("inbound/X26ABC2/").size();
            return new Deliveries.Progress(store.list("outbound/").size(), arrived,
                    Math.max(0, deliveries.dropped() - arrived));
        };
    }

    /** S3's "Object Created" event on EventBridge, as the module's rule delivers it to the send queue. */
    private static String objectCreated(String bucket, String key) {
        var json = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        json.put("version", "0").put("id", java.util.UUID.randomUUID().toString())
                .put("detail-type", "Object Created").put("source", "aws.s3").put("account", "000000000000")
                .put("time", java.time.Instant.now().toString()).put("region", REGION);
        json.putArray("resources").add("arn:aws:s3:::" + bucket);
        var detail = json.putObject("detail");
        detail.put("version", "0");
        detail.putObject("bucket").put("name", bucket);
        detail.putObject("object").put("key", key).put("sequencer", Long.toHexString(System.nanoTime()));
        detail.put("reason", "PutObject");
        return json.toString();
    }

    /**
     * dynalite, the DynamoDB-API server the tests use, from meshgate-aws/src/test/dynalite in this checkout
     * (installed there with npm when missing).
     */
    static final class Dynalite implements AutoCloseable {
        private final Process process;
        private final URI endpoint;

        private Dynalite(Process process, URI endpoint) {
            this.process = process;
            this.endpoint = endpoint;
        }

        static Dynalite start(Path log) throws Exception {
            Path home = checkout().resolve("meshgate-aws/src/test/dynalite");
            Path cli = home.resolve("node_modules/dynalite/cli.js");
            if (!Files.isRegularFile(cli)) {
                Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(home.toFile())
                        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
                if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
                    throw new IllegalStateException("npm ci in " + home + " failed; see " + log);
                }
            }
            int port;
            try (var socket = new java.net.ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            Process process = new ProcessBuilder("node", cli.toString(), "--port", Integer.toString(port), "--host",
                    "127.0.0.1", "--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (System.nanoTime() < deadline) {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                    return new Dynalite(process, URI.create("http://127.0.0.1:" + port));
                } catch (IOException notYet) {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("dynalite exited: " + Files.readString(log));
                    }
                    Thread.sleep(50);
                }
            }
            process.destroyForcibly();
            throw new IllegalStateException("dynalite did not answer within a minute; see " + log);
        }

        /** The checkout the benchmark jar was built in (meshgate-bench/target/meshgate-bench.jar), or the folder. */
        private static Path checkout() throws Exception {
            Path jar = Path.of(AwsBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path p = jar; p != null; p = p.getParent()) {
                if (Files.isDirectory(p.resolve("meshgate-aws/src/test/dynalite"))) {
                    return p;
                }
            }
            return Path.of("").toAbsolutePath();
        }

        URI endpoint() {
            return endpoint;
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
