package meshgate.cli;

import java.io.PrintWriter;
import java.util.List;
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
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            // What picocli prints for it, without building the command's model first (a quarter of the start).
            PrintWriter out = new PrintWriter(System.out, true);
            printVersion(out);
            return 0;
        }
        return commandLine(CliEnvironment.system(), subcommandsFor(args)).execute(args);
    }

    /** {@code meshgate --version}'s lines, formatted as picocli formats a version provider's. */
    static void printVersion(PrintWriter out) {
        for (String line : new MeshgateCommand.Version().getVersion()) {
            out.println(String.format(line));
        }
        out.flush();
    }

    /**
     * The command line with every subcommand and its error handling: one line per failure, the exit codes of
     * {@link ErrorHandler}.
     */
    static CommandLine commandLine(CliEnvironment environment) {
        return commandLine(environment, MeshgateCommand.SUBCOMMANDS);
    }

    /**
     * The subcommands that running {@code args} can reach: the first one they name (an option value never is a
     * subcommand's name, the top-level options taking only levels and formats), none for a bare {@code --version},
     * else all of them (the top-level help lists them, and an unknown name, or one after {@code --}, is answered
     * with the nearest ones).
     * Parsing {@code args} then goes exactly as with all of them.
     */
    static List<Class<?>> subcommandsFor(String... args) {
        boolean onlyVersion = args.length > 0;
        for (String arg : args) {
            if (arg.equals("--")) {
                return MeshgateCommand.SUBCOMMANDS;
            }
            int named = MeshgateCommand.SUBCOMMAND_NAMES.indexOf(arg);
            if (named >= 0) {
                return List.of(MeshgateCommand.SUBCOMMANDS.get(named));
            }
            onlyVersion &= arg.equals("--version") || arg.equals("-V");
        }
        return onlyVersion ? List.of() : MeshgateCommand.SUBCOMMANDS;
    }

    /** The command line with these subcommands (of {@link MeshgateCommand#SUBCOMMANDS}, in their order). */
    static CommandLine commandLine(CliEnvironment environment, List<Class<?>> subcommands) {
        ErrorHandler errors = new ErrorHandler();
        CommandLine commandLine = new CommandLine(new MeshgateCommand(environment));
        for (Class<?> subcommand : subcommands) {
            commandLine.addSubcommand(subcommand);
        }
        commandLine
                .setExecutionExceptionHandler(errors)
                .setParameterExceptionHandler(errors)
                .setExecutionStrategy(parseResult -> {
                    // --version and --help log nothing: no settings file read, no logging backend started.
                    if (!helpOrVersion(parseResult)) {
                        CommandLogging.setUp(parseResult, environment.variables());
                    }
                    return new CommandLine.RunLast().execute(parseResult);
                });
        describeExitCodes(commandLine);
        return commandLine;
    }

    private static boolean helpOrVersion(CommandLine.ParseResult parseResult) {
        for (CommandLine.ParseResult part = parseResult; part != null; part = part.subcommand()) {
            if (part.isUsageHelpRequested() || part.isVersionHelpRequested()) {
                return true;
            }
        }
        return false;
    }

    private static void describeExitCodes(CommandLine commandLine) {
        commandLine.getCommandSpec().usageMessage()
                .exitCodeListHeading("%nExit codes:%n")
                .exitCodeList(ErrorHandler.EXIT_CODES);
        commandLine.getSubcommands().values().forEach(Main::describeExitCodes);
        if (commandLine.getCommand() instanceof StatusCommand) {
            java.util.Map<String, String> codes = new java.util.LinkedHashMap<>(ErrorHandler.EXIT_CODES);
            codes.put("0", "nothing needs a person");
            codes.put(Integer.toString(StatusCommand.NEEDS_A_PERSON), "something needs a person: a failed file, or a "
                    + "mailbox whose last handshake failed");
            commandLine.getCommandSpec().usageMessage().exitCodeList(codes);
        }
    }
}
