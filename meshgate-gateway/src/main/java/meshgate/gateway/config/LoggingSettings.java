package meshgate.gateway.config;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How much a process logs and in which format: the settings file's {@code logging:} (a level, levels by area, that
 * is by logger name prefix such as {@code meshgate.gateway.outbound}, and {@code text} or {@code json}), or the same
 * given on the command line. What is not set here is left to whoever runs the process: the meshgate command logs at
 * INFO for the gateway and the DPS jobs, at WARN for a person's commands.
 */
public record LoggingSettings(Optional<Level> level, Map<String, Level> levels, Optional<Format> format) {
    public LoggingSettings {
        Objects.requireNonNull(level, "level");
        levels = Map.copyOf(levels);
        Objects.requireNonNull(format, "format");
    }

    public static LoggingSettings none() {
        return new LoggingSettings(Optional.empty(), Map.of(), Optional.empty());
    }

    /** These settings with {@code other}'s over them: its level and format when set, its levels by area added. */
    public LoggingSettings overriddenBy(LoggingSettings other) {
        Map<String, Level> merged = new LinkedHashMap<>(levels);
        merged.putAll(other.levels);
        return new LoggingSettings(other.level.or(() -> level), merged, other.format.or(() -> format));
    }

    /** The levels of SLF4J, and OFF to silence an area. */
    public enum Level {
        TRACE, DEBUG, INFO, WARN, ERROR, OFF;

        public static Level parse(String text) {
            if (text.trim().equalsIgnoreCase("false")) {
                return OFF; // YAML 1.1 reads a bare off as false
            }
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("must be one of trace, debug, info, warn, error, off; got '"
                        + text + "'");
            }
        }
    }

    /** One line per event: {@code text} for people, {@code json} (one object a line) for log platforms. */
    public enum Format {
        TEXT, JSON;

        public static Format parse(String text) {
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("must be text or json; got '" + text + "'");
            }
        }
    }
}
