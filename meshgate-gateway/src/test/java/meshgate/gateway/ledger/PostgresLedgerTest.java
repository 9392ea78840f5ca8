package meshgate.gateway.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
    protected PostgresLedger openNewLedger(Clock clock) {
        url = postgres.newDatabase();
        pool = postgres.pool(url, 10);
        return PostgresLedger.open(pool, clock);
    }

    @Override
    protected PostgresLedger reopenLedger(Clock clock) {
        return PostgresLedger.open(pool, clock);
    }

    /** A ledger on a pool of its own, as another node has; the pool is closed after the test. */
    @Override
    protected PostgresLedger openAnotherLedger(Clock clock) {
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
        assertThat(ledger.claimOutbound(id, "node-a", Duration.ofSeconds(2))).isPresent();
        assertThat(ledger.claimOutbound(id, "node-b", MINUTE)).isEmpty();
        Thread.sleep(2200);

        assertThat(ledger.claimOutbound(id, "node-b", MINUTE)).isPresent();
        assertThat(ledger.claimOutbound(id, "node-a", MINUTE)).isEmpty();
    }

    @Test
    void theOwnerRenewsItsClaim() throws Exception {
        long id = ledger.recordOutbound("outbound/x.csv", 7, MODIFIED).id();
        OutboundClaim claim = ledger.claimOutbound(id, "node-a", Duration.ofMillis(300)).orElseThrow();

        assertThat(ledger.renewOutbound(claim, MINUTE)).isTrue();
        Thread.sleep(500);

        assertThat(ledger.claimOutbound(id, "node-b", MINUTE)).isEmpty();
    }

    @Test
    void leasesAreTimedByTheDatabaseNotByTheNodesClock() {
        long id = ledger.recordOutbound("outbound/x.csv", 7, MODIFIED).id();
        assertThat(ledger.claimOutbound(id, "node-a", MINUTE)).isPresent();

        clock.advance(Duration.ofDays(1));

        assertThat(ledger.claimOutbound(id, "node-b", MINUTE)).isEmpty();
    }

    @Test
    void releasingAClaimLetsAnotherOwnerClaim() {
        long id = ledger.recordOutbound("outbound/x.csv", 7, MODIFIED).id();
        OutboundClaim claim = ledger.claimOutbound(id, "node-a", MINUTE).orElseThrow();

        ledger.releaseOutbound(new OutboundClaim(id, "node-b", claim.generation()));
        assertThat(ledger.claimOutbound(id, "node-b", MINUTE)).isEmpty();

        ledger.releaseOutbound(claim);
        assertThat(ledger.claimOutbound(id, "node-b", MINUTE)).isPresent();
        assertThat(ledger.claimOutbound(ledger.recordOutbound("outbound/y.csv", 7, MODIFIED).id() + 1, "node-b",
                MINUTE)).isEmpty();
    }

    @Test
    void twoNodesClaimingAtOnceGetDisjointRecords() throws Exception {
        List<Long> all = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            all.add(ledger.recordOutbound("outbound/" + i + ".csv", 1, MODIFIED).id());
        }
        try (PostgresLedger other = openAnotherLedger(clock)) {
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService nodes = Executors.newFixedThreadPool(2);
            try {
                Future<List<Long>> a = nodes.submit(() -> claimEach(ledger, "node-a", all, start));
                Future<List<Long>> b = nodes.submit(() -> claimEach(other, "node-b", all, start));
                start.countDown();
                List<Long> byA = a.get(30, TimeUnit.SECONDS);
                List<Long> byB = b.get(30, TimeUnit.SECONDS);

                List<Long> both = new ArrayList<>(byA);
                both.addAll(byB);
                // Each record once: a record both nodes claimed would appear twice.
                assertThat(both).containsExactlyInAnyOrderElementsOf(all);
            } finally {
                nodes.shutdownNow();
            }
        }
    }

    private static List<Long> claimEach(Ledger ledger, String owner, List<Long> ids, CountDownLatch start)
            throws InterruptedException {
        start.await();
        List<Long> claimed = new ArrayList<>();
        for (long id : ids) {
            ledger.claimOutbound(id, owner, MINUTE).ifPresent(claim -> claimed.add(id));
        }
        return claimed;
    }
}
