package meshgate.sandbox.api;

import java.util.function.Predicate;

/**
 * The inbox {@code workflow_filter}: {@code WF} exact, {@code !WF} not equal, {@code WF*} begins with, {@code !WF*}
 * does not begin with, {@code *WF*} contains, {@code !*WF*} does not contain.
 */
final class WorkflowFilter {
    private WorkflowFilter() {
    }

    static Predicate<String> parse(String filter) {
        boolean negate = filter.startsWith("!");
        String pattern = negate ? filter.substring(1) : filter;
        Predicate<String> match;
        if (pattern.length() >= 2 && pattern.startsWith("*") && pattern.endsWith("*")) {
            String part = pattern.substring(1, pattern.length() - 1);
            match = wf -> wf != null && wf.contains(part);
        } else if (pattern.endsWith("*")) {
            String prefix = pattern.substring(0, pattern.length() - 1);
            match = wf -> wf != null && wf.startsWith(prefix);
        } else {
            match = pattern::equals;
        }
        return negate ? match.negate() : match;
    }
}
