package meshgate.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import meshgate.protocol.MeshHeaders;
import meshgate.sandbox.SandboxMailbox;
import meshgate.sandbox.fault.FaultKind;
import meshgate.sandbox.fault.FaultSettings;
import meshgate.sandbox.store.MessageStatus;
import meshgate.sandbox.store.Reports;
import meshgate.sandbox.store.StoredMessage;

/** Test-only endpoints: no authentication, never faulted. See the module README for their contract. */
final class AdminEndpoints {
    private final SandboxContext ctx;
    private final SendEndpoints send;
    private final TrackingView view;

    AdminEndpoints(SandboxContext ctx, SendEndpoints send) {
        this.ctx = ctx;
        this.send = send;
        this.view = new TrackingView(ctx);
    }

    /** {@code POST|DELETE /admin/reset}, {@code GET|POST /messageexchange/reset}: forget every message. */
    Reply reset(Exchange ex) {
        ctx.store().clear();
        ctx.auth().forgetTokens();
        return Reply.json(200, ctx.json().createObjectNode().put("message", "all mailboxes reset"), "application/json");
    }

    /** {@code DELETE /admin/reset/{mailbox}}, {@code GET|POST /messageexchange/reset/{mailbox}}: one mailbox. */
    Reply resetMailbox(Exchange ex) {
        String mailbox = ex.mailboxParam(0);
        if (ctx.directory().find(mailbox).isEmpty()) {
            throw ApiError.mesh(404, "", "", "mailbox does not exist");
        }
        ctx.store().clear(mailbox);
        return Reply.json(200, ctx.json().createObjectNode().put("message", "mailbox " + mailbox + " reset"),
                "application/json");
    }

    /**
     * {@code GET /admin/message/{id}}: a stored message, whoever sent or received it, in the public sandbox's shape;
     * 404 if unknown.
     */
    Reply message(Exchange ex) {
        StoredMessage message = ctx.store().find(ex.messageIdParam(0)).orElseThrow(() -> ApiError.bare(404));
        return Reply.json(200, view.details(message), "application/json");
    }

    /**
     * {@code POST /admin/message/{id}/event}: give a message a new status, as if MESH had moved it on. JSON:
     * {@code status} (accepted, acknowledged, error, undeliverable), {@code code}, {@code event}, {@code description}.
     */
    Reply messageEvent(Exchange ex) throws IOException {
        String messageId = ex.messageIdParam(0);
        JsonNode body = readJson(ex);
        if (ctx.store().find(messageId).isEmpty()) {
            throw ApiError.bare(404);
        }
        String status = orDefault(text(body, "status"), "").toLowerCase(Locale.ROOT);
        String code = text(body, "code");
        String event = text(body, "event");
        String description = text(body, "description");
        Instant now = ctx.clock().instant();
        UnaryOperator<StoredMessage> change = switch (status) {
            case "accepted" -> m -> m.with(m.state().accepted(now, m.state().arrival() > 0 ? m.state().arrival()
                    : ctx.store().nextArrival()).withStatusFields(code, event, description, now));
            case "acknowledged" -> m -> m.with(m.state().acknowledged(now)
                    .withStatusFields(code, event, description, now));
            case "error" -> m -> m.with(m.state().failed(MessageStatus.ERROR, now, code, event, description));
            case "undeliverable" -> m -> m.with(m.state().failed(MessageStatus.UNDELIVERABLE, now, code, event,
                    description));
            default -> throw ApiError.invalid("body", "status", "status must be accepted, acknowledged, error or "
                    + "undeliverable");
        };
        ctx.store().update(messageId, change);
        return Reply.empty(200);
    }

    /** {@code GET /messageexchange/mailbox/{id}} (and its admin spellings): a mailbox's details; 404 if unknown. */
    Reply mailbox(Exchange ex) {
        SandboxMailbox mailbox = ctx.directory().find(ex.mailboxParam(0)).orElseThrow(() -> ApiError.bare(404));
        ObjectNode node = ctx.json().createObjectNode()
                .put("mailbox_id", mailbox.id())
                .put("mailbox_name", mailbox.name())
                // the public sandbox's mailboxes are all billed to England; its organisation code is the ODS code
                .put("billing_entity", "England")
                .put("ods_code", mailbox.odsCode())
                .put("org_code", mailbox.odsCode())
                .put("org_name", "")
                .put("active", true);
        return Reply.json(200, node, "application/json");
    }

