package meshgate.bench;

import java.util.ArrayList;
import java.util.List;

/** One part's figures, printed as a small table; {@link #passed} says whether its invariants held. */
final class Report {
    private static final int MAX_PROBLEMS = 10;

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

    /** Records the exactly-once count; any figure marked "must be 0" above 0 fails the run. */
    Report outcome(Deliveries.Outcome outcome) {
        row("expected / received / unique local ids", outcome.expected() + " / " + outcome.received() + " / "
                + outcome.unique());
        row("lost (must be 0)", Integer.toString(outcome.lost()));
        row("duplicates (must be 0)", Integer.toString(outcome.duplicates()));
        row("unknown local ids (must be 0)", Integer.toString(outcome.unknown()));
        row("wrong content, by SHA-256 (must be 0)", Integer.toString(outcome.wrongContent()));
        row("left in the recipient's inbox (must be 0)", Integer.toString(outcome.leftInInbox()));
        row("tracking not one acknowledged message (must be 0)", Integer.toString(outcome.trackingProblems()));
        outcome.problems().stream().limit(MAX_PROBLEMS).forEach(problem -> row("  problem", problem));
        if (outcome.problems().size() > MAX_PROBLEMS) {
            row("  problem", "... and " + (outcome.problems().size() - MAX_PROBLEMS) + " more");
        }
        if (!outcome.exactlyOnce()) {
            passed = false;
        }
        return this;
    }

    /** Records how waiting ended; a run that never settled fails, since its count may not be final. */
    Report settling(Deliveries.Settling settling) {
        row("counted after", String.format("%.1f s of waiting; %s", settling.waited().toMillis() / 1000.0,
                settling.note()));
        if (!settling.settled()) {
            fail("the run did not settle: " + settling.note());
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
