package meshgate.cli;

import java.util.concurrent.Callable;
import meshgate.client.MeshClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "workflows",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Finds the mailboxes registered for a workflow.",
            "%nMESH's workflow search, across organisations.",
            "%nPrints one line per mailbox: MAILBOX_ID, a tab, the mailbox's name. Nothing found is not an error: "
                    + "nothing is printed on standard output, standard error says so, and the exit code is 0.",
            "%nExample: meshgate workflows TEST_WORKFLOW"
        })
final class WorkflowsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    MeshSettings settings;

    @Parameters(paramLabel = "WORKFLOW_ID", description = "The workflow id.")
    String workflowId;

    @Override
    public Integer call() {
        try (MeshClient client = settings.client()) {
            LookupCommand.print(spec, client.searchWorkflow(workflowId), "no mailbox is registered for "
                    + workflowId);
        }
        return 0;
    }
}
