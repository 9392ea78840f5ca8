package meshgate.sandbox.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** Remembers recently used tokens (mailbox, nonce, nonce count) so a replay within the window is refused. */
final class NonceLedger {
    private static final int MAX_ENTRIES = 200_000;

    private final Duration window;
    private final Map<String, Instant> seen = new LinkedHashMap<>();

    NonceLedger(Duration window) {
        this.window = window;
    }

    /** Records the token; false when it was already used within the window. */
    synchronized boolean firstUse(String key, Instant now) {
        Instant oldest = now.minus(window);
        Iterator<Map.Entry<String, Instant>> it = seen.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Instant> entry = it.next();
            if (entry.getValue().isAfter(oldest) && seen.size() <= MAX_ENTRIES) {
                break;
            }
            it.remove();
        }
        if (seen.containsKey(key)) {
            return false;
        }
        seen.put(key, now);
        return true;
    }

    synchronized void clear() {
        seen.clear();
    }
}
