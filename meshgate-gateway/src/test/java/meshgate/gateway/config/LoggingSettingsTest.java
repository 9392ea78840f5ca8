package meshgate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import meshgate.gateway.config.LoggingSettings.Format;
import meshgate.gateway.config.LoggingSettings.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The settings file's {@code logging:}: a level, levels by area, a format; checked like every other setting. */
class LoggingSettingsTest {
    private static final String SETTINGS = """
            shared_key: TestKey
            mailboxes:
              - mailbox_id: X26ABC1
                password: password
            logging:
              level: info
              levels:
                meshgate.gateway.outbound: debug
                com.zaxxer.hikari: off
              format: json
            profiles:
              quiet:
                logging:
                  level: warn
            """;

    private static final String MINIMAL = "shared_key: k\nmailbox: X26ABC1\npassword: p\n";

    @TempDir
    Path dir;

    @Test
    void readsTheLevelTheLevelsByAreaAndTheFormat() {
        LoggingSettings logging = GatewayConfigLoader.fromYaml(SETTINGS, dir, Map.of()).logging();

        assertThat(logging.level()).contains(Level.INFO);
        assertThat(logging.levels()).containsExactlyInAnyOrderEntriesOf(
                Map.of("meshgate.gateway.outbound", Level.DEBUG, "com.zaxxer.hikari", Level.OFF));
        assertThat(logging.format()).contains(Format.JSON);
        assertThat(GatewayConfigLoader.fromYaml(MINIMAL, dir, Map.of()).logging())
                .isEqualTo(LoggingSettings.none());
    }

    @Test
    void theLoggingAloneIsReadWithTheProfileAndTheEnvironmentApplied() throws Exception {
        Path file = Files.writeString(dir.resolve("meshgate.yaml"), SETTINGS);

        LoggingSettings plain = GatewayConfigLoader.loadLogging(file, Map.of(), Optional.empty());
        LoggingSettings profiled = GatewayConfigLoader.loadLogging(file, Map.of(), Optional.of("quiet"));
        LoggingSettings fromEnvironment = GatewayConfigLoader.loadLogging(file,
                Map.of("MESHGATE_LOGGING_LEVEL", "error", "MESHGATE_LOGGING_FORMAT", "text"), Optional.empty());

        assertThat(plain).isEqualTo(GatewayConfigLoader.load(file, Map.of()).logging());
        assertThat(profiled.level()).contains(Level.WARN);
        assertThat(profiled.levels()).containsKey("meshgate.gateway.outbound");
        assertThat(fromEnvironment.level()).contains(Level.ERROR);
        assertThat(fromEnvironment.format()).contains(Format.TEXT);
    }

    @Test
    void aWrongValueIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> GatewayConfigLoader.fromYaml(MINIMAL + "logging: {level: loud}\n", dir, Map.of()))
                .hasMessageContaining("logging.level: must be one of trace, debug, info, warn, error, off; got 'loud'");
        assertThatThrownBy(() -> GatewayConfigLoader.fromYaml(
                MINIMAL + "logging: {levels: {meshgate.gateway: verbose}}\n", dir, Map.of()))
                .hasMessageContaining("logging.levels.meshgate.gateway: must be one of");
        assertThatThrownBy(() -> GatewayConfigLoader.fromYaml(MINIMAL + "logging: {format: xml}\n", dir, Map.of()))
                .hasMessageContaining("logging.format: must be text or json; got 'xml'");
        assertThatThrownBy(() -> GatewayConfigLoader.fromYaml(MINIMAL + "logging: {colour: true}\n", dir, Map.of()))
                .hasMessageContaining("logging.colour: unknown setting");
    }

    @Test
    void commandLineSettingsGoOverTheFilesLevelByLevel() {
        LoggingSettings file = new LoggingSettings(Optional.of(Level.INFO),
                Map.of("meshgate.gateway.outbound", Level.DEBUG, "meshgate.gateway.inbound", Level.WARN),
                Optional.of(Format.JSON));
        LoggingSettings commandLine = new LoggingSettings(Optional.empty(),
                Map.of("meshgate.gateway.inbound", Level.TRACE), Optional.of(Format.TEXT));

        LoggingSettings chosen = file.overriddenBy(commandLine);

        assertThat(chosen.level()).contains(Level.INFO);
        assertThat(chosen.levels()).containsExactlyInAnyOrderEntriesOf(
                Map.of("meshgate.gateway.outbound", Level.DEBUG, "meshgate.gateway.inbound", Level.TRACE));
        assertThat(chosen.format()).contains(Format.TEXT);
    }
}
