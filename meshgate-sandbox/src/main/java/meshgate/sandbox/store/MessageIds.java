package meshgate.sandbox.store;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;

/** Message ids shaped like real MESH ones: {@code yyyyMMddHHmmssSSSSSS_XXXXXX} (UTC time, 6 upper-case hex digits). */
public final class MessageIds {
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSSSSS").withZone(ZoneOffset.UTC);

    private final Clock clock;
    private final Random random;

    public MessageIds(Clock clock, Random random) {
        this.clock = clock;
        this.random = random;
    }

    public String next() {
        Instant now = clock.instant();
        int suffix;
        synchronized (random) {
            suffix = random.nextInt(1 << 24);
        }
        return STAMP.format(now) + "_" + String.format("%06X", suffix);
    }
}
