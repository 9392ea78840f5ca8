package meshgate.gateway.cluster;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.logging.LogLevel;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import meshgate.gateway.ops.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Named recurring jobs run by every gateway node, each job on one node at a time across the cluster, using
 * db-scheduler on the shared database.
 *
 * <p>Every node registers the same jobs; each job is one row in {@code scheduled_tasks} (created by the PostgreSQL
 * ledger's migrations), and the node that picks the row when it is due runs the job, then schedules the next run
 * {@code interval} after this one finished. A node running a job updates the row's heartbeat every
 * {@link #HEARTBEAT_INTERVAL}; once the heartbeat is {@link #MISSED_HEARTBEATS_BEFORE_DEAD} intervals old the run is
 * taken for dead (its node was killed or cut off) and the job is due again at once, so another node takes it over.
 * A node checks for dead runs every two heartbeat intervals, so a dead node's job resumes elsewhere 8 to 13 seconds
 * after its last heartbeat (db-scheduler requires at least four missed heartbeats). The flip side: a node that stalls for longer than that (a long pause, a lost database) may find its job
 * already running elsewhere, so jobs must tolerate a rare second run (they do: the ledger makes their work
 * idempotent).
 *
 * <p>Nodes look for due jobs every {@link #POLLING_INTERVAL}, which bounds how late a run starts.
 */
public final class ClusterJobs implements AutoCloseable {
    /** How often a node looks for due jobs. */
    public static final Duration POLLING_INTERVAL = Duration.ofSeconds(1);
    /** How often a node running a job tells the others it is still alive. */
    public static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(2);
    /** Heartbeats a run may miss before another node treats it as dead. */
    public static final int MISSED_HEARTBEATS_BEFORE_DEAD = 4;
    /** How long {@link #close()} waits for running jobs to finish. */
    public static final Duration SHUTDOWN_MAX_WAIT = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(ClusterJobs.class);

    private final Scheduler scheduler;
    private final String nodeName;
    private final List<ExecutorService> executors;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** A job run every {@code interval} (counted from the end of one run to the start of the next). */
    public record RecurringJob(String name, Duration interval, Runnable task) {
        public RecurringJob {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(interval, "interval");
            Objects.requireNonNull(task, "task");
            if (name.isBlank()) {
                throw new IllegalArgumentException("a recurring job needs a name");
            }
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("job " + name + " needs a positive interval: " + interval);
            }
        }
    }

    private ClusterJobs(Scheduler scheduler, String nodeName, List<ExecutorService> executors) {
        this.scheduler = scheduler;
        this.nodeName = nodeName;
        this.executors = executors;
    }

    /**
     * Starts running {@code jobs} on this node, sharing them with every other node that started the same jobs on the
     * same database. A job whose name is new is first due now.
     *
     * @param nodeName this node's name, unique in the cluster (shown in {@code scheduled_tasks.picked_by})
     * @param threads how many jobs this node may run at once
     */
    public static ClusterJobs start(DataSource dataSource, String nodeName, List<RecurringJob> jobs, int threads) {
        Objects.requireNonNull(dataSource, "dataSource");
        if (nodeName == null || nodeName.isBlank()) {
            throw new IllegalArgumentException("a node needs a name");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1: " + threads);
        }
        List<RecurringTask<Void>> tasks = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (RecurringJob job : jobs) {
            if (!names.add(job.name())) {
                throw new IllegalArgumentException("two recurring jobs are named " + job.name());
            }
            tasks.add(Tasks.recurring(job.name(), Schedules.fixedDelay(job.interval()))
                    .execute((instance, context) -> job.task().run()));
        }
        ExecutorService runner = Executors.newFixedThreadPool(threads,
                DaemonThreads.named("meshgate-job-" + nodeName));
        ExecutorService due = Executors.newSingleThreadExecutor(DaemonThreads.named("meshgate-job-due-" + nodeName));
        ScheduledExecutorService housekeeper =
                Executors.newScheduledThreadPool(3, DaemonThreads.named("meshgate-job-housekeeper-" + nodeName));
        Scheduler scheduler = Scheduler.create(dataSource)
                .startTasks(tasks)
                .schedulerName(new SchedulerName.Fixed(nodeName))
                .threads(threads)
                .executorService(runner)
                .dueExecutor(due)
                .housekeeperExecutor(housekeeper)
                .pollingInterval(POLLING_INTERVAL)
                .heartbeatInterval(HEARTBEAT_INTERVAL)
                .missedHeartbeatsLimit(MISSED_HEARTBEATS_BEFORE_DEAD)
                .shutdownMaxWait(SHUTDOWN_MAX_WAIT)
                .failureLogging(LogLevel.WARN, true)
                .build();
        scheduler.start();
        log.info("event=cluster.jobs.started node={} jobs={} threads={}", nodeName, names, threads);
        return new ClusterJobs(scheduler, nodeName, List.of(runner, due, housekeeper));
    }

    /**
     * Stops taking up jobs and waits up to {@link #SHUTDOWN_MAX_WAIT} for the running ones to finish and be
     * rescheduled, so other nodes carry on without waiting for this node's heartbeats to go stale.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            scheduler.stop();
            log.info("event=cluster.jobs.stopped node={}", nodeName);
        }
    }

    /**
     * Stops this node's threads at once without handing its jobs over: heartbeats stop and running jobs are
     * interrupted. A run that ends is still recorded if the database can be reached, so to play a node that dies,
     * cut it off from the database first; its run is then left in the database as running, for another node to find
     * dead.
     */
    void halt() {
        if (closed.compareAndSet(false, true)) {
            executors.forEach(ExecutorService::shutdownNow);
            // Lets db-scheduler's own loops end; with the executors already gone it has nothing left to wait for.
            scheduler.stop();
            log.info("event=cluster.jobs.halted node={}", nodeName);
        }
    }

    @Override
    public String toString() {
        return "ClusterJobs[" + nodeName + "]";
    }
}
