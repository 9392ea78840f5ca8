package meshgate.gateway.console;

import java.util.List;
import java.util.Optional;

/** What the console's pages show, as the templates under {@code src/main/jte/console/} take it: text ready to print. */
public final class ConsoleModel {
    private ConsoleModel() {
    }

    /**
     * What every page has: its title and place in the navigation, the session's CSRF token for its forms, whether a
     * person signs in (a token is configured), the search box's text and a one-off notice after an action.
     */
    public record Frame(String title, String current, String csrf, boolean signInRequired, String node,
            String query, Optional<Notice> notice) {
    }

    /** A message after an action: {@code ok} for done, else refused. */
    public record Notice(boolean ok, String text) {
    }

    /** One mailbox and its health as this node sees it. */
    public record Mailbox(String id, boolean paused, String reason, String since, int failedTries, String nextTry) {
    }

    /** A state and how many records are in it. */
    public record Count(String state, long count) {
    }

    /** Messages over the last hour and day: sent (accepted by MESH) and received (stored). */
    public record Throughput(long sentLastHour, long sentLastDay, String bytesSentLastDay, long receivedLastHour,
            long receivedLastDay, String bytesReceivedLastDay) {
    }

    public record Overview(List<Mailbox> mailboxes, boolean meshJobs, List<Count> outbound, List<Count> inbound,
            Throughput throughput, long inboundEventsOwed) {
    }

    /**
     * An outbound record as the lists show it. {@code failedKey} is where its file is under failed/ (empty when it is
     * not there, and so cannot be retried from here).
     */
    public record OutboundRow(long id, String key, String state, String from, String to, String workflowId,
            String localId, String messageId, String chunks, String size, String reason, String updated,
            String failedKey, String trackingStatus, String acceptedAt, String finalAt) {
        public boolean retryable() {
            return !failedKey.isEmpty();
        }
    }

    /** A list and whether it was cut to its newest {@code shown} of {@code total}. */
    public record Listing<T>(List<T> rows, int total) {
        public boolean cut() {
            return rows.size() < total;
        }
    }

    public record Outbound(Listing<OutboundRow> queued, Listing<OutboundRow> sending, Listing<OutboundRow> failed) {
    }

    public record InboundRow(String mailbox, String messageId, String state, String type, String from,
            String workflowId, String key, String size, String eventDelivered, String reason, String updated) {
    }

    public record Inbound(Listing<InboundRow> messages) {
    }

    public record Tracking(Listing<OutboundRow> accepted, Listing<OutboundRow> finished) {
    }

    /** One field of a whole record: its name and value. */
    public record Field(String name, String value) {
    }

    /** One record found, with every field. */
    public record Found(String kind, String heading, List<Field> fields, Optional<OutboundRow> retry) {
    }

    public record Search(String query, List<Found> found) {
    }

    /** The sign-in page: an error after a wrong token. */
    public record SignIn(Optional<String> error) {
    }

    /** A page that could not be shown, with why. */
    public record Problem(int status, String text) {
    }
}
