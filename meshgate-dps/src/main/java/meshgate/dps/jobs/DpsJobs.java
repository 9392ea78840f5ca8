package meshgate.dps.jobs;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import meshgate.dps.export.ExportJob;
import meshgate.dps.export.ExportRun;
import meshgate.dps.tracking.StatusChange;
import meshgate.dps.tracking.TrackJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DPS jobs and their schedule: mailbox validation every {@code validateInterval} (first at start), the export
 * nightly at {@code exportTime}, tracking every {@code trackingInterval}. One thread runs them, one at a time.
 *
 * <p>Nothing runs unless {@code meshJobs} is on: with it off, {@link #start} schedules nothing and each job, run on
 * its own, returns empty, and both say so in the log.
 */
public final class DpsJobs implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DpsJobs.class);
    static final String OFF_REASON = "mesh_jobs is off";

    private final boolean meshJobs;
    private final ExportJob export;
    private final TrackJob tracking;
    private final MailboxValidationJob validation;
    private final Schedule schedule;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;

    public DpsJobs(boolean meshJobs, ExportJob export, TrackJob tracking, MailboxValidationJob validation,
            Schedule schedule, Clock clock) {
        this.meshJobs = meshJobs;
        this.export = export;
        this.tracking = tracking;
        this.validation = validation;
        this.schedule = schedule;
        this.clock = clock;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "dps-jobs");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** When the jobs run; {@code exportTime} is in {@code zone}. */
    public record Schedule(Duration validateInterval, LocalTime exportTime, ZoneId zone, Duration trackingInterval) {
    }

    public boolean enabled() {
        return meshJobs;
    }

    /** Schedules the jobs; with {@code mesh_jobs} off, logs that they are off instead. */
    public void start() {
        if (!meshJobs) {
            LOG.warn("dps_jobs_off jobs=validate_mailbox,export,tracking reason=\"{}\" note=\"nothing is validated, "
                    + "exported or tracked; set mesh_jobs: true to run them\"", OFF_REASON);
            return;
        }
        scheduler.scheduleWithFixedDelay(() -> guarded("validate_mailbox", validation::run), 0,
                schedule.validateInterval().toMillis(), TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(() -> guarded("tracking", tracking::run),
                schedule.trackingInterval().toMillis(), schedule.trackingInterval().toMillis(), TimeUnit.MILLISECONDS);
        scheduleExport();
        LOG.info("dps_jobs_started validate_interval={} export_time={} time_zone={} tracking_interval={} "
                + "next_export={}", schedule.validateInterval(), schedule.exportTime(), schedule.zone(),
                schedule.trackingInterval(), nextRun(ZonedDateTime.now(clock.withZone(schedule.zone())),
                        schedule.exportTime()));
    }

    /** Runs the export now; empty when {@code mesh_jobs} is off. */
    public Optional<ExportRun> export() {
        return runIfOn("export", export::run);
    }

    /** Runs the tracking now; empty when {@code mesh_jobs} is off. */
    public Optional<List<StatusChange>> track() {
        return runIfOn("tracking", tracking::run);
    }

    /** Validates the mailbox now; empty when {@code mesh_jobs} is off. */
    public Optional<Boolean> validateMailbox() {
        return runIfOn("validate_mailbox", validation::run);
    }

    /** The first time after {@code now} that is {@code at} o'clock in {@code now}'s zone. */
    public static ZonedDateTime nextRun(ZonedDateTime now, LocalTime at) {
        ZonedDateTime today = now.toLocalDate().atTime(at).atZone(now.getZone());
        return today.isAfter(now) ? today : now.toLocalDate().plusDays(1).atTime(at).atZone(now.getZone());
    }

    private void scheduleExport() {
        ZonedDateTime now = ZonedDateTime.now(clock.withZone(schedule.zone()));
        long delay = Duration.between(now, nextRun(now, schedule.exportTime())).toMillis();
        scheduler.schedule(() -> {
            try {
                guarded("export", export::run);
            } finally {
                if (!scheduler.isShutdown()) {
                    scheduleExport();
                }
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    private <T> Optional<T> runIfOn(String job, Supplier<T> work) {
        if (!meshJobs) {
            LOG.warn("dps_job_skipped job={} reason=\"{}\" note=\"set mesh_jobs: true to run it\"", job, OFF_REASON);
            return Optional.empty();
        }
        return Optional.of(work.get());
    }

    private void guarded(String job, Supplier<?> work) {
        try {
            work.get();
        } catch (RuntimeException e) {
            LOG.error("dps_job_failed job={} reason=\"{}\"", job, e.toString(), e);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
