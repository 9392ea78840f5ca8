package meshgate.gateway.outbound;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import meshgate.gateway.store.ObjectStore;

/**
 * Names in the archive folders ({@code failed/}, {@code sent/}), where nothing is ever replaced: a file whose name is
 * taken there is kept beside the other under the same name with the time it arrived before its extension, such as
 * {@code failed/daily.2026-11-30T101500Z.csv}, and a count after that time should it be taken too.
 */
final class ArchiveKeys {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    /** Far more files of one name in one second than anyone drops; past it, something else is wrong. */
    private static final int MAX_ALTERNATIVES = 100;

    private ArchiveKeys() {
    }

    /** Moves {@code from} to {@code wanted}, or to its first free alternative; returns the key it took. */
    static String moveKeepingBoth(ObjectStore store, String from, String wanted, Instant at) throws IOException {
        for (int n = 0; n <= MAX_ALTERNATIVES; n++) {
            String key = alternative(wanted, at, n);
            try {
                store.moveNew(from, key);
                return key;
            } catch (FileAlreadyExistsException taken) {
                // try the next name
            }
        }
        throw new FileAlreadyExistsException(wanted, null, MAX_ALTERNATIVES + " alternative names are taken too");
    }

    /** The {@code n}th name for {@code key}: the key itself, then stamped with {@code at}, then counted. */
    static String alternative(String key, Instant at, int n) {
        if (n == 0) {
            return key;
        }
        int slash = key.lastIndexOf('/');
        String name = key.substring(slash + 1);
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String extension = dot > 0 ? name.substring(dot) : "";
        String stamp = STAMP.format(at) + (n > 1 ? "-" + n : "");
        return key.substring(0, slash + 1) + stem + "." + stamp + extension;
    }
}
