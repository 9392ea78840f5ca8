package meshgate.dps.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import meshgate.dps.DpsService;
import meshgate.dps.export.ExportStatus;
import meshgate.dps.tracking.StatusChange;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "track",
        mixinStandardHelpOptions = true,
        description = {
            "Asks MESH about every accepted DPS export now and records what it says: acknowledged once DPS",
            "collected the file, undeliverable or expired (with MESH's reason) when MESH gave up on it.",
            "Prints one line per change."
        })
final class TrackCommand implements Callable<Integer> {
    @Mixin
    SettingsOption settings;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (DpsService dps = settings.open()) {
            Optional<List<StatusChange>> changes = dps.jobs().track();
            if (changes.isEmpty()) {
                settings.jobsOff(spec.commandLine().getErr(), "DPS tracking");
                return DpsCommand.LOCAL_FAILURE;
            }
            changes.get().forEach(change -> out.println(change.describe()));
            int waiting = dps.ledger().withStatus(ExportStatus.ACCEPTED).size();
            out.println(changes.get().size() + " changed; " + waiting + " still waiting for DPS to collect");
            return DpsCommand.OK;
        }
    }
}
