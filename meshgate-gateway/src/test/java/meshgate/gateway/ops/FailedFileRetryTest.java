package meshgate.gateway.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import meshgate.gateway.ledger.H2Ledger;
import meshgate.gateway.ledger.OutboundRecord;
import meshgate.gateway.ledger.OutboundState;
import meshgate.gateway.store.LocalFolderStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sending a failed file again on a real folder store and embedded ledger, as the console and a command do it. */
class FailedFileRetryTest {
    private static final Instant NOW = Instant.parse("2026-12-07T10:15:00Z");

    @TempDir
    Path dir;

    private LocalFolderStore store;
    private H2Ledger ledger;
    private FailedFileRetry retry;

    @BeforeEach
    void open() {
        store = new LocalFolderStore(dir.resolve("data"));
        ledger = H2Ledger.open(dir.resolve("ledger/meshgate"));
        retry = new FailedFileRetry(store, ledger, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void close() {
        ledger.close();
    }

    @Test
    void movesTheFileAndItsMetadataBackRemovesItsReasonAndQueuesItsRecordNamingWhoAndWhen() throws Exception {
        OutboundRecord record = failed("daily/export.csv", "export.csv", "a,b\n");
        Files.writeString(data("failed/daily/export.csv.meta.json"), "{\"mex-to\": \"X26ABC2\"}");

        FailedFileRetry.Retried done = retry.retry(record.id(), "the web console (signed in from 10.0.0.5)");

        assertThat(done).isEqualTo(new FailedFileRetry.Retried(record.id(), "failed/daily/export.csv",
                "outbound/daily/export.csv", "retried by the web console (signed in from 10.0.0.5) at " + NOW));
        assertThat(data("outbound/daily/export.csv")).hasContent("a,b");
        assertThat(store.metadata("outbound/daily/export.csv")).isEqualTo(Map.of("mex-to", "X26ABC2"));
        assertThat(data("failed/daily")).isEmptyDirectory();
        OutboundRecord queued = ledger.findOutbound(record.id()).orElseThrow();
        assertThat(queued.state()).isEqualTo(OutboundState.QUEUED);
        assertThat(queued.reason()).isEqualTo(done.reason());
        assertThat(ledger.recordOutbound(record.objectKey(), record.size(), record.lastModified()).id())
                .as("the file back under outbound/ is the same version, with the same record").isEqualTo(record.id());
    }

    @Test
    void findsTheFileKeptBesideAnotherOfItsNameWithItsArchiveTime() throws Exception {
        OutboundRecord first = failed("daily.csv", "daily.csv", "first version\n");
        OutboundRecord second = failed("daily.csv", "daily.2026-12-07T101000Z.csv", "second, longer version\n");

        assertThat(retry.retry(second.id()).failedKey()).isEqualTo("failed/daily.2026-12-07T101000Z.csv");
        assertThat(data("outbound/daily.csv")).hasContent("second, longer version");
        assertThat(data("failed/daily.csv")).exists();
        assertThat(ledger.findOutbound(second.id()).orElseThrow().reason()).isEqualTo("retried by a person at " + NOW);
        assertThat(ledger.findOutbound(first.id()).orElseThrow().state()).isEqualTo(OutboundState.FAILED);
    }

    @Test
    void refusesAndChangesNothingWhenTheRecordIsNotFailedItsFileIsGoneOrItsKeyIsTaken() throws Exception {
        OutboundRecord record = failed("x.csv", "x.csv", "x\n");
        Files.writeString(Files.createDirectories(data("outbound")).resolve("x.csv"), "someone else's\n");
        assertThatThrownBy(() -> retry.retry(record.id())).isInstanceOf(FailedFileRetry.RefusedException.class)
                .hasMessage("another file is at outbound/x.csv already: move it away first");
        assertThat(ledger.findOutbound(record.id()).orElseThrow()).isEqualTo(record);
        assertThat(data("failed/x.csv")).exists();
        assertThat(data("failed/x.csv.reason.txt")).exists();

        Files.delete(data("outbound/x.csv"));
        retry.retry(record.id());
        assertThatThrownBy(() -> retry.retry(record.id())).isInstanceOf(FailedFileRetry.RefusedException.class)
                .hasMessage("outbound/x.csv (record " + record.id() + ") is QUEUED, not FAILED: only a failed file "
                        + "is sent again this way");

        OutboundRecord gone = failed("y.csv", "y.csv", "y\n");
        store.delete("failed/y.csv");
        assertThatThrownBy(() -> retry.retry(gone.id())).isInstanceOf(FailedFileRetry.RefusedException.class)
                .hasMessageContaining("no file of its size is under failed/");
        assertThat(ledger.findOutbound(gone.id()).orElseThrow().state()).isEqualTo(OutboundState.FAILED);
        assertThatThrownBy(() -> retry.retry(999)).isInstanceOf(FailedFileRetry.RefusedException.class)
                .hasMessage("there is no outbound record 999 in the ledger");
    }

    /**
     * A FAILED record of {@code outbound/{key}}, its file under {@code failed/{failedName}} (in the key's folder) as
     * the gateway leaves it: the same modification time, with a reason beside it.
     */
    private OutboundRecord failed(String key, String failedName, String content) throws Exception {
        Instant modified = NOW.minusSeconds(600 - content.length());
        int slash = key.lastIndexOf('/');
        String failedKey = "failed/" + key.substring(0, slash + 1) + failedName;
        Path file = Files.createDirectories(data(failedKey).getParent()).resolve(failedName);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        Files.setLastModifiedTime(file, FileTime.from(modified));
        store.putText(failedKey + ".reason.txt", "MeshGate could not send outbound/" + key + "\nreason: no mex-to\n",
                Map.of());
        OutboundRecord recorded = ledger.recordOutbound("outbound/" + key, content.length(),
                store.stat(failedKey).orElseThrow().lastModified());
        return ledger.updateOutbound(recorded.failed("missing recipient: no mex-to", false));
    }

    private Path data(String key) {
        return dir.resolve("data").resolve(key);
    }
}
