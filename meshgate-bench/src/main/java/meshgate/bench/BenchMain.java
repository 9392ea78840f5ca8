package meshgate.bench;

import java.util.Arrays;

/** Runs one benchmark by name; each prints its figures and the ratios measured in the same run. */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("--help")) {
            System.out.println("""
                    usage: java -Xmx96m -jar meshgate-bench.jar large-message [--size-mib N] [--chunk-mib N] [--dir DIR]

                    large-message  sends and downloads one generated message of N MiB (default 2048) through the
                                   sandbox (a separate JVM) over mutual TLS; prints MiB/s each way, the MiB/s of a
                                   plain loopback socket copy of the same bytes, their ratios, and the client's peak
                                   heap. Needs about 3 x N MiB of free disk in DIR (default: the temp folder).
                    """);
            return;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "large-message" -> LargeMessageBenchmark.main(rest);
            default -> {
                System.err.println("unknown benchmark '" + args[0] + "'; try --help");
                System.exit(2);
            }
        }
    }
}
