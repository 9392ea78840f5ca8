package meshgate.aws.ledger;

import static meshgate.aws.ledger.LedgerItems.JOB;
import static meshgate.aws.ledger.LedgerItems.number;
import static meshgate.aws.ledger.LedgerItems.text;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import meshgate.gateway.cluster.ClusterJobs.RecurringJob;
import meshgate.gateway.ops.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * The gateway's recurring jobs on several nodes sharing a DynamoDB ledger, each job on one node at a time, as
 * db-scheduler does on PostgreSQL.
 *
 * <p>Each job is an item {@code job#<name>} in the ledger's table: who runs it ({@code owner}), until when that run
 * is taken to be alive ({@code lease_until}), which run it is ({@code generation}) and when it is next due
 * ({@code next_due}). Every {@link #POLLING_INTERVAL} a node reads the items and, for a job that is due and not held,
 * takes it with a conditional write that only one node can win; while the job runs the node extends the lease every
 * {@link #HEARTBEAT_INTERVAL}; when it ends the node sets {@code next_due} to {@code interval} later and lets go. A
 * node that dies stops extending: {@link #LEASE} after its last heartbeat another node takes the job over. As with
 * db-scheduler, a node that stalls for longer than that may find its job already running elsewhere, so jobs must
 * tolerate a rare second run (the gateway's do: the ledger makes their work idempotent). A job never seen before is
 * due at once.
 */
public final class DynamoDbJobs implements AutoCloseable {
    /** How often a node looks for due jobs. */
    public static final Duration POLLING_INTERVAL = Duration.ofSeconds(1);
    /** How often a node running a job says it is still alive. */
    public static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(2);
    /** How long after its last heartbeat a run is taken for dead. */
    public static final Duration LEASE = Duration.ofSeconds(10);
    /** How long {@link #close()} waits for running jobs to finish. */
    public static final Duration SHUTDOWN_MAX_WAIT = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(DynamoDbJobs.class);

    private final DynamoDbClient dynamo;
    private final String table;
    private final String node;
    private final Map<String, RecurringJob> jobs = new HashMap<>();
    private final Clock clock;
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService ticker;
    private final ExecutorService runner;
    private volatile boolean closed;

    private DynamoDbJobs(DynamoDbClient dynamo, String table, String node, List<RecurringJob> jobs, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.node = node;
        this.clock = clock;
        jobs.forEach(job -> this.jobs.put(job.name(), job));
        this.ticker = Executors.newScheduledThreadPool(1, DaemonThreads.named("meshgate-job-due-" + node));
        this.runner = Executors.newFixedThreadPool(Math.max(1, jobs.size()),
                DaemonThreads.named("meshgate-job-" + node));
    }

    /** Starts running {@code jobs} on this node, sharing them with every node that runs them on the same table. */
    public static DynamoDbJobs start(DynamoDbClient dynamo, String table, String node, List<RecurringJob> jobs,
            Clock clock) {
        Objects.requireNonNull(dynamo, "dynamo");
        if (node == null || node.isBlank()) {
            throw new IllegalArgumentException("a node needs a name");
        }
        Set<String> names = new HashSet<>();
        for (RecurringJob job : jobs) {
            if (!names.add(job.name())) {
                throw new IllegalArgumentException("two recurring jobs are named " + job.name());
            }
        }
        DynamoDbJobs started = new DynamoDbJobs(dynamo, table, node, jobs, clock);
        started.ticker.scheduleWithFixedDelay(started::runDue, 0, POLLING_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        log.info("event=jobs.started node={} jobs={} table={}", node, names, table);
        return started;
    }

    /** Reads every job's item and starts those due and free. */
    private void runDue() {
        if (closed || jobs.isEmpty()) {
            return;
        }
        try {
            Map<String, Map<String, AttributeValue>> items = readJobs();
            long now = clock.millis();
            for (RecurringJob job : jobs.values()) {
                if (!running.contains(job.name()) && looksDue(items.get(job.name()), now)) {
                    take(job, now).ifPresent(generation -> {
                        running.add(job.name());
                        runner.execute(() -> run(job, generation));
                    });
                }
            }
        } catch (SdkException | java.util.concurrent.RejectedExecutionException e) {
            log.warn("event=jobs.poll_failed node={} reason=\"{}\"", node, e.toString());
        }
    }

    private Map<String, Map<String, AttributeValue>> readJobs() {
        Map<String, Map<String, AttributeValue>> items = new HashMap<>();
        List<Map<String, AttributeValue>> keys = jobs.keySet().stream()
                .map(name -> Map.of(LedgerTable.KEY, AttributeValue.fromS(JOB + name))).toList();
        Map<String, KeysAndAttributes> pending = Map.of(table, KeysAndAttributes.builder().keys(keys).build());
        while (!pending.isEmpty()) {
            Map<String, KeysAndAttributes> asked = pending;
            var response = dynamo.batchGetItem(request -> request.requestItems(asked));
            response.responses().getOrDefault(table, List.of())
                    .forEach(item -> items.put(item.get(LedgerTable.KEY).s().substring(JOB.length()), item));
            pending = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
        }
        return items;
    }

    /** Due by an eventually consistent read; the conditional write in {@link #take} decides. */
    private static boolean looksDue(Map<String, AttributeValue> item, long now) {
        if (item == null) {
            return true;
        }
        boolean free = !item.containsKey("owner") || LedgerItems.longOf(item, "lease_until") < now;
        return free && LedgerItems.longOf(item, "next_due") <= now;
    }

    /** The generation of the run this node now holds; empty when another node took it or it is not due. */
    private java.util.Optional<Long> take(RecurringJob job, long now) {
        ItemUpdate update = new ItemUpdate()
                .set("owner", text(node))
                .set("lease_until", number(now + LEASE.toMillis()))
                .add("generation", number(1))
                .when("attribute_not_exists(#pk) OR ((attribute_not_exists(#owner) OR #lease_until < :now)"
                        + " AND (attribute_not_exists(#next_due) OR #next_due <= :now))", Map.of("now", number(now)));
        try {
            var response = dynamo.updateItem(update.request(table, JOB + job.name(), ReturnValue.UPDATED_NEW));
            return java.util.Optional.of(LedgerItems.longOf(response.attributes(), "generation"));
        } catch (ConditionalCheckFailedException e) {
            return java.util.Optional.empty();
        }
    }

    private void run(RecurringJob job, long generation) {
        ScheduledFuture<?> heartbeat = ticker.scheduleWithFixedDelay(() -> heartbeat(job, generation),
                HEARTBEAT_INTERVAL.toMillis(), HEARTBEAT_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        try {
            job.task().run();
        } catch (RuntimeException e) {
            log.warn("event=jobs.run_failed node={} job={} reason=\"{}\"", node, job.name(), e.toString(), e);
        } finally {
            heartbeat.cancel(false);
            finish(job, generation);
            running.remove(job.name());
        }
    }

    private void heartbeat(RecurringJob job, long generation) {
        try {
            dynamo.updateItem(held(generation).set("lease_until", number(clock.millis() + LEASE.toMillis()))
                    .request(table, JOB + job.name(), ReturnValue.NONE));
        } catch (ConditionalCheckFailedException e) {
            log.warn("event=jobs.taken_over node={} job={} note=\"this run was taken for dead; it finishes, and "
                    + "its next run is the other node's\"", node, job.name());
        } catch (SdkException e) {
            log.warn("event=jobs.heartbeat_failed node={} job={} reason=\"{}\"", node, job.name(), e.toString());
        }
    }

    /** Schedules the next run {@code interval} after this one ended, and lets the job go. */
    private void finish(RecurringJob job, long generation) {
        try {
            dynamo.updateItem(held(generation)
                    .set("next_due", number(clock.millis() + job.interval().toMillis()))
                    .remove("owner").remove("lease_until")
                    .request(table, JOB + job.name(), ReturnValue.NONE));
        } catch (ConditionalCheckFailedException e) {
            // Another node holds the job now; its run decides when the next is due.
        } catch (SdkException e) {
            log.warn("event=jobs.finish_failed node={} job={} reason=\"{}\" note=\"another node takes the job "
                    + "once the lease runs out\"", node, job.name(), e.toString());
        }
    }

    private ItemUpdate held(long generation) {
        return new ItemUpdate().when("#owner = :owner AND #generation = :generation",
                Map.of("owner", text(node), "generation", number(generation)));
    }

    /** Stops looking for due jobs and waits up to {@link #SHUTDOWN_MAX_WAIT} for running ones to finish. */
    @Override
    public void close() {
        closed = true;
        runner.shutdown();
        try {
            if (!runner.awaitTermination(SHUTDOWN_MAX_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                runner.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ticker.shutdownNow();
        log.info("event=jobs.stopped node={}", node);
    }
}
