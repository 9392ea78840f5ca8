package meshgate.gateway.ledger;

import java.nio.file.Path;
import java.time.Instant;

/**
 * Run in a child JVM by {@link H2LedgerTest}: records one outbound and one inbound message, says {@code WRITTEN}, then
 * waits to be killed without ever closing the ledger.
 */
public final class LedgerWriterProcess {
    private LedgerWriterProcess() {
    }

    public static void main(String[] args) throws InterruptedException {
        H2Ledger ledger = H2Ledger.open(Path.of(args[0]));
        OutboundRecord outbound = ledger.recordOutbound("outbound/killed.csv", 42, Instant.parse(args[1]));
        ledger.updateOutbound(outbound.progress("MSG-1", 1, 3).withState(OutboundState.SENDING));
        ledger.recordInbound("X26ABC1", "IN-1");
        System.out.println("WRITTEN");
        System.out.flush();
        Thread.sleep(120_000);
    }
}
