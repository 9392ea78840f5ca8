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
    protected H2Ledger openNewLedger(Clock clock) {
        return H2Ledger.open(dir.resolve("ledger"), clock);
    }

    @Override
    protected H2Ledger reopenLedger(Clock clock) {
        return H2Ledger.open(dir.resolve("ledger"), clock);
    }

    @Override
    protected H2Ledger openAnotherLedger(Clock clock) {
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
    void aLedgerOfTheFirstSchemaIsUpgradedWhenOpened() throws Exception {
        long id = ledger.recordOutbound("outbound/x.csv", 7, MODIFIED).id();
        ledger.close();
        try (java.sql.Connection old = java.sql.DriverManager.getConnection(
                "jdbc:h2:file:" + dir.resolve("ledger").toAbsolutePath(), "sa", "");
                java.sql.Statement statement = old.createStatement()) {
            statement.execute("ALTER TABLE outbound_message DROP COLUMN lease_generation");
            statement.execute("UPDATE schema_version SET version = 1");
        }

        ledger = reopenLedger(clock);

        OutboundClaim claim = ledger.claimOutbound(id, "node-a", Duration.ofSeconds(30)).orElseThrow();
        assertThat(claim.generation()).isEqualTo(1);
        assertThat(ledger.findOutbound(id)).isPresent();
    }

    @Test
    void aSecondOwnerCannotClaimUntilTheFirstOwnersLeaseExpires() {
        long id = ledger.recordOutbound("outbound/x.csv", 7, MODIFIED).id();

        OutboundClaim first = ledger.claimOutbound(id, "node-a", Duration.ofSeconds(30)).orElseThrow();
        assertThat(ledger.claimOutbound(id, "node-b", Duration.ofSeconds(30))).isEmpty();
        assertThat(ledger.renewOutbound(first, Duration.ofSeconds(30))).isTrue();
        clock.advance(Duration.ofSeconds(31));

        OutboundClaim second = ledger.claimOutbound(id, "node-b", Duration.ofSeconds(30)).orElseThrow();
        assertThat(second.generation()).isGreaterThan(first.generation());
        assertThat(ledger.claimOutbound(id, "node-a", Duration.ofSeconds(30))).isEmpty();
        ledger.releaseOutbound(first);
        assertThat(ledger.claimOutbound(id, "node-a", Duration.ofSeconds(30))).isEmpty();
        ledger.releaseOutbound(second);
        assertThat(ledger.claimOutbound(id, "node-a", Duration.ofSeconds(30))).isPresent();
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

    @Test
    void aLedgerFolderItCreatesIsOwnerOnlySinceItsLockFileLetsOtherProcessesIn() throws Exception {
        Path file = dir.resolve("new-folder").resolve("meshgate");
        try (H2Ledger opened = H2Ledger.open(file, clock)) {
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                    java.nio.file.Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        }
    }

    @Test
    void theLedgerIsServedToOtherProcessesOnTheLoopbackInterfaceOnly() throws Exception {
        Path file = dir.resolve("served").resolve("meshgate");
        try (H2Ledger opened = H2Ledger.open(file, clock)) {
            opened.countOutbound();
            java.util.Properties lock = new java.util.Properties();
            try (var in = java.nio.file.Files.newInputStream(file.resolveSibling("meshgate.lock.db"))) {
                lock.load(in);
            }
            int port = Integer.parseInt(lock.getProperty("server").replaceAll(".*:", ""));
            try (java.net.Socket loopback = new java.net.Socket("127.0.0.1", port)) {
                assertThat(loopback.isConnected()).isTrue();
            }
            List<java.net.InetAddress> others = java.util.Collections.list(
                    java.net.NetworkInterface.getNetworkInterfaces()).stream()
                    .flatMap(i -> java.util.Collections.list(i.getInetAddresses()).stream())
                    .filter(a -> !a.isLoopbackAddress()).toList();
            for (java.net.InetAddress other : others) {
                try (java.net.Socket socket = new java.net.Socket()) {
                    org.assertj.core.api.Assertions.assertThatThrownBy(() -> socket.connect(
                            new java.net.InetSocketAddress(other, port), 2000))
                            .as("reaching the ledger's server on %s", other)
                            .isInstanceOf(java.io.IOException.class);
                }
            }
        }
    }
}
