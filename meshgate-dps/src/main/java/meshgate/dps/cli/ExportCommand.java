package meshgate.dps.cli;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import meshgate.dps.DpsService;
import meshgate.dps.export.ExportRun;
import meshgate.dps.export.ProgrammeExport;
import meshgate.dps.record.InvalidRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "export",
        mixinStandardHelpOptions = true,
        description = {
            "Sends each programme's unsent vaccination records to DPS now, one file per programme, and prints",
            "one line per programme, e.g.:",
            "  DPS export (7) for programme (HPV) sent: 202 - {\"message_id\":\"20240823...\"}",
            "Invalid records are left out and listed on stderr with the reason; they are not marked sent.",
            "Exit code 1 when a file could not be sent (its records go in the next export)."
        })
final class ExportCommand implements Callable<Integer> {
    @Mixin
    SettingsOption settings;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (DpsService dps = settings.open()) {
            Optional<ExportRun> run = dps.jobs().export();
            if (run.isEmpty()) {
                settings.jobsOff(err, "DPS export");
                return DpsCommand.LOCAL_FAILURE;
            }
            for (ProgrammeExport programme : run.get().programmes()) {
                boolean notSent = programme.outcome() == ProgrammeExport.Outcome.FAILED
                        || programme.outcome() == ProgrammeExport.Outcome.PENDING;
                (notSent ? err : out).println(programme.describe());
            }
            for (InvalidRecord invalid : run.get().invalidRecords()) {
                err.println("Invalid record " + invalid.id() + " (programme " + invalid.programme() + "): "
                        + invalid.reason());
            }
            return run.get().failed().isEmpty() && run.get().pending().isEmpty() ? DpsCommand.OK
                    : DpsCommand.MESH_FAILURE;
        }
    }
}
