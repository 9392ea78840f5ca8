package meshgate.gateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import meshgate.gateway.cluster.ClusterJobs.RecurringJob;
import meshgate.gateway.ledger.PostgresLedger;
import meshgate.gateway.ledger.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClusterJobsTest {
    static TestPostgres postgres;

    String url;
    HikariDataSource poolA;
    HikariDataSource poolB;
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger overlaps = new AtomicInteger();
    final AtomicInteger runsOnA = new AtomicInteger();
    final AtomicInteger runsOnB = new AtomicInteger();

    @BeforeAll
    static void startPostgres() {
        postgres = TestPostgres.start();
    }

    @AfterAll
    static void stopPostgres() {
        postgres.close();
    }

    @BeforeEach
    void createDatabase() {
        url = postgres.newDatabase();
        poolA = postgres.pool(url, 4);
        poolB = postgres.pool(url, 4);
        PostgresLedger.open(poolA, Clock.systemUTC()).close();
    }

    @AfterEach
    void closePools() {
        poolA.close();
        poolB.close();
    }

    @Test
    void runsAJobOnOneNodeAtATimeAndHandsItOverWhenANodeCloses() throws Exception {
        try (ClusterJobs a = ClusterJobs.start(poolA, "node-a", List.of(tick(runsOnA, 100)), 2);
                ClusterJobs b = ClusterJobs.start(poolB, "node-b", List.of(tick(runsOnB, 100)), 2)) {
            awaitTrue(Duration.ofSeconds(20), () -> runsOnA.get() + runsOnB.get() >= 5);

            a.close();
            int before = runsOnB.get();
            awaitTrue(Duration.ofSeconds(10), () -> runsOnB.get() >= before + 3);
        }

        assertThat(overlaps).hasValue(0);
    }

    @Test
    void anotherNodeCarriesOnAJobAfterTheNodeRunningItDies() throws Exception {
        CountDownLatch aRunning = new CountDownLatch(1);
        RecurringJob hangsOnA = new RecurringJob("tick", Duration.ofMillis(200), () -> {
            enter(runsOnA);
            aRunning.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                running.decrementAndGet();
            }
        });
        ClusterJobs a = ClusterJobs.start(poolA, "node-a", List.of(hangsOnA), 2);
        try (ClusterJobs b = ClusterJobs.start(poolB, "node-b", List.of(tick(runsOnB, 100)), 2)) {
            assertThat(aRunning.await(20, TimeUnit.SECONDS)).isTrue();

            // Cut off from the database first, so the dying node cannot mark its run as finished.
            poolA.close();
            a.halt();
            long killed = System.nanoTime();

            awaitTrue(Duration.ofSeconds(25), () -> runsOnB.get() >= 3);
            Duration takeover = Duration.ofNanos(System.nanoTime() - killed);
            assertThat(takeover).isGreaterThan(Duration.ofSeconds(2));
        }

        assertThat(runsOnA).hasValue(1);
        assertThat(overlaps).hasValue(0);
    }

    @Test
    void rejectsJobsItCannotRun() {
        assertThatThrownBy(() -> new RecurringJob("tick", Duration.ZERO, () -> { }))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RecurringJob(" ", Duration.ofSeconds(1), () -> { }))
                .isInstanceOf(IllegalArgumentException.class);
        RecurringJob tick = new RecurringJob("tick", Duration.ofSeconds(1), () -> { });
        assertThatThrownBy(() -> ClusterJobs.start(poolA, "node-a", List.of(tick, tick), 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClusterJobs.start(poolA, "node-a", List.of(tick), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private RecurringJob tick(AtomicInteger runs, long millis) {
        return new RecurringJob("tick", Duration.ofMillis(200), () -> {
            enter(runs);
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                running.decrementAndGet();
            }
        });
    }

    private void enter(AtomicInteger runs) {
        if (running.incrementAndGet() > 1) {
            overlaps.incrementAndGet();
        }
        runs.incrementAndGet();
    }

    private static void awaitTrue(Duration limit, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met within %s", limit).isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
