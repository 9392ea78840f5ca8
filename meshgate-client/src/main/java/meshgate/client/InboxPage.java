package meshgate.client;

import java.util.List;
import java.util.Optional;

/**
 * One page of an inbox listing: message ids in MESH's order, the path of the next page when there is one, and MESH's
 * approximate count of messages in the inbox (eventually consistent).
 */
public record InboxPage(List<String> messageIds, Optional<String> nextPage, long approximateCount) {
    public InboxPage {
        messageIds = List.copyOf(messageIds);
    }
}
