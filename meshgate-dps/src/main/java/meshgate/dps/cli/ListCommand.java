package meshgate.dps.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import meshgate.dps.DpsService;
import meshgate.dps.export.DpsExport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "list",
        mixinStandardHelpOptions = true,
        description = {
            "Lists the DPS exports in the ledger, newest first: id, programme, status (pending, accepted,",
            "acknowledged, undeliverable, expired, failed), records, when sent, MESH message id, file name, reason."
        })
final class ListCommand implements Callable<Integer> {
    private static final String ROW = "%-6s %-12s %-13s %7s  %-24s %-36s %-36s %s%n";

    @Mixin
    SettingsOption settings;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (DpsService dps = settings.open()) {
            List<DpsExport> exports = dps.ledger().list();
            if (exports.isEmpty()) {
                out.println("No DPS exports yet.");
                return DpsCommand.OK;
            }
            out.printf(ROW, "ID", "PROGRAMME", "STATUS", "RECORDS", "SENT_AT", "MESSAGE_ID", "FILENAME", "REASON");
            for (DpsExport e : exports) {
                out.printf(ROW, e.id(), e.programme(), e.status().text(), e.recordCount(),
                        e.sentAt().map(Object::toString).orElse("-"), e.meshMessageId().orElse("-"), e.filename(),
                        e.statusReason().orElse(""));
            }
            return DpsCommand.OK;
        }
    }
}
