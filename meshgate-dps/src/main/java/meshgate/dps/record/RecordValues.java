package meshgate.dps.record;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

/** Reads the typed values a {@link VaccinationRecord} holds as text; empty when the text is not in a known form. */
public final class RecordValues {
    private static final DateTimeFormatter BASIC_DATE = DateTimeFormatter.BASIC_ISO_DATE;

    private RecordValues() {
    }

    /** {@code 2012-08-18} or {@code 20120818}. */
    public static Optional<LocalDate> date(String text) {
        try {
            return Optional.of(text.length() == 8 ? LocalDate.parse(text, BASIC_DATE) : LocalDate.parse(text));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** ISO local date-time, {@code 2023-06-09T10:15:00} (seconds and fraction optional; a space may stand for T). */
    public static Optional<LocalDateTime> dateTime(String text) {
        try {
            return Optional.of(LocalDateTime.parse(text.replace(' ', 'T')));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** {@code true} or {@code false}, in any case. */
    public static Optional<Boolean> bool(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true" -> Optional.of(true);
            case "false" -> Optional.of(false);
            default -> Optional.empty();
        };
    }

    /** A positive decimal such as {@code 0.5}. */
    public static Optional<BigDecimal> positiveDecimal(String text) {
        if (!text.matches("\\d{1,6}(\\.\\d{1,6})?")) {
            return Optional.empty();
        }
        BigDecimal value = new BigDecimal(text);
        return value.signum() > 0 ? Optional.of(value) : Optional.empty();
    }
}
