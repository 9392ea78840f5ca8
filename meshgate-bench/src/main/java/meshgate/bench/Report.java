package meshgate.bench;

import java.util.ArrayList;
import java.util.List;

/** One part's figures, printed as a small table; {@link #passed} says whether its invariants held. */
final class Report {
    private final String title;
    private final List<String[]> rows = new ArrayList<>();
    private boolean passed = true;

    Report(String title) {
        this.title = title;
    }

    Report row(String measure, String value) {
        rows.add(new String[] {measure, value});
        return this;
    }

    /** Records lost, duplicates and corrupted; any of them above 0 fails the run. */
    Report outcome(Deliveries.Outcome outcome) {
        row("sent / received", outcome.sent() + " / " + outcome.received());
        row("lost (must be 0)", Integer.toString(outcome.lost()));
        row("duplicates (must be 0)", Integer.toString(outcome.duplicates()));
        row("wrong size (must be 0)", Integer.toString(outcome.corrupted()));
        if (!outcome.exactlyOnce()) {
            passed = false;
        }
        return this;
    }

    Report fail(String why) {
        row("FAILED", why);
        passed = false;
        return this;
    }

    boolean passed() {
        return passed;
    }

    void print() {
        System.out.println();
        System.out.println("== " + title + (passed ? "" : "  [FAILED]"));
        int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(10);
        for (String[] row : rows) {
            System.out.printf("  %-" + width + "s  %s%n", row[0], row[1]);
        }
        System.out.flush();
    }
}