    /** {@code POST /admin/messages}: deliver a DATA message straight into an inbox. */
    Reply injectMessage(Exchange ex) throws IOException {
        String to = MexHeaders.required(ex, MeshHeaders.TO);
        MexHeaders.required(ex, MeshHeaders.WORKFLOW_ID);
        MexHeaders.validateSend(ex);
        SandboxMailbox recipient = ctx.directory().find(to).orElseThrow(ApiError::unregisteredRecipient);
        String from = MexHeaders.trimmedOrNull(ex, MeshHeaders.FROM);
        String sender = from == null ? null : from.toUpperCase(Locale.ROOT);
        StoredMessage message = send.receive(ex, sender, recipient.id(), MexHeaders.contentEncoding(ex), 1);
        return Reply.json(201, ctx.json().createObjectNode().put("message_id", message.id()), ApiVersion.V2);
    }

    /**
     * {@code POST /messageexchange/report}: put a REPORT in {@code mailbox_id}'s inbox. JSON fields: mailbox_id,
     * code, description, workflow_id, subject, local_id, status (error|undeliverable), file_name, linked_message_id.
     * A known linked message takes the report's status, so its tracking shows it.
     */
    Reply injectReport(Exchange ex) throws IOException {
        JsonNode body = readJson(ex);
        SandboxMailbox mailbox = ctx.directory().find(text(body, "mailbox_id"))
                .orElseThrow(ApiError::unregisteredRecipient);
        MessageStatus status = "error".equalsIgnoreCase(text(body, "status")) ? MessageStatus.ERROR
                : MessageStatus.UNDELIVERABLE;
        String code = orDefault(text(body, "code"), "14");
        String description = orDefault(text(body, "description"), ctx.expiry().undeliveredDescription());
        String linked = text(body, "linked_message_id");
        Instant now = ctx.clock().instant();
        StoredMessage report = Reports.report(ctx.ids().next(), mailbox.id(), text(body, "workflow_id"),
                text(body, "subject"), text(body, "local_id"), text(body, "file_name"), linked, now,
                ctx.store().nextArrival(), code, "SEND", description);
        ctx.store().add(report);
        if (linked != null) {
            ctx.store().update(linked, m -> m.with(m.state().failed(status, now, code, "SEND", description)));
        }
        return Reply.json(200, ctx.json().createObjectNode().put("message_id", report.id()), ApiVersion.V2);
    }

    /** {@code POST /admin/expire}: run the expiry sweep now. */
    Reply expire(Exchange ex) {
        return Reply.json(200, ctx.json().createObjectNode().put("expired", ctx.expiry().run()), "application/json");
    }

    /** {@code GET /admin/faults}. */
    Reply faults(Exchange ex) {
        return Reply.json(200, faultsJson(), "application/json");
    }

    /** {@code PUT /admin/faults}: fields present replace the current ones; {@code reset_counts: true} zeroes counts. */
    Reply updateFaults(Exchange ex) throws IOException {
        JsonNode body = readJson(ex);
        FaultSettings current = ctx.faults().settings();
        try {
            FaultSettings updated = new FaultSettings(
                    body.path("failure_rate").asDouble(current.failureRate()),
                    body.has("latency_ms") ? Duration.ofMillis(body.get("latency_ms").asLong()) : current.latency(),
                    body.has("kinds") ? kinds(body.get("kinds")) : current.kinds(),
                    body.path("seed").asLong(current.seed()));
            ctx.faults().update(updated);
        } catch (IllegalArgumentException e) {
            throw ApiError.mesh(400, "", "", e.getMessage());
        }
        if (body.path("reset_counts").asBoolean(false)) {
            ctx.faults().resetCounts();
        }
        return Reply.json(200, faultsJson(), "application/json");
    }

    private ObjectNode faultsJson() {
        FaultSettings s = ctx.faults().settings();
        ObjectNode node = ctx.json().createObjectNode();
        node.put("failure_rate", s.failureRate());
        node.put("latency_ms", s.latency().toMillis());
        ArrayNode kinds = node.putArray("kinds");
        s.kinds().stream().sorted().forEach(k -> kinds.add(k.name()));
        node.put("seed", s.seed());
        ObjectNode injected = node.putObject("injected");
        for (Map.Entry<FaultKind, Long> e : ctx.faults().injectedCounts().entrySet()) {
            injected.put(e.getKey().name(), e.getValue());
        }
        return node;
    }

    private static Set<FaultKind> kinds(JsonNode node) {
        Set<FaultKind> kinds = EnumSet.noneOf(FaultKind.class);
        node.forEach(k -> kinds.add(FaultKind.valueOf(k.asText().trim().toUpperCase(Locale.ROOT))));
        return kinds;
    }

    private JsonNode readJson(Exchange ex) throws IOException {
        try {
            JsonNode node = ctx.json().readTree(ex.body());
            if (node == null || !node.isObject()) {
                throw ApiError.mesh(400, "", "", "expected a JSON object");
            }
            return node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ApiError.mesh(400, "", "", "invalid JSON: " + e.getOriginalMessage());
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || value.asText().isBlank() ? null : value.asText().trim();
    }

    private static String orDefault(String value, String fallback) {
        return value == null ? fallback : value;
    }
}
