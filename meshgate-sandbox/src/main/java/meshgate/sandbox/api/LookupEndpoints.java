package meshgate.sandbox.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.UUID;
import meshgate.sandbox.SandboxMailbox;

/** Endpoint lookup, workflow search and ping: no authentication, as in the public sandbox. */
final class LookupEndpoints {
    private final SandboxContext ctx;

    LookupEndpoints(SandboxContext ctx) {
        this.ctx = ctx;
    }

    Reply endpointLookup(Exchange ex) {
        String ods = ex.param(0).trim();
        String workflow = ex.param(1).trim();
        if (ods.isEmpty()) {
            throw ApiError.mesh(400, "", "", "ods code missing");
        }
        if (workflow.isEmpty()) {
            throw ApiError.mesh(400, "", "", "workflow id missing");
        }
        List<SandboxMailbox> found = ctx.directory().lookup(ods, workflow);
        if (ex.version() == ApiVersion.V1) {
            ObjectNode body = ctx.json().createObjectNode().put("query_id", UUID.randomUUID().toString());
            ArrayNode results = body.putArray("results");
            found.forEach(m -> results.addObject().put("address", m.id()).put("description", m.name())
                    .put("endpoint_type", "MESH"));
            return Reply.json(200, body, ApiVersion.V1);
        }
        return Reply.json(200, mailboxes(found), ApiVersion.PLAIN_JSON);
    }

    Reply workflowSearch(Exchange ex) {
        String workflow = ex.param(0).trim();
        if (workflow.isEmpty()) {
            throw ApiError.mesh(400, "", "", "workflow id missing");
        }
        return Reply.json(200, mailboxes(ctx.directory().receivers(workflow)), ApiVersion.PLAIN_JSON);
    }

    Reply ping(Exchange ex) {
        ObjectNode body = ctx.json().createObjectNode()
                .put("env", "sandbox")
                .put("build_label", "meshgate-sandbox")
                .put("status", "running")
                .put("outcome", "Yes");
        return Reply.json(200, body, "application/json");
    }

    private ObjectNode mailboxes(List<SandboxMailbox> found) {
        ObjectNode body = ctx.json().createObjectNode();
        ArrayNode results = body.putArray("results");
        found.forEach(m -> results.addObject().put("mailbox_id", m.id()).put("mailbox_name", m.name()));
        return body;
    }
}
