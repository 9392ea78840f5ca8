package meshgate.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import meshgate.client.MeshClient;
import meshgate.client.RetryPolicy;
import meshgate.gateway.config.ConfigException;
import meshgate.gateway.config.GatewayConfig;
import meshgate.gateway.config.GatewayConfigLoader;
import meshgate.gateway.config.MailboxConfig;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The connection options every MESH command shares, and the one place a {@link MeshClient} is built from the
 * settings file: its base URL, credentials, TLS, chunk and crumb sizes.
 */
final class MeshSettings {
    static final String CONFIG_VARIABLE = "MESHGATE_CONFIG";
    static final String DEFAULT_FILE = "meshgate.yaml";

    /**
     * A person is waiting: a few quick retries ride out a blip, and an unreachable server is reported in seconds
     * rather than after the gateway's three minutes.
     */
    static final RetryPolicy RETRIES = new RetryPolicy(4, Duration.ofMillis(500), Duration.ofSeconds(5),
            Duration.ofMinutes(10));

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", order = 100,
            description = "The YAML settings file (default: $MESHGATE_CONFIG, else ./meshgate.yaml). "
                    + "Every setting: docs/configuration.md. MESHGATE_* variables override it.")
    Path config;

    @Option(names = "--profile", paramLabel = "NAME", order = 101,
            description = "Use this entry of the file's 'profiles:' over its top-level settings, "
                    + "e.g. local, integration, production (default: $MESHGATE_PROFILE).")
    String profile;

    @Option(names = "--mailbox", paramLabel = "ID", order = 102,
            description = "Act as this one of the configured mailboxes (default: the first).")
    String mailbox;

    @Option(names = "--verbose", order = 103, description = "Show the stack trace of a failure.")
    boolean verbose;

    private GatewayConfig loaded;

    CliEnvironment environment() {
        return ((MeshgateCommand) command.root().userObject()).environment();
    }

    /** The settings: the file, the chosen profile, then the environment's overrides. */
    GatewayConfig config() {
        if (loaded == null) {
            loaded = load();
        }
        return loaded;
    }

    private GatewayConfig load() {
        Map<String, String> variables = environment().variables();
        Optional<String> chosenProfile = Optional.ofNullable(profile);
        Optional<Path> file = Optional.ofNullable(config)
                .or(() -> Optional.ofNullable(variables.get(CONFIG_VARIABLE)).filter(s -> !s.isBlank()).map(Path::of))
                .or(() -> Optional.of(Path.of(DEFAULT_FILE)).filter(Files::isRegularFile));
        if (file.isPresent()) {
            return GatewayConfigLoader.load(file.get(), variables, chosenProfile);
        }
        try {
            return GatewayConfigLoader.fromYaml("", Path.of(""), variables, chosenProfile);
        } catch (ConfigException e) {
            throw new ConfigException("no settings file (give --config FILE, set " + CONFIG_VARIABLE
                    + ", or write ./" + DEFAULT_FILE + ") and the environment alone is not enough: " + e.getMessage(),
                    e);
        }
    }

    /** The mailbox to act as: --mailbox, or the first configured. */
    MailboxConfig mailbox() {
        GatewayConfig settings = config();
        if (mailbox == null) {
            return settings.mailboxes().get(0);
        }
        return settings.mailbox(mailbox).orElseThrow(() -> new ConfigException("--mailbox " + mailbox
                + ": not configured; the settings have " + settings.mailboxes().stream()
                        .map(MailboxConfig::mailboxId).collect(Collectors.joining(", "))));
    }

    /** A client for the chosen mailbox; the caller closes it. */
    MeshClient client() {
        GatewayConfig settings = config();
        MailboxConfig chosen = mailbox();
        return MeshClient.builder()
                .baseUrl(settings.baseUrl())
                .credentials(chosen.mailboxId(), chosen.password().reveal(), settings.sharedKey().reveal())
                .tls(settings.tlsFor(chosen).toMeshTls())
                .chunkSize(settings.chunkSize())
                .crumbSize(settings.crumbSize())
                .retryPolicy(RETRIES)
                .build();
    }
}
