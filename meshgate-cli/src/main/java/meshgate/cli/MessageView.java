package meshgate.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import meshgate.gateway.ledger.InboundRecord;
import meshgate.gateway.ledger.InboundState;
import meshgate.gateway.ledger.OutboundRecord;
import meshgate.gateway.ledger.OutboundState;

/**
 * A message of the ledger as {@code meshgate messages} shows it, sent or received: what identifies it, its fields, and
 * its history. The ledger keeps a record's state now and the times of its milestones (recorded, sending started,
 * accepted by MESH, last changed), not every state it passed through: the history is made of those.
 */
record MessageView(String direction, String id, String state, String key, String messageId, String from, String to,
        String localId, Instant updatedAt, Map<String, Object> fields, List<Step> history) {

    /** One point of the history: when, the state it reached, and what the ledger says of it. */
    record Step(Instant at, String state, String note) {
    }

    static MessageView of(OutboundRecord r) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("id", r.id());
        fields.put("key", r.objectKey());
        fields.put("state", r.state().name());
        put(fields, "from", r.sender());
        put(fields, "to", r.recipient());
        put(fields, "workflow_id", r.workflowId());
        put(fields, "local_id", r.localId());
        put(fields, "message_id", r.meshMessageId());
        put(fields, "tracking_status", r.trackingStatus());
        if (r.chunksTotal() > 0) {
            fields.put("chunks", r.chunksAccepted() + "/" + r.chunksTotal());
        }
        fields.put("size", r.size());
        fields.put("attempts", r.attempts());
        put(fields, "sent_key", r.sentKey() == null || r.sentKey().isEmpty() ? null : r.sentKey());
        put(fields, "reason", r.reason());
        put(fields, "accepted_at", instant(r.acceptedAt()));
        if (r.state() == OutboundState.ACKNOWLEDGED) {
            fields.put("acknowledged_at", r.updatedAt().toString());
        }
        fields.put("created_at", r.createdAt().toString());
        fields.put("updated_at", r.updatedAt().toString());

        List<Step> steps = new ArrayList<>();
        steps.add(new Step(r.createdAt(), OutboundState.QUEUED.name(), "found as " + r.objectKey() + " ("
                + r.size() + " bytes)"));
        if (r.startedAt() != null) {
            steps.add(new Step(r.startedAt(), OutboundState.SENDING.name(), "sending began, from " + dash(r.sender())
                    + " to " + dash(r.recipient()) + ", workflow " + dash(r.workflowId())));
        }
        if (r.acceptedAt() != null) {
            steps.add(new Step(r.acceptedAt(), OutboundState.ACCEPTED.name(), "MESH accepted it as message "
                    + r.meshMessageId() + (r.sentKey() == null || r.sentKey().isEmpty() ? ""
                            : "; the file was archived as " + r.sentKey())));
        }
        Step last = steps.get(steps.size() - 1);
        List<String> now = new ArrayList<>();
        if (r.trackingStatus() != null && r.state() != OutboundState.QUEUED) {
            now.add("tracking status " + r.trackingStatus());
        }
        if (r.state() == OutboundState.SENDING && r.chunksTotal() > 0) {
            now.add("chunk " + r.chunksAccepted() + "/" + r.chunksTotal() + " sent");
        }
        if (r.reason() != null) {
            now.add(r.reason());
        }
        if (!last.state().equals(r.state().name())) {
            steps.add(new Step(r.updatedAt(), r.state().name(), now.isEmpty() ? "last change" : String.join("; ", now)));
        } else {
            // Still in the state of its last milestone: what changed since is said there, tracking aside.
            List<String> since = now.stream().filter(n -> !n.startsWith("tracking status")).toList();
            if (!since.isEmpty()) {
                steps.set(steps.size() - 1, new Step(last.at(), last.state(), last.note() + "; "
                        + String.join("; ", since)));
            }
        }
        steps.sort(Comparator.comparing(Step::at));
        return new MessageView("out", Long.toString(r.id()), r.state().name(), r.objectKey(), r.meshMessageId(),
                r.sender(), r.recipient(), r.localId(), r.updatedAt(), fields, List.copyOf(steps));
    }

    static MessageView of(InboundRecord r) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("mailbox", r.mailbox());
        fields.put("message_id", r.messageId());
        fields.put("state", r.state().name());
        put(fields, "from", r.sender());
        put(fields, "workflow_id", r.workflowId());
        put(fields, "message_type", r.messageType());
        put(fields, "key", r.objectKey());
        fields.put("size", r.size());
        fields.put("attempts", r.attempts());
        put(fields, "reason", r.reason());
        if (r.state() == InboundState.ACKNOWLEDGED) {
            fields.put("acknowledged_at", r.updatedAt().toString());
        }
        fields.put("created_at", r.createdAt().toString());
        fields.put("updated_at", r.updatedAt().toString());
        List<Step> steps = new ArrayList<>();
        steps.add(new Step(r.createdAt(), InboundState.LISTED.name(), "listed in the inbox of " + r.mailbox()));
        if (r.state() != InboundState.LISTED || r.updatedAt().isAfter(r.createdAt())) {
            List<String> now = new ArrayList<>();
            if (r.objectKey() != null) {
                now.add("stored as " + r.objectKey() + " (" + r.size() + " bytes)");
            }
            if (r.state() == InboundState.ACKNOWLEDGED) {
                now.add("acknowledged to MESH");
            }
            if (r.reason() != null) {
                now.add(r.reason());
            }
            steps.add(new Step(r.updatedAt(), r.state().name(), now.isEmpty() ? "last change" : String.join("; ", now)));
        }
        return new MessageView("in", "-", r.state().name(), r.objectKey(), r.messageId(), r.sender(), r.mailbox(),
                null, r.updatedAt(), fields, List.copyOf(steps));
    }

    boolean involves(String mailbox) {
        return mailbox.equalsIgnoreCase(String.valueOf(from)) || mailbox.equalsIgnoreCase(String.valueOf(to));
    }

    /** TEXT in the key or file name, the MESH message id or the local id (any case), or TEXT the ledger id. */
    boolean matches(String text) {
        String wanted = text.toLowerCase(Locale.ROOT);
        return (direction.equals("out") && id.equals(text.strip())) || Stream.of(key, messageId, localId, fields.get("sent_key"))
                .filter(v -> v != null).map(Object::toString).anyMatch(v -> v.toLowerCase(Locale.ROOT).contains(wanted));
    }

    void printWhole(PrintWriter out) {
        out.printf("%s message%s%n", direction.equals("out") ? "Sent" : "Received",
                direction.equals("out") ? " " + id + ": " + key : " " + messageId + " for " + to);
        int width = fields.keySet().stream().mapToInt(String::length).max().orElse(0) + 1;
        fields.forEach((name, value) -> out.printf("  %-" + width + "s %s%n", name + ":", value));
        out.println("History:");
        for (Step step : history) {
            out.printf("  %-24s %-13s %s%n", step.at(), step.state(), step.note());
        }
    }

    ObjectNode toJson(ObjectMapper json) {
        ObjectNode node = json.createObjectNode();
        node.put("direction", direction.equals("out") ? "outbound" : "inbound");
        fields.forEach((name, value) -> node.set(name, json.valueToTree(value)));
        ArrayNode steps = node.putArray("history");
        history.forEach(step -> steps.addObject().put("at", step.at().toString()).put("state", step.state())
                .put("note", step.note()));
        return node;
    }

    private static void put(Map<String, Object> fields, String name, String value) {
        if (value != null) {
            fields.put(name, value);
        }
    }

    private static String instant(Instant value) {
        return value == null ? null : value.toString();
    }

    private static String dash(String value) {
        return value == null ? "?" : value;
    }
}
