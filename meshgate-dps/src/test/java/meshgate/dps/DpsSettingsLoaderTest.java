package meshgate.dps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import meshgate.dps.config.DpsSettings;
import meshgate.dps.config.DpsSettingsLoader;
import meshgate.gateway.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DpsSettingsLoaderTest {
    @TempDir
    Path dir;

    @Test
    void readsEverySettingWithTheMeshConnectionFromTheGatewayConfiguration() throws Exception {
        try (DpsFixture fixture = new DpsFixture(dir, dir.resolve("tls"), b -> { })) {
            DpsSettings settings = fixture.settings(DpsFixture.dpsYaml(String.join("\n",
                    "source:",
                    "  type: jdbc",
                    "  url: jdbc:h2:mem:app",
                    "  table: app.vaccination_records",
                    "  user: app",
                    "  password: {env: TEST_KEY_PASSPHRASE}",
                    "export_time: \"03:30\"",
                    "time_zone: Europe/London",
                    "validate_interval: 12h",
                    "tracking_interval: 5m"), true));

            assertThat(settings.mailbox().mailboxId()).isEqualTo("X26ABC1");
            assertThat(settings.mesh().baseUrl().toString()).isEqualTo(fixture.sandbox.baseUrl());
            assertThat(settings.export().dpsMailbox()).isEqualTo("X26ABC2");
            assertThat(settings.export().programmes()).isEqualTo(List.of("HPV", "flu"));
            assertThat(settings.export().zone()).isEqualTo(ZoneId.of("Europe/London"));
            assertThat(settings.source().type()).isEqualTo("jdbc");
            assertThat(settings.source().password().orElseThrow().reveal()).isEqualTo(DpsFixture.PASSPHRASE);
            assertThat(settings.ledgerPath()).isEqualTo(dir.resolve("ledger/dps"));
            assertThat(settings.meshJobs()).isTrue();
            assertThat(settings.exportTime()).isEqualTo(LocalTime.of(3, 30));
            assertThat(settings.validateInterval()).isEqualTo(Duration.ofHours(12));
            assertThat(settings.trackingInterval()).isEqualTo(Duration.ofMinutes(5));
        }
    }

    @Test
    void meshJobsIsOffUnlessSwitchedOnAndTheEnvironmentCanSwitchIt() throws Exception {
        try (DpsFixture fixture = new DpsFixture(dir, dir.resolve("tls"), b -> { })) {
            Path file = fixture.writeSettings(DpsFixture.dpsYaml("source: {type: csv, path: records.csv}", false)
                    .replace("mesh_jobs: false\n", ""));

            assertThat(DpsSettingsLoader.load(file, Map.of()).meshJobs()).isFalse();
            assertThat(DpsSettingsLoader.load(file, Map.of(DpsSettingsLoader.MESH_JOBS_VARIABLE, "true")).meshJobs())
                    .isTrue();
        }
    }

    @Test
    void namesTheSettingThatIsWrong() throws Exception {
        try (DpsFixture fixture = new DpsFixture(dir, dir.resolve("tls"), b -> { })) {
            Path typo = fixture.writeSettings(DpsFixture.dpsYaml("source: {type: csv, path: a.csv}", true)
                    + "tracking_intervall: 5m\n");
            assertThatThrownBy(() -> DpsSettingsLoader.load(typo, Map.of())).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("tracking_intervall: unknown setting");

            Path badSource = fixture.writeSettings(DpsFixture.dpsYaml("source: {type: xml, path: a.xml}", true));
            assertThatThrownBy(() -> DpsSettingsLoader.load(badSource, Map.of()))
                    .hasMessageContaining("source.type: must be csv, json or jdbc");
        }
    }
}
