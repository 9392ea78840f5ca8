package meshgate.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import meshgate.gateway.ledger.InboundRecord;
import meshgate.gateway.ledger.InboundState;
import meshgate.gateway.ledger.Ledger;
import meshgate.gateway.ledger.OutboundRecord;
import meshgate.gateway.ledger.OutboundState;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "messages",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Finds the messages the gateway sent and received, in its ledger.",
            "%nA table of the matches, newest first; one match is shown whole, with its history: when it was found, "
                    + "when sending began, when MESH accepted it (its MESH message id), its tracking status and its "
                    + "state now, since when and why, and where the sent file was archived. So 'the partner never got "
                    + "export.csv' is one command: meshgate messages --search export.csv",
            "%nStates of files sent: queued, sending, accepted (awaiting the recipient's acknowledgement), "
                    + "acknowledged, undeliverable, expired, failed, superseded, adopted. Of messages received: "
                    + "listed, downloading, stored, acknowledged, failed."
        })
final class MessagesCommand implements Callable<Integer> {
    private static final java.util.regex.Pattern AGO = java.util.regex.Pattern.compile("(\\d{1,9})([smhd])");

    @Spec
    CommandSpec spec;

    @Mixin
    LedgerAccess access;

    @Option(names = "--state", paramLabel = "STATE", order = 1,
            description = "Only messages in this state, e.g. failed, accepted.")
    String state;

    @Option(names = "--mailbox", paramLabel = "ID", order = 2,
            description = "Only messages from or to this mailbox.")
    String mailbox;

    @Option(names = "--since", paramLabel = "TIME", order = 3,
            description = "Only messages changed since TIME: an instant (2026-12-07T09:00:00Z), a day (2026-12-07, "
                    + "UTC) or a time ago (30m, 2h, 7d).")
    String since;

    @Option(names = "--search", paramLabel = "TEXT", order = 4,
            description = "Only messages whose file name or key, MESH message id or local id holds TEXT (any case), "
                    + "or whose ledger id is TEXT.")
    String search;

    @Option(names = "--limit", paramLabel = "N", order = 5, defaultValue = "100",
            description = "Show at most N messages, the newest (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--json", order = 6, description = "Print one JSON object: the matches, each with its history.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Optional<Instant> after = Optional.ofNullable(since).map(MessagesCommand::parseSince);
        List<String> states = Optional.ofNullable(state).map(s -> List.of(s.toUpperCase(Locale.ROOT)))
                .orElse(List.of());
        checkState(states);
        List<MessageView> found = access.read(ledger -> find(ledger, states)).stream()
                .filter(m -> states.isEmpty() || states.contains(m.state()))
                .filter(m -> mailbox == null || m.involves(mailbox))
                .filter(m -> after.isEmpty() || !m.updatedAt().isBefore(after.get()))
                .filter(m -> search == null || m.matches(search))
                .sorted(Comparator.comparing(MessageView::updatedAt).reversed())
                .toList();
        List<MessageView> shown = found.stream().limit(Math.max(limit, 1)).toList();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectNode root = CliJson.mapper().createObjectNode();
            root.put("count", found.size());
            ArrayNode messages = root.putArray("messages");
            shown.forEach(m -> messages.add(m.toJson(CliJson.mapper())));
            out.println(CliJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(root));
        } else if (found.isEmpty()) {
            out.println("No messages match.");
        } else if (found.size() == 1) {
            found.get(0).printWhole(out);
        } else {
            printTable(out, shown);
            out.printf("%n%d message%s%s. 'meshgate messages --search TEXT' with a message id or key shows one "
                    + "whole, with its history.%n", found.size(), found.size() == 1 ? "" : "s",
                    shown.size() < found.size() ? ", the newest " + shown.size() + " shown" : "");
        }
        out.flush();
        return 0;
    }

    /** The records in {@code states} (all when none is given), read by state so that --state reads only its own. */
    private static List<MessageView> find(Ledger ledger, List<String> states) {
        OutboundState[] outbound = Arrays.stream(OutboundState.values())
                .filter(st -> states.isEmpty() || states.contains(st.name())).toArray(OutboundState[]::new);
        InboundState[] inbound = Arrays.stream(InboundState.values())
                .filter(st -> states.isEmpty() || states.contains(st.name())).toArray(InboundState[]::new);
        List<MessageView> views = new ArrayList<>();
        if (outbound.length > 0) {
            // A negative size is the ledger's note of the first start's adoption (of outbound/ itself), not a file.
            ledger.outbound(outbound).stream().filter(r -> r.size() >= 0).forEach(r -> views.add(MessageView.of(r)));
        }
        if (inbound.length > 0) {
            ledger.inbound(inbound).forEach(r -> views.add(MessageView.of(r)));
        }
        return views;
    }

    private void checkState(List<String> states) {
        List<String> known = Stream.concat(Arrays.stream(OutboundState.values()).map(Enum::name),
                Arrays.stream(InboundState.values()).map(Enum::name)).distinct().toList();
        for (String s : states) {
            if (!known.contains(s)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--state "
                        + s.toLowerCase(Locale.ROOT) + ": no such state; one of "
                        + String.join(", ", known).toLowerCase(Locale.ROOT));
            }
        }
    }

    static Instant parseSince(String text) {
        String value = text.strip();
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException notAnInstant) {
            try {
                return LocalDate.parse(value).atStartOfDay().toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notADay) {
                java.util.regex.Matcher ago = AGO.matcher(value.toLowerCase(Locale.ROOT));
                if (!ago.matches()) {
                    throw new IllegalArgumentException("--since " + text + ": give an instant "
                            + "(2026-12-07T09:00:00Z), a day (2026-12-07) or a time ago (30m, 2h, 7d)");
                }
                long amount = Long.parseLong(ago.group(1));
                Duration unit = switch (ago.group(2)) {
                    case "s" -> Duration.ofSeconds(1);
                    case "m" -> Duration.ofMinutes(1);
                    case "h" -> Duration.ofHours(1);
                    default -> Duration.ofDays(1);
                };
                return Instant.now().minus(unit.multipliedBy(amount));
            }
        }
    }

    private static void printTable(PrintWriter out, List<MessageView> messages) {
        String format = "%-4s %-6s %-13s %-24s %-8s %-8s %-36s %s%n";
        out.printf(format, "DIR", "ID", "STATE", "CHANGED", "FROM", "TO", "MESH MESSAGE ID", "KEY");
        for (MessageView m : messages) {
            out.printf(format, m.direction(), m.id(), m.state(), m.updatedAt(), dash(m.from()), dash(m.to()),
                    dash(m.messageId()), dash(m.key()));
        }
    }

    private static String dash(String value) {
        return value == null || value.isEmpty() ? "-" : value;
    }
}
