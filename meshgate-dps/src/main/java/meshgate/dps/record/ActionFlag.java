package meshgate.dps.record;

import java.util.Locale;
import java.util.Optional;

/** What DPS is to do with a record: ACTION_FLAG, written in lower case. */
public enum ActionFlag {
    NEW, UPDATE, DELETE;

    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The flag written as {@code text}, in any case. */
    public static Optional<ActionFlag> parse(String text) {
        for (ActionFlag flag : values()) {
            if (flag.text().equalsIgnoreCase(text.strip())) {
                return Optional.of(flag);
            }
        }
        return Optional.empty();
    }
}
