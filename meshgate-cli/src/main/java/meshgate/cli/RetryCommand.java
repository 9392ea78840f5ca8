package meshgate.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import meshgate.gateway.ledger.Ledger;
import meshgate.gateway.ledger.OpenLedger;
import meshgate.gateway.ledger.OutboundRecord;
import meshgate.gateway.ledger.OutboundState;
import meshgate.gateway.store.ObjectInfo;
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
    /** The time a failed file's name takes when another of its name was in failed/ already. */
    private static final Pattern ARCHIVE_STAMP = Pattern.compile("\\.\\d{4}-\\d\\d-\\d\\dT\\d{6}Z(-\\d+)?(?=\\.[^./]*$|$)");

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
            String failedKey = failedObject(store, record);
            Instant now = Instant.now();
            String why = "retried by a person at " + now;
            // Recorded before the file is back under outbound/, so the gateway finds the record QUEUED when it sees
            // the file: a write after could land over the gateway's own progress.
            OutboundRecord queued = ledger.updateOutbound(record.withState(OutboundState.QUEUED).withReason(why));
            try {
                store.moveNew(failedKey, record.objectKey());
            } catch (IOException | RuntimeException e) {
                ledger.updateOutbound(queued.withState(OutboundState.FAILED).withReason(record.reason()));
                throw e;
            }
            store.delete(failedKey + ".reason.txt");
            ObjectInfo back = store.stat(record.objectKey()).orElseThrow();
            if (!(back.size() == record.size() && back.lastModified().toEpochMilli()
                    == record.lastModified().toEpochMilli())) {
                // The store gave the moved file a new modification time (S3 copies): the gateway records it as a new
                // version, so this record is done with.
                ledger.updateOutbound(queued.withState(OutboundState.SUPERSEDED)
                        .withReason(why + "; sent as a new version of " + record.objectKey()));
            }
            out.printf("Moved %s back to %s; ledger record %d is QUEUED (%s).%n", failedKey, record.objectKey(),
                    record.id(), why);
            out.printf("The gateway sends it within outbound_rescan_interval; follow it with: meshgate messages "
                    + "--search %s%n", record.objectKey());
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
            return OUTBOUND + ARCHIVE_STAMP.matcher(key.substring(FAILED.length())).replaceFirst("");
        }
        return key.startsWith(OUTBOUND) ? key : OUTBOUND + key;
    }

    /**
     * Where the failed file is under failed/: the key given, when it was a failed/ key; else the file of the same
     * name, or one kept beside it with its archive time, of the record's size; the one with the record's modification
     * time first.
     */
    private String failedObject(ObjectStore store, OutboundRecord record) throws IOException {
        String wanted = FAILED + record.objectKey().substring(OUTBOUND.length());
        if (file.startsWith(FAILED) || file.startsWith("/" + FAILED)) {
            String given = file.startsWith("/") ? file.substring(1) : file;
            return store.stat(given).map(ObjectInfo::key).orElseThrow(() -> new IllegalArgumentException(
                    "no file " + given + " in the store"));
        }
        int slash = wanted.lastIndexOf('/');
        String folder = wanted.substring(0, slash + 1);
        List<ObjectInfo> candidates = store.list(folder).stream()
                .filter(o -> o.key().lastIndexOf('/') == slash)
                .filter(o -> ARCHIVE_STAMP.matcher(o.key()).replaceFirst("").equals(wanted))
                .filter(o -> o.size() == record.size())
                .sorted(Comparator.comparing((ObjectInfo o) -> o.lastModified().toEpochMilli()
                                != record.lastModified().toEpochMilli())
                        .thenComparing(ObjectInfo::lastModified, Comparator.reverseOrder()))
                .toList();
        Optional<ObjectInfo> found = candidates.stream().findFirst();
        return found.map(ObjectInfo::key).orElseThrow(() -> new IllegalArgumentException("ledger record "
                + record.id() + " of " + record.objectKey() + " is FAILED but no file of its size is at " + wanted
                + " (nor beside it with its archive time): give its key under failed/, or drop it under outbound/ "
                + "again"));
    }
}
