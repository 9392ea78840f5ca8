package meshgate.client;

import java.util.Optional;

/**
 * Parameters of an inbox listing. {@code maxResults} is 10 to 5000 (MESH serves at most 500 a page whatever is asked);
 * {@code workflowFilter} uses MESH's syntax: {@code WF} exact, {@code !WF} not, {@code WF*} begins with,
 * {@code *WF*} contains, and their negations.
 */
public record InboxQuery(int maxResults, Optional<String> workflowFilter) {
    public static final int DEFAULT_MAX_RESULTS = 500;

    public InboxQuery {
        if (maxResults < 10 || maxResults > 5000) {
            throw new IllegalArgumentException("maxResults must be between 10 and 5000");
        }
    }

    public static InboxQuery all() {
        return new InboxQuery(DEFAULT_MAX_RESULTS, Optional.empty());
    }

    public static InboxQuery workflow(String filter) {
        return new InboxQuery(DEFAULT_MAX_RESULTS, Optional.of(filter));
    }

    public InboxQuery withMaxResults(int value) {
        return new InboxQuery(value, workflowFilter);
    }
}
