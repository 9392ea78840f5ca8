package meshgate.aws.ledger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A DynamoDB-API server for tests: dynalite (open source, from the npm registry, pinned by
 * {@code src/test/dynalite/package-lock.json}) run on the machine's Node.js as a process of its own, in memory, on a
 * free port. {@code npm ci} installs it on first use; a file lock keeps builds running at once from installing it
 * together. The AWS SDK talks to it with dummy credentials and an endpoint override.
 */
public final class Dynalite implements AutoCloseable {
    public static final String REGION = "eu-west-2";
    public static final String ACCESS_KEY = "dynalite-test";
    public static final String SECRET_KEY = "dynalite-test-secret";

    private static final Path HOME = Path.of("src", "test", "dynalite").toAbsolutePath();
    private static final Path CLI = HOME.resolve("node_modules/dynalite/cli.js");
    private static final Duration START_WAIT = Duration.ofSeconds(60);
    private static final Duration INSTALL_WAIT = Duration.ofMinutes(5);

    private final Process process;
    private final URI endpoint;

    private Dynalite(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    /** Installs dynalite if needed, starts it on a free port and returns once it answers. */
    public static Dynalite start() {
        install();
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = freePort();
            try {
                return startOn(port);
            } catch (IllegalStateException e) {
                // Most likely another process took the port between finding it free and dynalite binding it.
                last = e;
            }
        }
        throw last;
    }

    private static Dynalite startOn(int port) {
        Path log = Path.of("target", "dynalite-" + port + ".log").toAbsolutePath();
        try {
            Files.createDirectories(log.getParent());
            Process process = new ProcessBuilder(List.of("node", CLI.toString(), "--port", Integer.toString(port),
                    "--host", "127.0.0.1", "--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0"))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long deadline = System.nanoTime() + START_WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("dynalite exited with " + process.exitValue() + ": "
                            + Files.readString(log));
                }
                if (answers(port)) {
                    return new Dynalite(process, URI.create("http://127.0.0.1:" + port));
                }
                Thread.sleep(50);
            }
            process.destroyForcibly();
            throw new IllegalStateException("dynalite did not answer on port " + port + " within " + START_WAIT);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start dynalite (is Node.js installed? .ci/run installs it)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code npm ci} in src/test/dynalite when dynalite is not there yet, one build at a time. */
    private static void install() {
        if (Files.isRegularFile(CLI)) {
            return;
        }
        Path lockFile = Path.of("target", "dynalite-install.lock").toAbsolutePath();
        try {
            Files.createDirectories(lockFile.getParent());
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = channel.lock()) {
                if (Files.isRegularFile(CLI)) {
                    return;
                }
                Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund")
                        .directory(HOME.toFile()).redirectErrorStream(true)
                        .redirectOutput(Path.of("target", "dynalite-npm-ci.log").toAbsolutePath().toFile()).start();
                if (!npm.waitFor(INSTALL_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    npm.destroyForcibly();
                    throw new IllegalStateException("npm ci in " + HOME + " took longer than " + INSTALL_WAIT);
                }
                if (npm.exitValue() != 0 || !Files.isRegularFile(CLI)) {
                    throw new IllegalStateException("npm ci in " + HOME + " failed with " + npm.exitValue()
                            + "; see target/dynalite-npm-ci.log");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install dynalite with npm (is Node.js installed? .ci/run "
                    + "installs it)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean answers(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    /** A client of this server; the caller closes it. */
    public DynamoDbClient client() {
        return DynamoDbClient.builder().httpClientBuilder(Apache5HttpClient.builder())
                .region(Region.of(REGION)).endpointOverride(endpoint)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY,
                        SECRET_KEY)))
                .build();
    }

    /** Settings of a ledger in {@code table} on this server, created when missing. */
    public DynamoDbSettings settings(String table) {
        return DynamoDbSettings.from(Map.of("table", table, "region", REGION, "endpoint", endpoint.toString(),
                "create_table", "true", "access_key_id", ACCESS_KEY, "secret_access_key", SECRET_KEY));
    }

    /** The YAML lines of {@code ledger:} for a gateway on this server, indented under it. */
    public String ledgerYaml(String table) {
        return String.join("\n",
                "ledger:",
                "  type: dynamodb",
                "  table: " + table,
                "  region: " + REGION,
                "  endpoint: " + endpoint,
                "  create_table: true",
                "  access_key_id: " + ACCESS_KEY,
                "  secret_access_key: " + SECRET_KEY,
                "");
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
