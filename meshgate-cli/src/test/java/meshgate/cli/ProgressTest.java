package meshgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressTest {
    private static final long MIB = 1024 * 1024;
    private static final long SECOND = 1_000_000_000L;

    private final StringWriter err = new StringWriter();
    private final AtomicLong now = new AtomicLong(0);

    private Progress progress(boolean terminal, long total) {
        return new Progress(new PrintWriter(err), terminal, "send", total, now::get, false);
    }

    @Test
    void aTerminalGetsABarWithBytesRateAndEtaRedrawnInPlace() {
        Progress progress = progress(true, 100 * MIB);

        now.set(SECOND);
        progress.reached(25 * MIB);
        now.set(2 * SECOND);
        progress.reached(50 * MIB);

        assertThat(err.toString()).isEqualTo("\rsend [======>                 ]  25%  25.0 MiB / 100.0 MiB  25.0 MiB/s  ETA 0:03"
                + "\rsend [============>           ]  50%  50.0 MiB / 100.0 MiB  25.0 MiB/s  ETA 0:02");

        now.set(4 * SECOND);
        progress.reached(100 * MIB);
        progress.finish("sent");
        String full = "send [========================] 100%  100.0 MiB / 100.0 MiB  25.0 MiB/s  ETA 0:00";
        String summary = "sent 100.0 MiB in 4.0 s (25.0 MiB/s)";
        assertThat(err.toString()).endsWith("\r" + full + "\r" + summary
                + " ".repeat(full.length() - summary.length()) + "\n");
    }

    @Test
    void elsewhereAPlainLineEveryFewSecondsAndASummary() {
        Progress progress = progress(false, 100 * MIB);

        now.set(SECOND);
        progress.reached(10 * MIB);
        now.set(6 * SECOND);
        progress.reached(60 * MIB);
        now.set(8 * SECOND);
        progress.reached(80 * MIB);
        now.set(10 * SECOND);
        progress.reached(100 * MIB);
        progress.finish("sent");

        assertThat(err.toString().lines()).containsExactly(
                "send: 60.0 MiB of 100.0 MiB (60%), 10.0 MiB/s, ETA 0:04",
                "sent 100.0 MiB in 10.0 s (10.0 MiB/s)");
    }

    @Test
    void anUnknownTotalShowsBytesRateAndElapsedTime() {
        Progress progress = new Progress(new PrintWriter(err), true, "get", -1, now::get, false);

        now.set(2 * SECOND);
        progress.reached(3 * MIB);

        assertThat(err.toString()).isEqualTo("\rget 3.0 MiB  1.5 MiB/s  0:02");
    }

    @Test
    void sizesReadAsPeopleWriteThem() {
        assertThat(Progress.bytes(512)).isEqualTo("512 B");
        assertThat(Progress.bytes(1536)).isEqualTo("1.5 KiB");
        assertThat(Progress.bytes(1024L * MIB)).isEqualTo("1.0 GiB");
    }
}
