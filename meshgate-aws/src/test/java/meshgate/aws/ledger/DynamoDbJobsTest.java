package meshgate.aws.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import meshgate.gateway.cluster.ClusterJobs.RecurringJob;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The gateway's recurring jobs on nodes sharing a DynamoDB ledger: each job runs on one node at a time, runs again
 * after its interval, and moves to another node when its node stops heartbeating.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DynamoDbJobsTest {
    static Dynalite dynalite;
    static DynamoDbClient client;

    @BeforeAll
    static void startDynalite() {
        dynalite = Dynalite.start();
        client = dynalite.client();
    }

    @AfterAll
    static void stopDynalite() {
        client.close();
        dynalite.close();
    }

    @Test
    void threeNodesRunEachJobOnOneNodeAtATime() throws Exception {
        String table = "jobs-once";
        DynamoDbLedger.open(client, dynalite.settings(table), Clock.systemUTC()).close();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        AtomicInteger runs = new AtomicInteger();
        Runnable job = () -> {
            mostAtOnce.accumulateAndGet(inside.incrementAndGet(), Math::max);
            runs.incrementAndGet();
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inside.decrementAndGet();
        };
        List<DynamoDbJobs> nodes = new ArrayList<>();
        try {
            for (int i = 1; i <= 3; i++) {
                nodes.add(DynamoDbJobs.start(client, table, "node-" + i,
                        List.of(new RecurringJob("poll", Duration.ofMillis(100), job)), Clock.systemUTC()));
            }
            await(() -> runs.get() >= 6, "six runs");
        } finally {
            nodes.forEach(DynamoDbJobs::close);
        }

        assertThat(mostAtOnce.get()).as("runs at once").isEqualTo(1);
    }

    @Test
    void aJobWhoseNodeStoppedHeartbeatingMovesToAnotherNode() throws Exception {
        String table = "jobs-takeover";
        DynamoDbLedger.open(client, dynalite.settings(table), Clock.systemUTC()).close();
        List<String> ranOn = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
        // node-a's run hangs with its heartbeat stopped, as if the node were frozen: only its lease tells.
        DynamoDbJobs a = DynamoDbJobs.start(client, table, "node-a", List.of(new RecurringJob("track",
                Duration.ofHours(1), () -> {
                    ranOn.add("node-a");
                    awaitQuietly(never);
                })), Clock.offset(Clock.systemUTC(), Duration.ofSeconds(-60)));
        DynamoDbJobs b = null;
        try {
            await(() -> ranOn.contains("node-a"), "node-a runs the job");
            b = DynamoDbJobs.start(client, table, "node-b", List.of(new RecurringJob("track", Duration.ofHours(1),
                    () -> ranOn.add("node-b"))), Clock.systemUTC());

            // node-a's clock is a minute behind, so the lease it keeps extending has already run out for node-b.
            await(() -> ranOn.contains("node-b"), "node-b takes the job over");
        } finally {
            never.countDown();
            a.close();
            if (b != null) {
                b.close();
            }
        }
        assertThat(ranOn).containsExactly("node-a", "node-b");
    }

    private static void awaitQuietly(java.util.concurrent.CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 60s: " + what);
            }
            Thread.sleep(20);
        }
    }
}
