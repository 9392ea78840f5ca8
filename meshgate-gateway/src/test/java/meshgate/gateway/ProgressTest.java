package meshgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ProgressTest {
    @Test
    void keepsWaitingLongPastTheStallTimeWhileProgressAdvances() throws Exception {
        AtomicInteger chunks = new AtomicInteger();
        Thread transfer = new Thread(() -> {
            try {
                for (int i = 0; i < 20; i++) {
                    Thread.sleep(100);
                    chunks.incrementAndGet();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        long start = System.nanoTime();
        transfer.start();

        Progress.await("20 chunks", Duration.ofMillis(700), chunks::get, () -> chunks.get() == 20);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(1400));
        transfer.join();
    }

    @Test
    void failsWhenNothingAdvancesForTheStallTimeAndSaysWhereItStopped() {
        long start = System.nanoTime();

        assertThatThrownBy(() -> Progress.await("chunk 54/54", Duration.ofMillis(300), () -> "chunk=46/54",
                () -> false))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("nothing advanced for")
                .hasMessageContaining("chunk=46/54")
                .hasMessageContaining("chunk 54/54");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
    }
}
