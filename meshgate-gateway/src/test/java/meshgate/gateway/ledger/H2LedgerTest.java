package meshgate.gateway.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger contract on an H2 file, and what only H2 has: file names, an in-memory mode, leases timed by the node's
 * clock, and a file that survives its process being killed.
 */
class H2LedgerTest extends LedgerContractTest {
    @TempDir
    Path dir;

    @Override
    H2Ledger openNewLedger(Clock clock) {
        return H2Ledger.open(dir.resolve("ledger"), clock);
    }

    @Override
    H2Ledger reopenLedger(Clock clock) {
        return H2Ledger.open(dir.resolve("ledger"), clock);
    }

    @Override
    H2Ledger openAnotherLedger(Clock clock) {
        return H2Ledger.open(dir.resolve("ledger"), clock);
    }

    @Test
    void acceptsTheDatabaseFileNameWithItsSuffix() {
        OutboundRecord record = ledger.recordOutbound("outbound/x.csv", 7, MODIFIED);
        ledger.close();

        ledger = H2Ledger.open(dir.resolve("ledger.mv.db"), clock);

        assertThat(ledger.findOutbound(record.id())).contains(record);
    }

    @Test
    void inMemoryLedgerWorksForTests() {
        try (H2Ledger memory = H2Ledger.inMemory("h2-ledger-test")) {
            OutboundRecord record = memory.recordOutbound("outbound/x.csv", 1, MODIFIED);
            assertThat(memory.findOutbound(record.id())).contains(record);
        }
    }

    @Test
    void aSecondOwnerCannotClaimUntilTheFirstOwnersLeaseExpires() {
        long id = ledger.recordOutbound("outbound/x.csv", 7, MODIFIED).id();

        assertThat(ledger.claimOutbound(id, "node-a", Duration.ofSeconds(30))).isTrue();
        assertThat(ledger.claimOutbound(id, "node-b", Duration.ofSeconds(30))).isFalse();
        assertThat(ledger.claimOutbound(id, "node-a", Duration.ofSeconds(30))).isTrue();
        clock.advance(Duration.ofSeconds(31));

        assertThat(ledger.claimOutbound(id, "node-b", Duration.ofSeconds(30))).isTrue();
        assertThat(ledger.claimOutbound(id, "node-a", Duration.ofSeconds(30))).isFalse();
        ledger.releaseOutbound(id, "node-a");
        assertThat(ledger.claimOutbound(id, "node-a", Duration.ofSeconds(30))).isFalse();
        ledger.releaseOutbound(id, "node-b");
        assertThat(ledger.claimOutbound(id, "node-a", Duration.ofSeconds(30))).isTrue();
    }

    @Test
    void claimableOutboundClaimsQueuedAndSendingRecordsNotHeldByAnotherOwner() {
        Duration lease = Duration.ofSeconds(30);
        OutboundRecord queued = ledger.recordOutbound("outbound/queued.csv", 1, MODIFIED);
        OutboundRecord sending = ledger.updateOutbound(ledger.recordOutbound("outbound/sending.csv", 1, MODIFIED)
                .withState(OutboundState.SENDING));
        ledger.updateOutbound(ledger.recordOutbound("outbound/accepted.csv", 1, MODIFIED)
                .withState(OutboundState.ACCEPTED));
        OutboundRecord heldByOther = ledger.recordOutbound("outbound/held.csv", 1, MODIFIED);
        OutboundRecord expired = ledger.recordOutbound("outbound/expired.csv", 1, MODIFIED);
        ledger.claimOutbound(expired.id(), "node-b", Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(2));
        ledger.claimOutbound(heldByOther.id(), "node-b", lease);
        OutboundRecord mine = ledger.recordOutbound("outbound/mine.csv", 1, MODIFIED);
        ledger.claimOutbound(mine.id(), "node-a", Duration.ofSeconds(1));

        List<OutboundRecord> claimed = ledger.claimableOutbound("node-a", 10, lease);

        assertThat(claimed).extracting(OutboundRecord::id)
                .containsExactly(queued.id(), sending.id(), expired.id(), mine.id());
        assertThat(claimed.get(1)).isEqualTo(sending);
        clock.advance(Duration.ofSeconds(5));
        assertThat(claimed).allSatisfy(record ->
                assertThat(ledger.claimOutbound(record.id(), "node-b", lease)).isFalse());
        assertThat(ledger.claimableOutbound("node-b", 10, lease)).extracting(OutboundRecord::id)
                .containsExactly(heldByOther.id());
        assertThat(ledger.claimableOutbound("node-a", 2, lease)).extracting(OutboundRecord::id)
                .containsExactly(queued.id(), sending.id());
        assertThat(ledger.claimableOutbound("node-a", 0, lease)).isEmpty();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void committedRecordsSurviveTheProcessBeingKilled() throws Exception {
        ledger.close();
        Path file = dir.resolve("killed");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                LedgerWriterProcess.class.getName(), file.toString(), MODIFIED.toString())
                .redirectErrorStream(true)
                .start();
        List<String> output = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null && !line.equals("WRITTEN")) {
                output.add(line);
            }
            assertThat(line).as("child output: %s", output).isEqualTo("WRITTEN");
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }

        ledger = H2Ledger.open(file, clock);

        assertThat(ledger.outbound(OutboundState.SENDING)).singleElement().satisfies(record -> {
            assertThat(record.objectKey()).isEqualTo("outbound/killed.csv");
            assertThat(record.meshMessageId()).isEqualTo("MSG-1");
            assertThat(record.chunksAccepted()).isEqualTo(1);
            assertThat(record.chunksTotal()).isEqualTo(3);
        });
        assertThat(ledger.findInbound("X26ABC1", "IN-1")).isPresent();
    }
}
