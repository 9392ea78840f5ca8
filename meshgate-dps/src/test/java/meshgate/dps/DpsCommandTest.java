package meshgate.dps;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import meshgate.dps.cli.DpsCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DpsCommandTest {
    @TempDir
    Path dir;

    record Result(int exitCode, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = new CommandLine(new DpsCommand());
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        int exitCode = command.execute(args);
        return new Result(exitCode, out.toString(), err.toString());
    }

    @Test
    void exportListAndTrackFromTheCommandLine() throws Exception {
        try (DpsFixture fixture = new DpsFixture(dir, dir.resolve("tls"), b -> { })) {
            String config = fixture.writeSettings(DpsFixture.dpsYaml(
                    "source: {type: csv, path: " + DpsFixture.resource("records.csv") + "}", true)).toString();

            Result export = run("export", "--config", config);

            assertThat(export.exitCode()).as(export.err()).isZero();
            assertThat(export.out()).containsPattern(
                    "DPS export \\(1\\) for programme \\(HPV\\) sent: 202 - \\{\"message_id\":\"[^\"]+\"\\}")
                    .containsPattern("DPS export \\(2\\) for programme \\(flu\\) sent: 202 - ");
            assertThat(run("export", "-c", config).out())
                    .contains("No vaccination records to export for programme (HPV)");

            Result list = run("list", "-c", config);
            assertThat(list.out()).contains("PROGRAMME", "accepted", "Vaccinations-HPV-", "Vaccinations-flu-");

            for (String id : fixture.dps().inbox()) {
                fixture.dps().acknowledge(id);
            }
            Result track = run("track", "-c", config);
            assertThat(track.out()).contains("DPS export (1) for programme (HPV): accepted -> acknowledged",
                    "DPS export (2) for programme (flu): accepted -> acknowledged", "2 changed; 0 still waiting");
            assertThat(run("validate", "-c", config).out()).contains("Mailbox X26ABC1 validated");
        }
    }

    @Test
    void withMeshJobsOffTheCommandSaysWhyAndSendsNothing() throws Exception {
        try (DpsFixture fixture = new DpsFixture(dir, dir.resolve("tls"), b -> { })) {
            String config = fixture.writeSettings(DpsFixture.dpsYaml(
                    "source: {type: csv, path: " + DpsFixture.resource("records.csv") + "}", false)).toString();

            Result export = run("export", "-c", config);

            assertThat(export.exitCode()).isEqualTo(3);
            assertThat(export.err()).contains("DPS export not run: mesh_jobs is off");
            assertThat(fixture.dps().inbox()).isEmpty();
        }
    }
}
