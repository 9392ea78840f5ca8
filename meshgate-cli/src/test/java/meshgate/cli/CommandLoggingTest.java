package meshgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import meshgate.cli.logging.LogbackSetup;
import meshgate.gateway.config.LoggingSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/** Which level and areas the log is set up with for a command, from its default, its settings file and options. */
class CommandLoggingTest {
    private static final Logger OUTBOUND = LoggerFactory.getLogger("meshgate.gateway.outbound.OutboundProcessor");
    private static final Logger INBOUND = LoggerFactory.getLogger("meshgate.gateway.inbound.InboundReceiver");
    private static final Logger LIBRARY = LoggerFactory.getLogger("org.eclipse.jetty.server.Server");

    @TempDir
    Path dir;

    @AfterEach
    void quietAgain() {
        LogbackSetup.apply(LoggingSettings.none(), LoggingSettings.Level.WARN, LoggingSettings.Format.TEXT);
    }

    @Test
    void personCommandsOnlyWarnUnlessAskedAndTheGatewayLogsAtInfo() throws Exception {
        setUp("inbox");
        assertThat(INBOUND.isInfoEnabled()).isFalse();
        assertThat(INBOUND.isWarnEnabled()).isTrue();

        setUp("--log-level", "debug", "inbox");
        assertThat(INBOUND.isDebugEnabled()).isTrue();

        setUp("gateway", "run", "--config", settings("").toString());
        assertThat(INBOUND.isInfoEnabled()).isTrue();
        assertThat(INBOUND.isDebugEnabled()).isFalse();
        assertThat(LIBRARY.isInfoEnabled()).isFalse();
        assertThat(LIBRARY.isWarnEnabled()).isTrue();

        setUp("--log-level", "info", "gateway", "run", "--config", settings("").toString());
        assertThat(LIBRARY.isInfoEnabled()).isTrue();

        setUp("dps", "run", "--config", dpsSettings(settings("")).toString());
        assertThat(INBOUND.isInfoEnabled()).isTrue();
    }

    @Test
    void theSettingsFileSetsLevelsByAreaAndTheCommandLineGoesOverIt() throws Exception {
        Path settings = settings("logging:\n  level: warn\n  levels:\n    meshgate.gateway.outbound: debug\n");

        setUp("gateway", "run", "--config", settings.toString());
        assertThat(OUTBOUND.isDebugEnabled()).isTrue();
        assertThat(INBOUND.isInfoEnabled()).isFalse();
        assertThat(LIBRARY.isInfoEnabled()).isFalse();

        setUp("--log-level", "info", "--log-level", "meshgate.gateway.outbound=error", "gateway", "run",
                "--config", settings.toString());
        assertThat(INBOUND.isInfoEnabled()).isTrue();
        assertThat(OUTBOUND.isWarnEnabled()).isFalse();

        setUp("gateway", "run", "--log-level", "meshgate.gateway.inbound=trace", "--config", settings.toString());
        assertThat(INBOUND.isTraceEnabled()).isTrue();

        setUp("dps", "export", "--config", dpsSettings(settings).toString());
        assertThat(OUTBOUND.isDebugEnabled()).isTrue();
    }

    @Test
    void aWrongLevelOrFormatIsAUsageError() {
        CliRun level = CliRun.run(Map.of(), "--log-level", "loud", "inbox");
        CliRun format = CliRun.run(Map.of(), "--log-format", "xml", "inbox");
        CliRun setting = CliRun.run(Map.of(), "gateway", "run", "--config", write("bad.yaml",
                "shared_key: k\nmailbox: X26ABC1\npassword: p\nlogging: {level: loud}\n").toString());

        assertThat(level.exitCode()).as(level.toString()).isEqualTo(2);
        assertThat(level.err()).contains("'loud': must be one of trace, debug, info, warn, error, off");
        assertThat(format.exitCode()).as(format.toString()).isEqualTo(2);
        assertThat(format.err()).contains("'xml': must be text or json");
        assertThat(setting.exitCode()).as(setting.toString()).isNotZero();
        assertThat(setting.err()).contains("logging.level: must be one of");
    }

    private void setUp(String... args) {
        CommandLine commandLine = Main.commandLine(new CliEnvironment(Map.of(), new ByteArrayInputStream(new byte[0]),
                new ByteArrayOutputStream(), false));
        CommandLogging.setUp(commandLine.parseArgs(args), Map.of());
    }

    private Path settings(String logging) {
        return write("meshgate.yaml", "shared_key: TestKey\n" + logging);
    }

    private Path dpsSettings(Path meshConfig) {
        return write("dps.yaml", "mesh_config: " + meshConfig.getFileName() + "\n");
    }

    private Path write(String name, String text) {
        try {
            return Files.writeString(dir.resolve(name), text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
