package meshgate.dps;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.Map;
import meshgate.dps.config.DpsSettings;
import meshgate.dps.config.DpsSettingsLoader;
import meshgate.dps.jobs.DpsJobs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DpsJobsTest {
    @TempDir
    Path dir;

    @Test
    void withMeshJobsOffNothingIsSentAndTheLogSaysWhy() throws Exception {
        try (DpsFixture fixture = new DpsFixture(dir, dir.resolve("tls"), b -> { })) {
            DpsSettings settings = fixture.settings(DpsFixture.dpsYaml(
                    "source: {type: json, path: " + DpsFixture.resource("records.json") + "}", false));
            assertThat(settings.meshJobs()).isFalse();
            String log;
            PrintStream err = System.err;
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            try (DpsService dps = DpsService.open(settings, DpsFixture.CLOCK)) {
                dps.jobs().start();
                assertThat(dps.jobs().export()).isEmpty();
                assertThat(dps.jobs().track()).isEmpty();
                assertThat(dps.jobs().validateMailbox()).isEmpty();
                assertThat(dps.ledger().list()).isEmpty();
            } finally {
                System.setErr(err);
                log = captured.toString(StandardCharsets.UTF_8);
            }

            assertThat(fixture.dps().inbox()).isEmpty();
            assertThat(log).contains("dps_jobs_off jobs=validate_mailbox,export,tracking reason=\"mesh_jobs is off\"")
                    .contains("dps_job_skipped job=export reason=\"mesh_jobs is off\"")
                    .contains("dps_job_skipped job=tracking reason=\"mesh_jobs is off\"")
                    .contains("dps_job_skipped job=validate_mailbox reason=\"mesh_jobs is off\"");
        }
    }

    @Test
    void withMeshJobsOnEachJobRunsWhenAsked() throws Exception {
        try (DpsFixture fixture = new DpsFixture(dir, dir.resolve("tls"), b -> { })) {
            DpsSettings settings = fixture.settings(DpsFixture.dpsYaml(
                    "source: {type: json, path: " + DpsFixture.resource("records.json") + "}", true));
            try (DpsService dps = DpsService.open(settings)) {
                assertThat(dps.jobs().validateMailbox()).contains(true);
                assertThat(dps.jobs().export().orElseThrow().sent()).hasSize(2);
            }
            assertThat(fixture.dps().inbox()).hasSize(2);
        }
    }

    @Test
    void failedMailboxValidationsAreCountedAndServedToPrometheus() throws Exception {
        try (DpsFixture fixture = new DpsFixture(dir, dir.resolve("tls"), b -> { })) {
            Path file = fixture.writeSettings(DpsFixture.dpsYaml(
                    "source: {type: json, path: " + DpsFixture.resource("records.json") + "}", true),
                    "metrics: {port: 0}");
            Map<String, String> environment = new HashMap<>(DpsFixture.environment());
            environment.put("MESHGATE_MAILBOX_" + DpsFixture.SERVICE + "_PASSWORD", "not-the-password");
            try (DpsService dps = DpsService.open(DpsSettingsLoader.load(file, environment))) {
                InetSocketAddress address = dps.serveMetrics().orElseThrow();
                assertThat(dps.jobs().validateMailbox()).contains(false);
                assertThat(dps.jobs().validateMailbox()).contains(false);

                HttpResponse<String> scraped = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + address.getPort() + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(scraped.statusCode()).isEqualTo(200);
                assertThat(scraped.body()).contains("meshgate_mailbox_validations_total{mailbox=\""
                        + DpsFixture.SERVICE + "\",outcome=\"failure\"} 2.0")
                        .doesNotContain("outcome=\"success\"");
            }
        }
    }

    @Test
    void theNightlyExportRunsNextAtItsTimeOfDayInItsZone() {
        ZoneId london = ZoneId.of("Europe/London");
        LocalTime two = LocalTime.of(2, 0);

        assertThat(DpsJobs.nextRun(ZonedDateTime.of(2024, 8, 23, 1, 0, 0, 0, london), two))
                .isEqualTo(ZonedDateTime.of(2024, 8, 23, 2, 0, 0, 0, london));
        assertThat(DpsJobs.nextRun(ZonedDateTime.of(2024, 8, 23, 2, 0, 0, 0, london), two))
                .isEqualTo(ZonedDateTime.of(2024, 8, 24, 2, 0, 0, 0, london));
        assertThat(DpsJobs.nextRun(ZonedDateTime.of(2024, 10, 26, 23, 0, 0, 0, london), two).toInstant())
                .isEqualTo(ZonedDateTime.of(2024, 10, 27, 2, 0, 0, 0, london).toInstant());
    }
}
