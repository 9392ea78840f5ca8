package meshgate.cli;

import java.util.List;
import meshgate.client.MeshClient;
import meshgate.gateway.config.LoggingSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

@Command(name = "meshgate",
        mixinStandardHelpOptions = true,
        versionProvider = MeshgateCommand.Version.class,
        description = {
            "MeshGate: NHS MESH (Message Exchange for Social Care and Health) client, sandbox and gateway.",
            "%nStart with 'meshgate quickstart': it runs a local MESH sandbox over mutual TLS and sends a message "
                    + "from one test mailbox to another, with nothing to configure, then keeps running until Ctrl-C "
                    + "for you to drop files of your own (--once ends it after the demo).",
            "%nThe MESH commands (validate-mailbox, inbox, get, ack, send, track, lookup, workflows) read their "
                    + "connection settings from one YAML file: --config FILE, or $MESHGATE_CONFIG, or ./meshgate.yaml. "
                    + "docs/getting-started.md shows one for the sandbox and one for the integration environment.",
            "%nThe operator's commands (status, messages, retry) read the gateway's ledger and store, named in the "
                    + "gateway's settings file, whichever ledger it uses and while it runs or not. docs/operations.md."
        })
final class MeshgateCommand implements Runnable {
    /**
     * The subcommands, in the order the help lists them. {@link Main} adds them to the command line, only the one
     * the arguments name when they name one: picocli builds a command's model from its annotations by reflection,
     * which for all of them costs more than the rest of a short command's start.
     */
    static final List<Class<?>> SUBCOMMANDS = List.of(QuickstartCommand.class, SandboxCommand.class,
            GatewayCommand.class, StatusCommand.class, MessagesCommand.class, RetryCommand.class,
            ValidateMailboxCommand.class, InboxCommand.class, GetCommand.class, AckCommand.class, SendCommand.class,
            TrackCommand.class, LookupCommand.class, WorkflowsCommand.class, meshgate.dps.cli.DpsCommand.class);
    /**
     * Their names, as their {@code @Command} annotations give them (a test holds the two together): reading the
     * annotations themselves costs more than building the one subcommand.
     */
    static final List<String> SUBCOMMAND_NAMES = List.of("quickstart", "sandbox", "gateway", "status", "messages",
            "retry", "validate-mailbox", "inbox", "get", "ack", "send", "track", "lookup", "workflows", "dps");

    private final CliEnvironment environment;

    // Read by CommandLogging from the parse result, at whichever command they are given.
    @Option(names = CommandLogging.LEVEL_OPTION, paramLabel = "LEVEL|AREA=LEVEL", scope = ScopeType.INHERIT,
            converter = CommandLogging.LevelConverter.class,
            description = {"How much to log: trace, debug, info, warn, error or off; AREA=LEVEL for one area "
                    + "(a logger name prefix, e.g. meshgate.gateway.outbound=debug). Repeatable. Over the settings "
                    + "file's logging: and the default (info for 'gateway run' and the DPS jobs, warn otherwise)."})
    List<CommandLogging.LevelChoice> logLevels;

    @Option(names = CommandLogging.FORMAT_OPTION, paramLabel = "text|json", scope = ScopeType.INHERIT,
            converter = CommandLogging.FormatConverter.class,
            description = "The log's format on standard error: text (default), or json, one object a line with the "
                    + "line's key=value fields as fields, for log platforms.")
    LoggingSettings.Format logFormat;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    MeshgateCommand() {
        this(CliEnvironment.system());
    }

    MeshgateCommand(CliEnvironment environment) {
        this.environment = environment;
    }

    CliEnvironment environment() {
        return environment;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"meshgate " + MeshClient.VERSION,
                "java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
        }
    }
}
