package meshgate.cli.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Map;
import meshgate.gateway.config.LoggingSettings;

/**
 * Logback's first configuration, found through {@code META-INF/services} (which the runnable jar's shading merges):
 * warnings and errors only, as text on standard error, until the meshgate command knows which command runs and
 * sets the log up for it. No logback.xml is looked for.
 */
public final class QuietByDefault extends ContextAwareBase implements Configurator {
    @Override
    public ExecutionStatus configure(LoggerContext context) {
        LogbackSetup.apply(context, LoggingSettings.Level.WARN, Map.of(), LoggingSettings.Format.TEXT);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
