package meshgate.cli;

import java.util.List;
import java.util.concurrent.Callable;
import meshgate.client.MeshClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "ack",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Acknowledges messages, removing them from the inbox.",
            "%nMESH removes each message from the inbox and tells its sender it was collected. Acknowledge only "
                    + "once the message is safely stored ('meshgate get ID -o FILE' first).",
            "%nPrints 'acknowledged ID' for each. Stops at the first that MESH refuses (exit 1)."
        })
final class AckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    MeshSettings settings;

    @Parameters(paramLabel = "MESSAGE_ID", arity = "1..*", description = "The MESH message ids to acknowledge.")
    List<String> messageIds;

    @Override
    public Integer call() {
        try (MeshClient client = settings.client()) {
            for (String id : messageIds) {
                client.acknowledge(id);
                spec.commandLine().getOut().println("acknowledged " + id);
            }
        }
        return 0;
    }
}
