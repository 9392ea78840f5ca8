package meshgate.dps.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "dps",
        mixinStandardHelpOptions = true,
        description = {
            "Vaccination records to the NHS Data Processing Service (DPS) through MESH: one file per programme,",
            "sent to the DPS mailbox and tracked until DPS acknowledges it. Records are sent once MESH accepts",
            "their file, and never twice.",
            "",
            "Settings: docs/dps.md. The jobs (and these commands) run only with mesh_jobs: true.",
            "Exit codes: 0 done, 1 MESH refused or failed a request, 3 settings or local problem (or mesh_jobs off)."
        },
        subcommands = {ExportCommand.class, ListCommand.class, TrackCommand.class, ValidateCommand.class,
            RunCommand.class})
public final class DpsCommand implements Runnable {
    static final int OK = 0;
    static final int MESH_FAILURE = 1;
    static final int LOCAL_FAILURE = 3;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
