package meshgate.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * MeshGate's benchmarks and reliability harness. Each part prints its figures (rates and ratios measured in the same
 * run) and its invariants; the run fails (exit 1) when any invariant does not hold: every message dropped arrives
 * exactly once with its bytes (see {@link Deliveries}), every bad input handled.
 */
public final class BenchMain {
    private BenchMain() {
    }

    private static final String USAGE = """
            usage: ./meshgate bench [PART] [options]      (or: java -jar meshgate-bench/target/meshgate-bench.jar ...)

            parts:
              all [--quick]          every part below; --quick runs them at small sizes (CI runs this)
              large-message [--size-mib N] [--chunk-mib N] [--dir DIR]
                                     one generated message of N MiB (default 2048) sent and received through the
                                     sandbox in its own JVM over mutual TLS; MiB/s each way, ratios to a plain
                                     loopback socket copy of the same bytes, the client's peak heap. Run it with
                                     java -Xmx96m to show memory stays bounded.
              small-messages [--count N]   N messages of 1-10 KiB (default 10000) through two gateways:
                                     messages/s and p50/p99 latency from outbound/ to inbound/
              compression [--size-mib N]   compressible data sent with and without gzip (default 256 MiB)
              soak [--count N] [--rate R]  N messages (default 2000) while R (default 0.1) of requests fail
                                     (500/503/429, dropped connections, malformed answers): lost and duplicates
              crash-loop [--count N] [--kills K]   N messages (default 2000) while the gateways are killed with
                                     SIGKILL K times (default 10) at random moments and restarted
              bad-input              a corpus of malformed outbound objects and malformed MESH answers
              cluster [--count N]    N objects (default 2000) sent by 1 gateway node, then by 3 nodes sharing an
                                     S3 bucket (S3Proxy) and a PostgreSQL ledger (embedded): messages/s and ratio
                [--ledger dynamodb [--dynamodb-endpoint URL] [--dynamodb-region R]]
                                     the nodes share a DynamoDB ledger instead: a table per round, deleted after,
                                     on a DynamoDB-API server such as dynalite (URL, e.g. http://localhost:4567),
                                     or on AWS with the default credentials when no URL is given (billed)
              open-loop [--rate R] [--seconds S]   R messages/s (default 50) offered for S seconds (default 60)
                                     at fixed times, whatever became of the earlier ones: p50/p99 latency from
                                     outbound/ to inbound/ with a 1 s poll interval (goal: p99 under 2 s)
              aws [--count N]        N objects (default 1000) through the serverless deployment's functions,
                                     driven as Lambda drives them (SQS event source mappings, scheduled poll,
                                     remaining time per invocation), and through the long-running gateway, both on
                                     S3 (S3Proxy) and DynamoDB (dynalite, needs Node.js): messages/s, drop-to-inbound
                                     latency and their ratios
            """;

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--help")) {
            System.out.println(USAGE);
            return;
        }
        if (args.length == 0 || args[0].startsWith("--")) {
            String[] all = new String[args.length + 1];
            all[0] = "all";
            System.arraycopy(args, 0, all, 1, args.length);
            args = all;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        if (args[0].equals("large-message")) {
            LargeMessageBenchmark.main(rest);
            return;
        }
        boolean quick = List.of(rest).contains("--quick");
        Path dir = Files.createTempDirectory("meshgate-bench-");
        List<Report> reports = new ArrayList<>();
        try {
            switch (args[0]) {
                case "all" -> {
                    long start = System.nanoTime();
                    if (quick) {
                        LargeMessageBenchmark.main(new String[] {"--size-mib", "64", "--dir", dir.toString()});
                    } else {
                        System.out.println("(large-message: run it on its own, with -Xmx96m; see --help)");
                    }
                    reports.add(GatewayBenchmarks.smallMessages(dir.resolve("small"), quick ? 300 : 10_000));
                    reports.add(CompressionBenchmark.run(dir.resolve("compression"), quick ? 16 : 256));
                    reports.add(GatewayBenchmarks.soak(dir.resolve("soak"), quick ? 200 : 2000, 0.1));
                    reports.add(GatewayBenchmarks.crashLoop(dir.resolve("crash"), quick ? 150 : 2000, quick ? 3 : 10));
                    reports.add(BadInputBenchmark.run(dir.resolve("bad")));
                    reports.add(BadInputBenchmark.malformedResponses(dir.resolve("bad"), quick ? 100 : 1000));
                    reports.add(ClusterBenchmark.run(dir.resolve("cluster"), quick ? 200 : 2000));
                    reports.add(AwsBenchmark.run(dir.resolve("aws"), quick ? 100 : 1000));
                    reports.add(GatewayBenchmarks.openLoop(dir.resolve("open-loop"), quick ? 20 : 50, quick ? 15 : 60));
                    System.out.printf("%nall parts took %.0f s%n", (System.nanoTime() - start) / 1e9);
                }
                case "small-messages" -> reports.add(GatewayBenchmarks.smallMessages(dir, intOption(rest, "--count", 10_000)));
                case "compression" -> reports.add(CompressionBenchmark.run(dir, intOption(rest, "--size-mib", 256)));
                case "soak" -> reports.add(GatewayBenchmarks.soak(dir, intOption(rest, "--count", 2000),
                        Double.parseDouble(option(rest, "--rate", "0.1"))));
                case "crash-loop" -> reports.add(GatewayBenchmarks.crashLoop(dir, intOption(rest, "--count", 2000),
                        intOption(rest, "--kills", 10)));
                case "cluster" -> reports.add(ClusterBenchmark.run(dir, intOption(rest, "--count", 2000),
                        dynamoDb(rest)));
                case "open-loop" -> reports.add(GatewayBenchmarks.openLoop(dir, intOption(rest, "--rate", 50),
                        intOption(rest, "--seconds", 60)));
                case "aws" -> reports.add(AwsBenchmark.run(dir, intOption(rest, "--count", 1000)));
                case "bad-input" -> {
                    reports.add(BadInputBenchmark.run(dir));
                    reports.add(BadInputBenchmark.malformedResponses(dir, intOption(rest, "--count", 300)));
                }
                default -> {
                    System.err.println("unknown part '" + args[0] + "'; try --help");
                    System.exit(2);
                }
            }
        } finally {
            reports.forEach(Report::print);
            delete(dir);
        }
        boolean passed = reports.stream().allMatch(Report::passed);
        long failed = reports.stream().filter(r -> !r.passed()).count();
        System.out.println();
        System.out.println(passed ? "every invariant held (each message dropped arrived exactly once, with its bytes; every bad input handled)"
                : "FAILED: see the parts marked [FAILED]");
        System.out.println("bench: " + (reports.size() - failed) + " passed, " + failed + " failed");
        System.exit(passed ? 0 : 1);
    }

    /** The DynamoDB ledger asked for with {@code --ledger dynamodb}; empty for PostgreSQL. */
    private static java.util.Optional<ClusterBenchmark.DynamoDb> dynamoDb(String[] args) {
        String ledger = option(args, "--ledger", "postgresql");
        if (ledger.equals("postgresql")) {
            return java.util.Optional.empty();
        }
        if (!ledger.equals("dynamodb")) {
            throw new IllegalArgumentException("--ledger must be postgresql or dynamodb, got " + ledger);
        }
        return java.util.Optional.of(new ClusterBenchmark.DynamoDb(
                java.util.Optional.ofNullable(option(args, "--dynamodb-endpoint", null)).map(java.net.URI::create),
                java.util.Optional.ofNullable(option(args, "--dynamodb-region", null))));
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }

    private static int intOption(String[] args, String name, int fallback) {
        return Integer.parseInt(option(args, name, Integer.toString(fallback)));
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            System.err.println("could not delete " + dir + ": " + e.getMessage());
        }
    }
}
