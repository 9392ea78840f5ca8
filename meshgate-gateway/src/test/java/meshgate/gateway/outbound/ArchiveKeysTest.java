package meshgate.gateway.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ArchiveKeysTest {
    private static final Instant AT = Instant.parse("2026-11-30T10:15:00.250Z");

    @Test
    void namesASecondFileWithTheTimeBeforeItsExtensionThenWithACount() {
        assertThat(ArchiveKeys.alternative("failed/exports/daily.csv", AT, 0)).isEqualTo("failed/exports/daily.csv");
        assertThat(ArchiveKeys.alternative("failed/exports/daily.csv", AT, 1))
                .isEqualTo("failed/exports/daily.2026-11-30T101500Z.csv");
        assertThat(ArchiveKeys.alternative("failed/exports/daily.csv", AT, 2))
                .isEqualTo("failed/exports/daily.2026-11-30T101500Z-2.csv");
        assertThat(ArchiveKeys.alternative("failed/README", AT, 1)).isEqualTo("failed/README.2026-11-30T101500Z");
        assertThat(ArchiveKeys.alternative("sent/ID/x.tar.gz", AT, 1)).isEqualTo("sent/ID/x.tar.2026-11-30T101500Z.gz");
    }
}
