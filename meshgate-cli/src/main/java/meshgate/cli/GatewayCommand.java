package meshgate.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import meshgate.gateway.GatewayMain;
import meshgate.gateway.config.GatewayConfigLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "gateway",
        mixinStandardHelpOptions = true,
        description = "The MESH gateway: files under outbound/ go to MESH, messages in your mailboxes come to inbound/.",
        subcommands = GatewayCommand.Run.class)
final class GatewayCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "run",
            mixinStandardHelpOptions = true,
            description = {
                "Runs the gateway until stopped (Ctrl-C or SIGTERM finish work in flight; after a crash the next",
                "start resumes every send and download from the ledger).",
                "Settings: docs/configuration.md."
            })
    static final class Run implements Callable<Integer> {
        @Option(names = {"-c", "--config"}, required = true, defaultValue = "${env:MESHGATE_CONFIG}",
                description = "The YAML settings file (default: $MESHGATE_CONFIG).")
        Path config;

        @Option(names = "--profile", paramLabel = "NAME", defaultValue = "${env:MESHGATE_PROFILE}",
                description = "Use this entry of the file's 'profiles:' over its top-level settings "
                        + "(default: $MESHGATE_PROFILE).")
        String profile;

        @Option(names = "--verbose", description = "Show stack traces of failures.")
        boolean verbose;

        @Override
        public Integer call() throws Exception {
            GatewayMain.run(GatewayConfigLoader.load(config, System.getenv(),
                    java.util.Optional.ofNullable(profile).filter(p -> !p.isBlank())));
            return 0;
        }
    }
}
