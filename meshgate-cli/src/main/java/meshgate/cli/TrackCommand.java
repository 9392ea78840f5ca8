package meshgate.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import meshgate.client.MeshClient;
import meshgate.client.TrackingInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "track",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Shows the delivery status of a message you sent.",
            "%nMESH's tracking of a message this mailbox sent. Status is one of: uploading (not all chunks sent), "
                    + "accepted (waiting in the recipient's inbox), acknowledged (the recipient collected it), "
                    + "undeliverable, expired (not collected in time; a non-delivery report is in your inbox), error.",
            "%nPrints 'status: accepted' and then one 'field: value' line per detail, or one JSON object with "
                    + "--json."
        })
final class TrackCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    MeshSettings settings;

    @Parameters(paramLabel = "MESSAGE_ID", description = "The MESH message id that 'meshgate send' printed.")
    String messageId;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        TrackingInfo info;
        try (MeshClient client = settings.client()) {
            info = client.track(messageId);
        }
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("status", info.status().name().toLowerCase(Locale.ROOT));
        fields.put("message_id", info.messageId().isEmpty() ? messageId : info.messageId());
        put(fields, "status_code", info.statusCode());
        put(fields, "status_event", info.statusEvent());
        put(fields, "status_description", info.statusDescription());
        put(fields, "recipient", info.recipient());
        put(fields, "workflow_id", info.workflowId());
        put(fields, "local_id", info.localId());
        put(fields, "filename", info.fileName());
        put(fields, "upload_timestamp", info.uploadTimestamp());
        put(fields, "expiry_time", info.expiryTime());
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectNode node = CliJson.mapper().createObjectNode();
            fields.forEach(node::put);
            out.println(CliJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(node));
        } else {
            fields.forEach((name, value) -> out.println(name + ": " + value));
        }
        return 0;
    }

    private static void put(Map<String, String> fields, String name, Optional<String> value) {
        value.ifPresent(v -> fields.put(name, v));
    }
}
