package meshgate.dps.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import meshgate.dps.DpsService;
import meshgate.dps.config.DpsSettings;
import meshgate.dps.config.DpsSettingsLoader;
import picocli.CommandLine.Option;

/** The {@code --config} option every DPS command takes, and opening the service it names. */
final class SettingsOption {
    @Option(names = {"-c", "--config"}, required = true, defaultValue = "${env:MESHGATE_DPS_CONFIG}",
            description = "The DPS settings file, YAML (default: $MESHGATE_DPS_CONFIG). See docs/dps.md.")
    Path config;

    DpsSettings settings() {
        return DpsSettingsLoader.load(config, System.getenv());
    }

    DpsService open() {
        return DpsService.open(settings());
    }

    /** Says why nothing ran when the jobs are switched off. */
    void jobsOff(PrintWriter err, String what) {
        err.println("meshgate: " + what + " not run: mesh_jobs is off in " + config + " (set mesh_jobs: true, or "
                + DpsSettingsLoader.MESH_JOBS_VARIABLE + "=true)");
    }
}
