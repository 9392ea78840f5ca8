package meshgate.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import meshgate.gateway.config.ConfigException;
import meshgate.gateway.config.GatewayConfig;
import meshgate.gateway.config.GatewayConfigLoader;
import meshgate.gateway.ledger.Ledger;
import meshgate.gateway.ledger.OpenLedger;
import meshgate.gateway.store.ObjectStore;
import meshgate.gateway.store.ObjectStores;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The options of the commands that read and mend a gateway's records (status, messages, retry): the gateway's own
 * settings file, read as {@code gateway run} reads it, and the ledger and store it names, opened as the gateway opens
 * them (the embedded ledger, PostgreSQL, or a provided one such as DynamoDB), while the gateway runs or not.
 */
final class LedgerAccess {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", order = 100,
            description = "The gateway's YAML settings file (default: $MESHGATE_CONFIG, else ./meshgate.yaml).")
    Path config;

    @Option(names = "--profile", paramLabel = "NAME", order = 101,
            description = "Use this entry of the file's 'profiles:' over its top-level settings "
                    + "(default: $MESHGATE_PROFILE).")
    String profile;

    @Option(names = "--verbose", order = 103, description = "Show the stack trace of a failure.")
    boolean verbose;

    private GatewayConfig loaded;

    /** The settings: the file, the chosen profile, then the environment's overrides. */
    GatewayConfig config() {
        if (loaded == null) {
            Map<String, String> variables = ((MeshgateCommand) command.root().userObject()).environment().variables();
            Path file = Optional.ofNullable(config)
                    .or(() -> Optional.ofNullable(variables.get(MeshSettings.CONFIG_VARIABLE)).filter(s -> !s.isBlank())
                            .map(Path::of))
                    .or(() -> Optional.of(Path.of(MeshSettings.DEFAULT_FILE)).filter(Files::isRegularFile))
                    .orElseThrow(() -> new ConfigException("no settings file: give --config FILE (the gateway's), or "
                            + "set " + MeshSettings.CONFIG_VARIABLE + ", or write ./" + MeshSettings.DEFAULT_FILE));
            // Without --profile, the loader applies $MESHGATE_PROFILE, as for gateway run.
            loaded = GatewayConfigLoader.load(file, variables, Optional.ofNullable(profile).filter(p -> !p.isBlank()));
        }
        return loaded;
    }

    /** Opens the gateway's ledger; the caller closes it. */
    OpenLedger openLedger() {
        return OpenLedger.open(config().ledger(), Clock.systemUTC());
    }

    /** Opens the gateway's store; the caller closes it. */
    ObjectStore openStore() {
        return ObjectStores.open(config().store());
    }

    /** Reads the ledger and closes it. */
    <T> T read(LedgerWork<T> work) throws IOException {
        try (OpenLedger opened = openLedger()) {
            return work.run(opened.ledger());
        }
    }

    @FunctionalInterface
    interface LedgerWork<T> {
        T run(Ledger ledger) throws IOException;
    }
}
