package meshgate.cli;

import java.util.concurrent.Callable;
import meshgate.client.MeshClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "validate-mailbox",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Checks that MESH accepts the mailbox and its credentials.",
            "%nRuns MESH's mailbox validation (the 'handshake'): proves that the mailbox id, password, shared key "
                    + "and client certificate are accepted, and tells MESH which client is in use. MESH asks every "
                    + "mailbox to do this once a day; the gateway does it on its own.",
            "%nPrints 'MAILBOX is valid at BASE_URL' and exits 0, or says what MESH refused and exits 1."
        })
final class ValidateMailboxCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    MeshSettings settings;

    @Override
    public Integer call() {
        try (MeshClient client = settings.client()) {
            client.handshake();
            spec.commandLine().getOut().printf("%s is valid at %s%n", client.mailbox(), settings.config().baseUrl());
        }
        return 0;
    }
}
