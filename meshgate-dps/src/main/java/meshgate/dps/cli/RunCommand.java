package meshgate.dps.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import meshgate.dps.DpsService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the DPS jobs on their schedule until stopped (Ctrl-C or SIGTERM): mailbox validation every",
            "validate_interval, the export nightly at export_time, tracking every tracking_interval.",
            "With mesh_jobs off nothing runs, and the log says so."
        })
final class RunCommand implements Callable<Integer> {
    @Mixin
    SettingsOption settings;

    @Override
    public Integer call() throws InterruptedException {
        DpsService dps = settings.open();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            dps.close();
            stopped.countDown();
        }, "dps-shutdown"));
        dps.serveMetrics();
        dps.jobs().start();
        stopped.await();
        return DpsCommand.OK;
    }
}
