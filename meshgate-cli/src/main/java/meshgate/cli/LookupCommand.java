package meshgate.cli;

import java.util.List;
import java.util.concurrent.Callable;
import meshgate.client.MailboxMatch;
import meshgate.client.MeshClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "lookup",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Finds an organisation's mailboxes for a workflow.",
            "%nMESH's endpoint lookup: who to send to when you know the organisation's ODS code and the "
                    + "workflow id.",
            "%nPrints one line per mailbox: MAILBOX_ID, a tab, the mailbox's name. Nothing found is not an error: "
                    + "nothing is printed on standard output, standard error says so, and the exit code is 0.",
            "%nExample: meshgate lookup X26 TEST_WORKFLOW"
        })
final class LookupCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    MeshSettings settings;

    @Parameters(index = "0", paramLabel = "ODS_CODE", description = "The organisation's ODS code.")
    String odsCode;

    @Parameters(index = "1", paramLabel = "WORKFLOW_ID", description = "The workflow id.")
    String workflowId;

    @Override
    public Integer call() {
        try (MeshClient client = settings.client()) {
            print(spec, client.lookupEndpoint(odsCode, workflowId), "no mailbox of " + odsCode + " receives "
                    + workflowId);
        }
        return 0;
    }

    static void print(CommandSpec spec, List<MailboxMatch> matches, String none) {
        for (MailboxMatch match : matches) {
            spec.commandLine().getOut().println(match.mailboxId() + "\t" + match.mailboxName());
        }
        if (matches.isEmpty()) {
            spec.commandLine().getErr().println(none);
        }
    }
}
