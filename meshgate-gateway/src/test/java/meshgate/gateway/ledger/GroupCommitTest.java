package meshgate.gateway.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link GroupCommit} on a real H2 database file, with calls queued together behind one the test holds. */
class GroupCommitTest {
    @TempDir
    Path dir;

    private String url;
    private GroupCommit commits;
    private final ExecutorService callers = Executors.newCachedThreadPool();

    @BeforeEach
    void open() throws SQLException {
        url = "jdbc:h2:file:" + dir.resolve("db") + ";WRITE_DELAY=0";
        Connection connection = DriverManager.getConnection(url, "sa", "");
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE t (name VARCHAR(20) PRIMARY KEY)");
        }
        commits = new GroupCommit(connection, "test");
    }

    @AfterEach
    void close() {
        commits.close();
        callers.shutdownNow();
    }

    @Test
    void aFailingCallIsUndoneAloneAndTheOthersOfItsTransactionCommit() throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<Object> holder = callers.submit(() -> commits.run("hold", connection -> {
            held.countDown();
            await(release);
            return insert(connection, "holder");
        }));
        assertThat(held.await(30, TimeUnit.SECONDS)).isTrue();
        // Queued while the writer is busy: the next transaction takes all three.
        Future<Object> a = callers.submit(() -> commits.run("insert a", connection -> insert(connection, "a")));
        Future<Object> b = callers.submit(() -> commits.run("insert b, then fail", connection -> {
            insert(connection, "b");
            throw new IllegalStateException("b fails after writing");
        }));
        Future<Object> c = callers.submit(() -> commits.run("insert a again", connection -> insert(connection, "a")));
        Future<Object> d = callers.submit(() -> commits.run("insert d", connection -> insert(connection, "d")));
        awaitQueued(4);
        release.countDown();

        assertThat(holder.get(30, TimeUnit.SECONDS)).isEqualTo("holder");
        assertThat(a.get(30, TimeUnit.SECONDS)).isEqualTo("a");
        assertThatThrownBy(() -> b.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> c.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(LedgerException.class)
                .hasMessageContaining("cannot insert a again in ledger test");
        assertThat(d.get(30, TimeUnit.SECONDS)).isEqualTo("d");
        assertThat(commits.close()).isTrue();
        assertThat(commits.close()).as("closed already").isFalse();
        assertThat(namesOnDisk()).containsExactly("a", "d", "holder");
    }

    @Test
    void everyCallOfManyThreadsReturnsItsOwnResultOnceCommitted() throws Exception {
        List<Future<Object>> calls = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            String name = "n" + i;
            calls.add(callers.submit(() -> commits.run("insert " + name, connection -> insert(connection, name))));
        }
        for (int i = 0; i < calls.size(); i++) {
            assertThat(calls.get(i).get(30, TimeUnit.SECONDS)).isEqualTo("n" + i);
        }
        commits.close();
        assertThat(namesOnDisk()).hasSize(400);
    }

    @Test
    void aClosedGroupRefusesCalls() {
        commits.close();

        assertThatThrownBy(() -> commits.run("late", connection -> insert(connection, "late")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void anInterruptedCallerStillGetsItsResultAndKeepsItsInterrupt() throws Exception {
        CompletableFuture<Boolean> interruptedAfter = new CompletableFuture<>();
        Thread caller = new Thread(() -> {
            Thread.currentThread().interrupt();
            Object result = commits.run("insert i", connection -> insert(connection, "i"));
            interruptedAfter.complete("i".equals(result) && Thread.currentThread().isInterrupted());
        });
        caller.start();

        assertThat(interruptedAfter.get(30, TimeUnit.SECONDS)).isTrue();
    }

    private static String insert(Connection connection, String name) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate("INSERT INTO t (name) VALUES ('" + name + "')");
        }
        return name;
    }

    /** Waits until {@code count} calls are queued behind the one running. */
    private void awaitQueued(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (commits.queued() < count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(commits.queued()).isEqualTo(count);
    }

    private List<String> namesOnDisk() throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT name FROM t ORDER BY name")) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
