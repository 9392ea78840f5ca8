package meshgate.cli;

import picocli.CommandLine;

/** Entry point of the {@code meshgate} command. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (for tests and embedding). */
    public static int run(String... args) {
        return new CommandLine(new MeshgateCommand())
                .setExecutionExceptionHandler(new ErrorHandler())
                .execute(args);
    }
}
