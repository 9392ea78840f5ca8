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
        return commandLine(CliEnvironment.system()).execute(args);
    }

    /** The command line with its error handling: one line per failure, the exit codes of {@link ErrorHandler}. */
    static CommandLine commandLine(CliEnvironment environment) {
        ErrorHandler errors = new ErrorHandler();
        CommandLine commandLine = new CommandLine(new MeshgateCommand(environment))
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
