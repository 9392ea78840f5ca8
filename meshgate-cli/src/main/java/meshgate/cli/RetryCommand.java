package meshgate.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import meshgate.gateway.ledger.Ledger;
import meshgate.gateway.ledger.OpenLedger;
import meshgate.gateway.ledger.OutboundRecord;
import meshgate.gateway.ledger.OutboundState;
import meshgate.gateway.ops.FailedFileRetry;
import meshgate.gateway.store.ObjectStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "retry",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Sends a failed file again.",
            "%nFix the cause first (read it with 'meshgate messages --search KEY', or in failed/KEY.reason.txt). "
                    + "Then this moves the file, with its metadata, from failed/ back under outbound/ in the "
                    + "gateway's store, removes its .reason.txt, and records in the ledger that a person retried it: "
                    + "its state goes from FAILED back to QUEUED, and the gateway sends it as a new MESH message "
                    + "within outbound_rescan_interval. docs/operations.md, 'Sending a failed file again'."
        })
final class RetryCommand implements Callable<Integer> {
    private static final String OUTBOUND = "outbound/";
    private static final String FAILED = "failed/";

    @Spec
    CommandSpec spec;

    @Mixin
    LedgerAccess access;

    @Parameters(paramLabel = "KEY|ID", description = "The failed file: its key under outbound/ (outbound/daily.csv, "
            + "or daily.csv), its key under failed/, or its ledger id (from 'meshgate messages --state failed').")
    String file;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (OpenLedger opened = access.openLedger(); ObjectStore store = access.openStore()) {
            Ledger ledger = opened.ledger();
            OutboundRecord record = failedRecord(ledger);
            String given = file.startsWith("/") ? file.substring(1) : file;
            FailedFileRetry.Retried retried;
            try {
                retried = new FailedFileRetry(store, ledger, Clock.systemUTC()).retry(record.id(),
                        Optional.of(given).filter(k -> k.startsWith(FAILED)), "a person");
            } catch (FailedFileRetry.RefusedException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            out.printf("Moved %s back to %s; ledger record %d is QUEUED (%s).%n", retried.failedKey(),
                    retried.outboundKey(), retried.recordId(), retried.reason());
            out.printf("The gateway sends it within outbound_rescan_interval; follow it with: meshgate messages "
                    + "--search %s%n", retried.outboundKey());
        }
        out.flush();
        return 0;
    }

    /** The record KEY|ID names, which must be FAILED; the newest if several versions of the key failed. */
    private OutboundRecord failedRecord(Ledger ledger) {
        if (file.matches("\\d{1,18}")) {
            OutboundRecord record = ledger.findOutbound(Long.parseLong(file)).orElseThrow(() ->
                    new IllegalArgumentException("no outbound record with id " + file + " in the ledger (see "
                            + "'meshgate messages --state failed')"));
            return requireFailed(record);
        }
        String key = outboundKey(file);
        List<OutboundRecord> ofKey = ledger.outbound(OutboundState.values()).stream()
                .filter(r -> r.objectKey().equals(key) && r.size() >= 0)
                .sorted(Comparator.comparing(OutboundRecord::updatedAt).reversed())
                .toList();
        if (ofKey.isEmpty()) {
            throw new IllegalArgumentException("no file " + key + " in the ledger (see 'meshgate messages --state "
                    + "failed')");
        }
        return ofKey.stream().filter(r -> r.state() == OutboundState.FAILED).findFirst()
                .orElseGet(() -> requireFailed(ofKey.get(0)));
    }

    private static OutboundRecord requireFailed(OutboundRecord record) {
        if (record.state() != OutboundState.FAILED) {
            throw new IllegalArgumentException(record.objectKey() + " (ledger id " + record.id() + ") is "
                    + record.state() + ", not FAILED: only a failed file is retried"
                    + (record.state().isFinal() && record.meshMessageId() != null ? "; to send an accepted file "
                            + "again, see docs/operations.md, 'Sending a failed file again'" : ""));
        }
        return record;
    }

    /** What a person may type for the file: outbound/x, failed/x (perhaps with its archive time), or x. */
    static String outboundKey(String given) {
        String key = given.startsWith("/") ? given.substring(1) : given;
        if (key.startsWith(FAILED)) {
            return FailedFileRetry.outboundKeyOf(key);
        }
        return key.startsWith(OUTBOUND) ? key : OUTBOUND + key;
    }
}
