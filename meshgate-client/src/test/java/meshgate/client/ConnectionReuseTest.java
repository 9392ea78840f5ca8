package meshgate.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client shared by many threads keeps one mutual-TLS connection per thread open between requests, rather than a
 * new handshake for every request beyond a small pool.
 */
class ConnectionReuseTest {
    private static final int THREADS = 12;
    private static final int ROUNDS = 8;

    @TempDir
    static Path dir;
    static SandboxFixture fixture;

    @BeforeAll
    static void start() {
        // Each request takes at least this long, so the threads' requests of a round overlap.
        fixture = new SandboxFixture(dir, sandbox -> { });
        fixture.sandbox.faults().latency(Duration.ofMillis(150));
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Test
    void aPoolAsLargeAsTheThreadsOpensOneConnectionPerThread() throws Exception {
        long opened = connectionsOpenedBy(THREADS);
        assertThat(opened).as("at most one connection per thread, over every round").isBetween(1L, (long) THREADS);
    }

    @Test
    void aSmallerPoolClosesWhatItCannotKeepAndHandshakesAgain() throws Exception {
        long opened = connectionsOpenedBy(2);
        // About (THREADS - 2) new connections a round; a thread now and then finds one just released.
        assertThat(opened).as("connections beyond the pool are closed after each round")
                .isGreaterThan(3L * THREADS);
    }

    /** Rounds of one request from each thread at once; returns how many connections the sandbox accepted. */
    private static long connectionsOpenedBy(int poolSize) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try (MeshClient client = fixture.clientBuilder("X26ABC1").connectionPoolSize(poolSize).build()) {
            long before = fixture.sandbox.connectionsAccepted();
            for (int round = 0; round < ROUNDS; round++) {
                List<Future<Long>> requests = new ArrayList<>();
                for (int i = 0; i < THREADS; i++) {
                    requests.add(threads.submit(client::inboxCount));
                }
                for (Future<Long> request : requests) {
                    assertThat(request.get()).isGreaterThanOrEqualTo(0);
                }
            }
            return fixture.sandbox.connectionsAccepted() - before;
        } finally {
            threads.shutdownNow();
        }
    }
}
