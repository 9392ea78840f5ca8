package meshgate.cli.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.util.Map;
import meshgate.gateway.config.LoggingSettings;
import meshgate.gateway.config.LoggingSettings.Format;
import org.slf4j.LoggerFactory;

/**
 * Sets up Logback in code (no logback.xml to ship or to shade): one console appender on standard error, as text or
 * JSON lines, the root at one level and chosen areas (logger name prefixes) at theirs. Applying again replaces
 * everything set before, so the last choice holds.
 */
public final class LogbackSetup {
    /** Time with its offset, level, thread, the class's short name, the event line. */
    static final String TEXT_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{0} - %msg%n";

    private LogbackSetup() {
    }

    /**
     * Applies {@code settings} to the process's Logback; {@code level} and {@code format} when the settings leave
     * them unset. Does nothing when SLF4J is bound to another backend (an application embedding MeshGate).
     */
    public static void apply(LoggingSettings settings, LoggingSettings.Level level, Format format) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            apply(context, settings.level().orElse(level), settings.levels(), settings.format().orElse(format));
        }
    }

    static void apply(LoggerContext context, LoggingSettings.Level level, Map<String, LoggingSettings.Level> levels,
            Format format) {
        context.reset();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("console");
        console.setTarget("System.err");
        console.setEncoder(encoder(context, format));
        console.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(logback(level));
        root.addAppender(console);
        levels.forEach((area, areaLevel) -> context.getLogger(area).setLevel(logback(areaLevel)));
    }

    private static Encoder<ILoggingEvent> encoder(LoggerContext context, Format format) {
        if (format == Format.JSON) {
            JsonLineEncoder json = new JsonLineEncoder();
            json.setContext(context);
            json.start();
            return json;
        }
        PatternLayoutEncoder text = new PatternLayoutEncoder();
        text.setContext(context);
        text.setPattern(TEXT_PATTERN);
        text.start();
        return text;
    }

    private static Level logback(LoggingSettings.Level level) {
        return Level.toLevel(level.name());
    }
}
