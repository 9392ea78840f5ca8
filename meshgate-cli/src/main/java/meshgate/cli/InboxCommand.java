package meshgate.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import meshgate.client.InboxPage;
import meshgate.client.InboxQuery;
import meshgate.client.MeshClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "inbox",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Lists the messages waiting in the inbox.",
            "%nFollows MESH's pages to the end. Prints one message id per line on standard output, so that a "
                    + "script can loop over them, and a summary with MESH's approximate inbox count on standard "
                    + "error. With --json, prints MESH's own inbox answer instead, with the ids of every page:",
            "  {\"messages\": [\"ID1\", \"ID2\"],",
            "   \"links\": {\"self\": \"/messageexchange/X26ABC1/inbox\"}, \"approx_inbox_count\": 2}",
            "%nMESH asks clients to check an inbox no more often than every 5 minutes.",
            "%nExample:",
            "  for id in $(meshgate inbox); do",
            "    meshgate get \"$id\" -o \"in/$id.dat\" && meshgate ack \"$id\"",
            "  done"
        })
final class InboxCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    MeshSettings settings;

    @Option(names = "--workflow", paramLabel = "FILTER",
            description = "Only messages of these workflows, in MESH's syntax: WF exact, WF* begins with, *WF* "
                    + "contains, !WF not.")
    String workflow;

    @Option(names = "--json", description = "Print one JSON object instead of one id per line.")
    boolean json;

    private static final int DEFAULT_PAGE_SIZE = 500;

    @Option(names = "--page-size", paramLabel = "N", defaultValue = "" + DEFAULT_PAGE_SIZE,
            description = "Message ids asked of MESH per page, 10 to 5000 (default: ${DEFAULT-VALUE}; MESH serves "
                    + "at most 500).")
    int pageSize;

    @Override
    public Integer call() throws Exception {
        InboxQuery query = new InboxQuery(pageSize, Optional.ofNullable(workflow));
        List<String> ids = new ArrayList<>();
        long approximateCount;
        String mailbox;
        try (MeshClient client = settings.client()) {
            mailbox = client.mailbox();
            InboxPage page = client.inboxPage(query);
            approximateCount = page.approximateCount();
            ids.addAll(page.messageIds());
            while (page.nextPage().isPresent()) {
                page = client.inboxPage(page.nextPage().get());
                ids.addAll(page.messageIds());
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            // MESH's own shape, so that scripts written against MESH's answers read it unchanged; no links.next,
            // since every page has been followed.
            ObjectNode result = CliJson.mapper().createObjectNode();
            ArrayNode messages = result.putArray("messages");
            ids.forEach(messages::add);
            // As MESH writes it: only the query that differs from the defaults (max_results 500, no filter)
            List<String> selfQuery = new ArrayList<>();
            if (pageSize != DEFAULT_PAGE_SIZE) {
                selfQuery.add("max_results=" + pageSize);
            }
            if (workflow != null) {
                selfQuery.add("workflow_filter=" + URLEncoder.encode(workflow, StandardCharsets.UTF_8));
            }
            result.putObject("links").put("self", "/messageexchange/" + mailbox + "/inbox"
                    + (selfQuery.isEmpty() ? "" : "?" + String.join("&", selfQuery)));
            result.put("approx_inbox_count", approximateCount);
            out.println(CliJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(result));
        } else {
            ids.forEach(out::println);
            spec.commandLine().getErr().printf("%d message%s listed in %s's inbox (MESH's approximate count: %d)%n",
                    ids.size(), ids.size() == 1 ? "" : "s", mailbox, approximateCount);
        }
        return 0;
    }
}
