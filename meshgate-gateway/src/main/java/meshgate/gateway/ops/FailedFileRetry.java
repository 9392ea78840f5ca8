package meshgate.gateway.ops;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import meshgate.gateway.ledger.Ledger;
import meshgate.gateway.ledger.OutboundRecord;
import meshgate.gateway.ledger.OutboundState;
import meshgate.gateway.store.ObjectInfo;
import meshgate.gateway.store.ObjectStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a failed file again, as a person would by hand ({@code docs/operations.md}, "Sending a failed file again"):
 * the file goes from {@code failed/} back to its key under {@code outbound/} through the store (its metadata first,
 * so it is never seen without it), its {@code .reason.txt} is removed, and its ledger record goes from {@code FAILED}
 * back to {@code QUEUED} with a reason naming who asked and when. The gateway then sends it as a new MESH message.
 * Used by the web console; any other front end (a command) can call it on the same store and ledger.
 */
public final class FailedFileRetry {
    private static final Logger LOG = LoggerFactory.getLogger(FailedFileRetry.class);
    private static final String OUTBOUND = "outbound/";
    private static final String FAILED = "failed/";
    private static final String REASON_SUFFIX = ".reason.txt";
    /** The time a failed file's name takes when another of its name was in failed/ already. */
    private static final Pattern ARCHIVE_STAMP =
            Pattern.compile("\\.\\d{4}-\\d\\d-\\d\\dT\\d{6}Z(-\\d+)?(?=\\.[^./]*$|$)");

    /** What a retry did: the record, where the file was under failed/, where it is now, and the reason recorded. */
    public record Retried(long recordId, String failedKey, String outboundKey, String reason) {
    }

    /** A retry that cannot be done, with a message for the person who asked; nothing was changed. */
    public static final class RefusedException extends RuntimeException {
        public RefusedException(String message) {
            super(message);
        }
    }

    private final ObjectStore store;
    private final Ledger ledger;
    private final Clock clock;

    public FailedFileRetry(ObjectStore store, Ledger ledger, Clock clock) {
        this.store = store;
        this.ledger = ledger;
        this.clock = clock;
    }

    /** As {@link #retry(long, String)}, asked for by "a person". */
    public Retried retry(long outboundRecordId) throws IOException {
        return retry(outboundRecordId, "a person");
    }

    /**
     * Sends the failed file of ledger record {@code outboundRecordId} again; {@code who} names who asked (for the
     * record's reason and the log), for example "the web console, signed in from 127.0.0.1".
     *
     * @throws RefusedException when the record is not FAILED, its file is not under failed/, or another file is at
     *     its outbound key: nothing is changed
     */
    public Retried retry(long outboundRecordId, String who) throws IOException {
        return retry(outboundRecordId, Optional.empty(), who);
    }

    /**
     * As {@link #retry(long, String)}, with the file under failed/ named by the person ({@code failedKey}) rather than
     * found by the record's name and size.
     */
    public Retried retry(long outboundRecordId, Optional<String> failedKey, String who) throws IOException {
        OutboundRecord record = ledger.findOutbound(outboundRecordId).orElseThrow(() ->
                new RefusedException("there is no outbound record " + outboundRecordId + " in the ledger"));
        if (record.state() != OutboundState.FAILED) {
            throw new RefusedException(record.objectKey() + " (record " + record.id() + ") is " + record.state()
                    + ", not FAILED: only a failed file is sent again this way");
        }
        String found = failedKey.isPresent() ? store.stat(failedKey.get()).map(ObjectInfo::key).orElseThrow(() ->
                new RefusedException("no file " + failedKey.get() + " in the store"))
                : failedObject(record).orElseThrow(() -> new RefusedException("record " + record.id()
                        + " of " + record.objectKey() + " is FAILED, but no file of its size is under failed/ by its "
                        + "name (nor beside it with its archive time): it may have been moved or sent again "
                        + "already"));
        if (store.stat(record.objectKey()).isPresent()) {
            throw new RefusedException("another file is at " + record.objectKey() + " already: move it away first");
        }
        Instant now = clock.instant();
        String why = "retried by " + who + " at " + now;
        // Recorded before the file is back under outbound/, so the gateway finds the record QUEUED when it sees the
        // file: a write after that could land over the gateway's own progress.
        OutboundRecord queued = ledger.updateOutbound(record.withState(OutboundState.QUEUED).withReason(why));
        try {
            store.moveNew(found, record.objectKey());
        } catch (FileAlreadyExistsException e) {
            ledger.updateOutbound(queued.withState(OutboundState.FAILED).withReason(record.reason()));
            throw new RefusedException("another file is at " + record.objectKey() + " already: move it away first");
        } catch (IOException | RuntimeException e) {
            ledger.updateOutbound(queued.withState(OutboundState.FAILED).withReason(record.reason()));
            throw e;
        }
        store.delete(found + REASON_SUFFIX);
        Optional<ObjectInfo> back = store.stat(record.objectKey());
        if (back.isPresent() && !(back.get().size() == record.size()
                && back.get().lastModified().toEpochMilli() == record.lastModified().toEpochMilli())) {
            // The store gave the moved file a new modification time (S3 copies it): the gateway records it as a new
            // version of the key, so this record is done with.
            ledger.updateOutbound(queued.withState(OutboundState.SUPERSEDED)
                    .withReason(why + "; sent as a new version of " + record.objectKey()));
        }
        LOG.info("outbound_retried id={} key={} failed_key={} by=\"{}\"", record.id(), record.objectKey(), found,
                who);
        return new Retried(record.id(), found, record.objectKey(), why);
    }

    /** The key under outbound/ a file under failed/ came from: its name without the archive time it may have taken. */
    public static String outboundKeyOf(String failedKey) {
        return OUTBOUND + ARCHIVE_STAMP.matcher(failedKey.substring(FAILED.length())).replaceFirst("");
    }

    /**
     * Where the record's file is under failed/: the file of the same name, or one kept beside it with its archive
     * time, of the record's size, with a reason beside it; the one with the record's modification time first, then
     * the newest.
     */
    public Optional<String> failedObject(OutboundRecord record) throws IOException {
        if (!record.objectKey().startsWith(OUTBOUND)) {
            return Optional.empty();
        }
        String wanted = FAILED + record.objectKey().substring(OUTBOUND.length());
        int slash = wanted.lastIndexOf('/');
        String folder = wanted.substring(0, slash + 1);
        List<ObjectInfo> inFolder = store.list(folder);
        return inFolder.stream()
                .filter(o -> o.key().lastIndexOf('/') == slash)
                .filter(o -> !o.key().endsWith(REASON_SUFFIX))
                .filter(o -> ARCHIVE_STAMP.matcher(o.key()).replaceFirst("").equals(wanted))
                .filter(o -> o.size() == record.size())
                .filter(o -> inFolder.stream().anyMatch(r -> r.key().equals(o.key() + REASON_SUFFIX)))
                .sorted(Comparator.comparing((ObjectInfo o) -> o.lastModified().toEpochMilli()
                                != record.lastModified().toEpochMilli())
                        .thenComparing(ObjectInfo::lastModified, Comparator.reverseOrder()))
                .map(ObjectInfo::key)
                .findFirst();
    }
}
