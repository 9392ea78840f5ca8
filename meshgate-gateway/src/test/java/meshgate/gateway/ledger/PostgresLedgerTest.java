package meshgate.gateway.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The ledger contract on a real PostgreSQL server, each test on a database of its own, and what only PostgreSQL has:
 * leases timed by the database, rows locked by other transactions skipped, several nodes on one database.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PostgresLedgerTest extends LedgerContractTest {
    private static final Duration MINUTE = Duration.ofMinutes(1);

    static TestPostgres postgres;

    String url;
    HikariDataSource pool;
    final List<HikariDataSource> otherPools = new ArrayList<>();

    @BeforeAll
    static void startPostgres() {
        postgres = TestPostgres.start();
    }

    @AfterAll
    static void stopPostgres() {
        postgres.close();
    }

    @Override
    PostgresLedger openNewLedger(Clock clock) {
        url = postgres.newDatabase();
        pool = postgres.pool(url, 10);
        return PostgresLedger.open(pool, clock);
    }

    @Override
    PostgresLedger reopenLedger(Clock clock) {
        return PostgresLedger.open(pool, clock);
    }

    /** A ledger on a pool of its own, as another node has; the pool is closed after the test. */
    @Override
    PostgresLedger openAnotherLedger(Clock clock) {
        HikariDataSource otherPool = postgres.pool(url, 4);
        otherPools.add(otherPool);
        return PostgresLedger.open(otherPool, clock);
    }

    @AfterEach
    void closePools() {
        otherPools.forEach(HikariDataSource::close);
        pool.close();
    }

    @Test
    void opensFromAUrlWithAPoolOfItsOwn() {
        OutboundRecord record = ledger.recordOutbound("outbound/x.csv", 7, MODIFIED);

        try (PostgresLedger byUrl = PostgresLedger.open(url, TestPostgres.USER, "")) {
            assertThat(byUrl.findOutbound(record.id())).contains(record);
            assertThat(byUrl.toString()).contains(url.replaceFirst("\\?.*", "")).doesNotContain("?");
            byUrl.close();
            assertThatThrownBy(() -> byUrl.findOutbound(record.id())).isInstanceOf(IllegalStateException.class);
        }
        assertThat(ledger.findOutbound(record.id())).contains(record);
    }

    @Test
    void aSecondOwnerCannotClaimUntilTheFirstOwnersLeaseExpires() throws Exception {
        long id = ledger.recordOutbound("outbound/x.csv", 7, MODIFIED).id();

        // Long enough that a stalled machine does not let the lease run out between these two claims.
        assertThat(ledger.claimOutbound(id, "node-a", Duration.ofSeconds(2))).isTrue();
        assertThat(ledger.claimOutbound(id, "node-b", MINUTE)).isFalse();
        Thread.sleep(2200);

        assertThat(ledger.claimOutbound(id, "node-b", MINUTE)).isTrue();
        assertThat(ledger.claimOutbound(id, "node-a", MINUTE)).isFalse();
    }

    @Test
    void theOwnerRenewsItsClaim() throws Exception {
        long id = ledger.recordOutbound("outbound/x.csv", 7, MODIFIED).id();
        assertThat(ledger.claimOutbound(id, "node-a", Duration.ofMillis(300))).isTrue();

        assertThat(ledger.claimOutbound(id, "node-a", MINUTE)).isTrue();
        Thread.sleep(500);

        assertThat(ledger.claimOutbound(id, "node-b", MINUTE)).isFalse();
    }

    @Test
    void leasesAreTimedByTheDatabaseNotByTheNodesClock() {
        long id = ledger.recordOutbound("outbound/x.csv", 7, MODIFIED).id();
        assertThat(ledger.claimOutbound(id, "node-a", MINUTE)).isTrue();

        clock.advance(Duration.ofDays(1));

        assertThat(ledger.claimOutbound(id, "node-b", MINUTE)).isFalse();
    }

    @Test
    void releasingAClaimLetsAnotherOwnerClaim() {
        long id = ledger.recordOutbound("outbound/x.csv", 7, MODIFIED).id();
        assertThat(ledger.claimOutbound(id, "node-a", MINUTE)).isTrue();

        ledger.releaseOutbound(id, "node-b");
        assertThat(ledger.claimOutbound(id, "node-b", MINUTE)).isFalse();

        ledger.releaseOutbound(id, "node-a");
        assertThat(ledger.claimOutbound(id, "node-b", MINUTE)).isTrue();
        assertThat(ledger.claimOutbound(ledger.recordOutbound("outbound/y.csv", 7, MODIFIED).id() + 1, "node-b",
                MINUTE)).isFalse();
    }

    @Test
    void claimableOutboundClaimsQueuedAndSendingRecordsNotHeldByAnotherOwner() throws Exception {
        OutboundRecord queued = ledger.recordOutbound("outbound/queued.csv", 1, MODIFIED);
        OutboundRecord sending = ledger.updateOutbound(ledger.recordOutbound("outbound/sending.csv", 1, MODIFIED)
                .withState(OutboundState.SENDING));
        ledger.updateOutbound(ledger.recordOutbound("outbound/accepted.csv", 1, MODIFIED)
                .withState(OutboundState.ACCEPTED));
        ledger.updateOutbound(ledger.recordOutbound("outbound/failed.csv", 1, MODIFIED)
                .withState(OutboundState.FAILED));
        OutboundRecord heldByOther = ledger.recordOutbound("outbound/held.csv", 1, MODIFIED);
        ledger.claimOutbound(heldByOther.id(), "node-b", MINUTE);
        OutboundRecord expired = ledger.recordOutbound("outbound/expired.csv", 1, MODIFIED);
        ledger.claimOutbound(expired.id(), "node-b", Duration.ofMillis(1));
        OutboundRecord mine = ledger.recordOutbound("outbound/mine.csv", 1, MODIFIED);
        ledger.claimOutbound(mine.id(), "node-a", Duration.ofMillis(300));
        Thread.sleep(50);

        List<OutboundRecord> claimed = ledger.claimableOutbound("node-a", 10, MINUTE);

        assertThat(claimed).extracting(OutboundRecord::id)
                .containsExactly(queued.id(), sending.id(), expired.id(), mine.id());
        assertThat(claimed.get(1)).isEqualTo(sending);
        Thread.sleep(400);
        assertThat(claimed).allSatisfy(record ->
                assertThat(ledger.claimOutbound(record.id(), "node-b", MINUTE)).isFalse());
        assertThat(ledger.claimableOutbound("node-b", 10, MINUTE)).extracting(OutboundRecord::id)
                .containsExactly(heldByOther.id());
        assertThat(ledger.claimableOutbound("node-a", 2, MINUTE)).extracting(OutboundRecord::id)
                .containsExactly(queued.id(), sending.id());
        assertThat(ledger.claimableOutbound("node-a", 0, MINUTE)).isEmpty();
    }

    @Test
    void claimableOutboundSkipsRowsLockedByAnotherTransactionWithoutWaiting() throws Exception {
        OutboundRecord locked = ledger.recordOutbound("outbound/locked.csv", 1, MODIFIED);
        OutboundRecord free = ledger.recordOutbound("outbound/free.csv", 1, MODIFIED);

        try (Connection other = pool.getConnection()) {
            other.setAutoCommit(false);
            try (PreparedStatement lock = other.prepareStatement(
                    "SELECT id FROM outbound_message WHERE id = ? FOR UPDATE")) {
                lock.setLong(1, locked.id());
                try (ResultSet rows = lock.executeQuery()) {
                    assertThat(rows.next()).isTrue();
                }
            }

            // Waiting for the lock would wait until the rollback below, that is for ever.
            List<OutboundRecord> claimed = java.util.concurrent.CompletableFuture
                    .supplyAsync(() -> ledger.claimableOutbound("node-a", 10, MINUTE))
                    .get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(claimed).extracting(OutboundRecord::id).containsExactly(free.id());
            other.rollback();
        }

        assertThat(ledger.claimableOutbound("node-b", 10, MINUTE)).extracting(OutboundRecord::id)
                .containsExactly(locked.id());
    }

    @Test
    void twoNodesClaimingAtOnceGetDisjointRecords() throws Exception {
        Set<Long> all = new HashSet<>();
        for (int i = 0; i < 60; i++) {
            all.add(ledger.recordOutbound("outbound/" + i + ".csv", 1, MODIFIED).id());
        }
        try (PostgresLedger other = openAnotherLedger(clock)) {
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService nodes = Executors.newFixedThreadPool(2);
            try {
                Future<List<Long>> a = nodes.submit(() -> claimUntilNoneLeft(ledger, "node-a", start));
                Future<List<Long>> b = nodes.submit(() -> claimUntilNoneLeft(other, "node-b", start));
                start.countDown();
                List<Long> byA = a.get(30, TimeUnit.SECONDS);
                List<Long> byB = b.get(30, TimeUnit.SECONDS);

                assertThat(byA).doesNotHaveDuplicates().doesNotContainAnyElementsOf(byB);
                assertThat(byB).doesNotHaveDuplicates();
                List<Long> both = new ArrayList<>(byA);
                both.addAll(byB);
                assertThat(both).containsExactlyInAnyOrderElementsOf(all);
            } finally {
                nodes.shutdownNow();
            }
        }
    }

    private static List<Long> claimUntilNoneLeft(Ledger ledger, String owner, CountDownLatch start)
            throws InterruptedException {
        start.await();
        List<Long> ids = new ArrayList<>();
        while (true) {
            List<OutboundRecord> batch = ledger.claimableOutbound(owner, 3, MINUTE);
            if (batch.isEmpty()) {
                return ids;
            }
            for (OutboundRecord record : batch) {
                ids.add(record.id());
                ledger.updateOutbound(record.withState(OutboundState.ACCEPTED));
            }
        }
    }
}
