package meshgate.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import meshgate.cli.logging.LogbackSetup;
import meshgate.dps.config.DpsSettingsLoader;
import meshgate.gateway.config.ConfigException;
import meshgate.gateway.config.GatewayConfigLoader;
import meshgate.gateway.config.LoggingSettings;
import meshgate.gateway.config.LoggingSettings.Level;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * Sets up the log for the command about to run, before it reads anything. The gateway and the DPS jobs log their own
 * lines at INFO, since an operator watches them, and the libraries' warnings (their INFO lines say little to an
 * operator); a person's commands (send, inbox, ...) only warn, their output being what matters. Over that default:
 * the {@code logging:} of the settings file the command runs with, then {@code --log-level} and {@code --log-format};
 * a level set there is for everything, libraries included.
 */
final class CommandLogging {
    static final String LEVEL_OPTION = "--log-level";
    static final String FORMAT_OPTION = "--log-format";
    /** Commands that run unattended, by their full name. */
    private static final Set<String> SERVICES = Set.of("meshgate gateway run", "meshgate dps run",
            "meshgate dps export");
    private static final LoggingSettings OWN_LINES_AT_INFO = new LoggingSettings(Optional.empty(),
            Map.of("meshgate", Level.INFO), Optional.empty());

    private CommandLogging() {
    }

    static void setUp(ParseResult parseResult, Map<String, String> environment) {
        List<CommandLine> commands = parseResult.asCommandLineList();
        CommandSpec command = commands.get(commands.size() - 1).getCommandSpec();
        LoggingSettings chosen = settingsFile(command, environment).overriddenBy(commandLine(parseResult));
        boolean service = SERVICES.contains(command.qualifiedName());
        LoggingSettings byDefault = service && chosen.level().isEmpty() ? OWN_LINES_AT_INFO : LoggingSettings.none();
        LogbackSetup.apply(byDefault.overriddenBy(chosen), Level.WARN, LoggingSettings.Format.TEXT);
    }

    /** {@code --log-level LEVEL}, {@code --log-level AREA=LEVEL} (any number) and {@code --log-format}. */
    static LoggingSettings commandLine(ParseResult parseResult) {
        Optional<Level> level = Optional.empty();
        Map<String, Level> levels = new LinkedHashMap<>();
        Optional<LoggingSettings.Format> format = Optional.empty();
        for (ParseResult part = parseResult; part != null; part = part.subcommand()) {
            for (LevelChoice choice : part.matchedOptionValue(LEVEL_OPTION, List.<LevelChoice>of())) {
                if (choice.area().isPresent()) {
                    levels.put(choice.area().get(), choice.level());
                } else {
                    level = Optional.of(choice.level());
                }
            }
            if (part.hasMatchedOption(FORMAT_OPTION)) {
                format = Optional.of(part.matchedOptionValue(FORMAT_OPTION, LoggingSettings.Format.TEXT));
            }
        }
        return new LoggingSettings(level, levels, format);
    }

    /**
     * The {@code logging:} of the gateway settings file the command is about to read (for the DPS commands, the one
     * their file names in {@code mesh_config}). A file that cannot be read gives none: the command itself then
     * reads it, and says what is wrong, in the default log.
     */
    private static LoggingSettings settingsFile(CommandSpec command, Map<String, String> environment) {
        try {
            return switch (command.qualifiedName()) {
                case "meshgate gateway run" -> value(command, "--config", Path.class)
                        .map(file -> GatewayConfigLoader.loadLogging(file, environment,
                                value(command, "--profile", String.class).filter(p -> !p.isBlank())))
                        .orElseGet(LoggingSettings::none);
                case "meshgate dps run", "meshgate dps export" -> value(command, "--config", Path.class)
                        .map(file -> GatewayConfigLoader.loadLogging(DpsSettingsLoader.meshConfigFile(file),
                                environment, Optional.empty()))
                        .orElseGet(LoggingSettings::none);
                default -> LoggingSettings.none();
            };
        } catch (ConfigException e) {
            return LoggingSettings.none();
        }
    }

    private static <T> Optional<T> value(CommandSpec command, String option, Class<T> type) {
        OptionSpec spec = command.findOption(option);
        return spec == null ? Optional.empty() : Optional.ofNullable(spec.getValue()).filter(type::isInstance)
                .map(type::cast);
    }

    static final class LevelConverter implements CommandLine.ITypeConverter<LevelChoice> {
        @Override
        public LevelChoice convert(String text) {
            return LevelChoice.parse(text);
        }
    }

    static final class FormatConverter implements CommandLine.ITypeConverter<LoggingSettings.Format> {
        @Override
        public LoggingSettings.Format convert(String text) {
            try {
                return LoggingSettings.Format.parse(text);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("'" + text + "': " + e.getMessage());
            }
        }
    }

    /** One {@code --log-level}: a level for everything, or {@code AREA=LEVEL} for one logger name prefix. */
    record LevelChoice(Optional<String> area, Level level) {
        static LevelChoice parse(String text) {
            int equals = text.indexOf('=');
            try {
                if (equals < 0) {
                    return new LevelChoice(Optional.empty(), Level.parse(text));
                }
                String area = text.substring(0, equals).trim();
                if (area.isEmpty()) {
                    throw new IllegalArgumentException("AREA=LEVEL needs an area, such as meshgate.gateway.outbound");
                }
                return new LevelChoice(Optional.of(area), Level.parse(text.substring(equals + 1)));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("'" + text + "': " + e.getMessage());
            }
        }
    }
}
