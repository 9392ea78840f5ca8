package meshgate.dps.cli;

import java.util.Optional;
import java.util.concurrent.Callable;
import meshgate.dps.DpsService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "validate",
        mixinStandardHelpOptions = true,
        description = "Validates the sending mailbox with MESH's handshake now (the job does it every 24 h).")
final class ValidateCommand implements Callable<Integer> {
    @Mixin
    SettingsOption settings;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try (DpsService dps = settings.open()) {
            Optional<Boolean> valid = dps.jobs().validateMailbox();
            if (valid.isEmpty()) {
                settings.jobsOff(spec.commandLine().getErr(), "Mailbox validation");
                return DpsCommand.LOCAL_FAILURE;
            }
            if (!valid.get()) {
                spec.commandLine().getErr().println("meshgate: MESH did not validate mailbox " + dps.mesh().mailbox()
                        + " (see the log for why)");
                return DpsCommand.MESH_FAILURE;
            }
            spec.commandLine().getOut().println("Mailbox " + dps.mesh().mailbox() + " validated");
            return DpsCommand.OK;
        }
    }
}
