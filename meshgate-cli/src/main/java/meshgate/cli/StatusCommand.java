package meshgate.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import meshgate.gateway.config.MailboxConfig;
import meshgate.gateway.ledger.InboundRecord;
import meshgate.gateway.ledger.InboundState;
import meshgate.gateway.ledger.Ledger;
import meshgate.gateway.ledger.MailboxActivity;
import meshgate.gateway.ledger.OutboundRecord;
import meshgate.gateway.ledger.OutboundState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "status",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Shows what the gateway is doing and what needs a person, from its ledger.",
            "%nPer mailbox: its last handshake with MESH and whether it worked, how many messages its inbox held at "
                    + "the last poll, its files sending (with chunks sent), awaiting the recipient's acknowledgement "
                    + "(accepted by MESH, not yet collected) and failed, and its last error. Files not yet sent have "
                    + "no mailbox yet and are counted as queued for the gateway as a whole.",
            "%nExits with 4 when something needs a person: a failed file (see 'meshgate messages --state failed' "
                    + "and 'meshgate retry'), or a mailbox whose last handshake failed. Works with every ledger, "
                    + "while the gateway runs or not."
        })
final class StatusCommand implements Callable<Integer> {
    static final int NEEDS_A_PERSON = 4;

    @Spec
    CommandSpec spec;

    @Mixin
    LedgerAccess access;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    /** One mailbox as the ledger tells it. */
    record MailboxStatus(String mailbox, Optional<MailboxActivity> activity, List<OutboundRecord> sending,
            long awaitingAcknowledgement, List<OutboundRecord> failed, long inboundFailed) {
        boolean needsAPerson() {
            return !failed.isEmpty() || activity.map(MailboxActivity::handshakeFailed).orElse(false);
        }

        /** The latest of: a failed handshake, a failed poll, a failed file. */
        Optional<String> lastError() {
            List<Problem> problems = new ArrayList<>();
            activity.ifPresent(a -> {
                if (a.handshakeFailed()) {
                    problems.add(new Problem(a.handshakeAt(), "handshake failed: " + a.handshakeFailure()));
                }
                if (a.pollFailure() != null) {
                    problems.add(new Problem(a.pollFailedAt(), "poll failed: " + a.pollFailure()));
                }
            });
            failed.forEach(r -> problems.add(new Problem(r.updatedAt(), r.objectKey() + " failed: " + r.reason())));
            return problems.stream().filter(p -> p.at() != null).max(Comparator.comparing(Problem::at))
                    .map(p -> p.at() + " " + p.what());
        }
    }

    private record Problem(Instant at, String what) {
    }

    @Override
    public Integer call() throws Exception {
        List<String> mailboxes = access.config().mailboxes().stream().map(MailboxConfig::mailboxId).toList();
        Report report = access.read(ledger -> report(ledger, mailboxes));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(CliJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(report.toJson()));
        } else {
            report.print(out);
        }
        out.flush();
        return report.needsAPerson() ? NEEDS_A_PERSON : 0;
    }

    private static Report report(Ledger ledger, List<String> mailboxes) {
        List<OutboundRecord> active = ledger.outbound(OutboundState.QUEUED, OutboundState.SENDING,
                OutboundState.ACCEPTED, OutboundState.FAILED).stream()
                // A negative size is the ledger's note of the first start's adoption (of outbound/ itself).
                .filter(r -> r.size() >= 0).toList();
        List<InboundRecord> inboundFailed = ledger.inbound(InboundState.FAILED);
        List<MailboxStatus> statuses = new ArrayList<>();
        for (String mailbox : mailboxes) {
            statuses.add(new MailboxStatus(mailbox, ledger.mailboxActivity(mailbox),
                    from(active, mailbox, OutboundState.SENDING),
                    from(active, mailbox, OutboundState.ACCEPTED).size(),
                    from(active, mailbox, OutboundState.FAILED),
                    inboundFailed.stream().filter(r -> r.mailbox().equals(mailbox)).count()));
        }
        List<OutboundRecord> queued = active.stream().filter(r -> r.state() == OutboundState.QUEUED).toList();
        // A file that failed before its sender was known (no mex-from, an unknown mailbox) belongs to no mailbox.
        List<OutboundRecord> failedUnrouted = active.stream()
                .filter(r -> r.state() == OutboundState.FAILED && !mailboxes.contains(r.sender())).toList();
        return new Report(queued.size(), statuses, failedUnrouted);
    }

    private static List<OutboundRecord> from(List<OutboundRecord> records, String mailbox, OutboundState state) {
        return records.stream().filter(r -> r.state() == state && mailbox.equals(r.sender())).toList();
    }

    private record Report(long queued, List<MailboxStatus> mailboxes, List<OutboundRecord> failedUnrouted) {
        boolean needsAPerson() {
            return !failedUnrouted.isEmpty() || mailboxes.stream().anyMatch(MailboxStatus::needsAPerson);
        }

        long failed() {
            return failedUnrouted.size() + mailboxes.stream().mapToLong(m -> m.failed().size()).sum();
        }

        void print(PrintWriter out) {
            out.printf("Outbound: %d queued, %d sending, %d awaiting acknowledgement, %d failed%n", queued,
                    mailboxes.stream().mapToLong(m -> m.sending().size()).sum(),
                    mailboxes.stream().mapToLong(MailboxStatus::awaitingAcknowledgement).sum(), failed());
            for (MailboxStatus mailbox : mailboxes) {
                out.println();
                out.printf("Mailbox %s%s%n", mailbox.mailbox(), mailbox.needsAPerson() ? "  NEEDS A PERSON" : "");
                out.printf("  handshake:     %s%n", mailbox.activity().filter(a -> a.handshakeAt() != null)
                        .map(a -> (a.handshakeFailed() ? "FAILED" : "ok") + " at " + a.handshakeAt()
                                + (a.handshakeFailed() ? ": " + a.handshakeFailure() : ""))
                        .orElse("none recorded yet"));
                out.printf("  inbox:         %s%n", mailbox.activity().filter(a -> a.polledAt() != null)
                        .map(a -> a.inboxCount() + " message" + (a.inboxCount() == 1 ? "" : "s")
                                + " at the last poll, " + a.polledAt())
                        .orElse("no poll recorded yet"));
                out.printf("  sending:       %d%n", mailbox.sending().size());
                for (OutboundRecord sending : mailbox.sending()) {
                    out.printf("                   %s  chunk %d/%d%n", sending.objectKey(), sending.chunksAccepted(),
                            sending.chunksTotal());
                }
                out.printf("  awaiting ack:  %d%n", mailbox.awaitingAcknowledgement());
                out.printf("  failed:        %d%n", mailbox.failed().size());
                if (mailbox.inboundFailed() > 0) {
                    out.printf("  inbound failed: %d (tried again at each poll)%n", mailbox.inboundFailed());
                }
                out.printf("  last error:    %s%n", mailbox.lastError().orElse("none"));
            }
            if (!failedUnrouted.isEmpty()) {
                out.println();
                out.printf("Failed before sending began, so of no mailbox yet: %d%n", failedUnrouted.size());
                failedUnrouted.forEach(r -> out.printf("  %s: %s%n", r.objectKey(), r.reason()));
            }
            out.println();
            if (needsAPerson()) {
                out.println("Needs a person. See the failed files with 'meshgate messages --state failed', fix the "
                        + "cause, then 'meshgate retry KEY'; a failed handshake: check the mailbox's password, "
                        + "certificate and shared_key.");
            } else {
                out.println("Nothing needs a person.");
            }
        }

        ObjectNode toJson() {
            ObjectNode root = CliJson.mapper().createObjectNode();
            root.put("needs_a_person", needsAPerson());
            root.put("queued", queued);
            ArrayNode list = root.putArray("mailboxes");
            for (MailboxStatus mailbox : mailboxes) {
                ObjectNode node = list.addObject();
                node.put("mailbox", mailbox.mailbox());
                node.put("needs_a_person", mailbox.needsAPerson());
                mailbox.activity().ifPresent(a -> {
                    node.put("handshake_at", Objects.toString(a.handshakeAt(), null));
                    node.put("handshake_ok", a.handshakeAt() == null ? null : !a.handshakeFailed());
                    node.put("handshake_failure", a.handshakeFailure());
                    node.put("polled_at", Objects.toString(a.polledAt(), null));
                    node.put("inbox_count", a.inboxCount());
                    node.put("poll_failure", a.pollFailure());
                });
                ArrayNode sending = node.putArray("sending");
                mailbox.sending().forEach(r -> sending.addObject().put("id", r.id()).put("key", r.objectKey())
                        .put("chunks_accepted", r.chunksAccepted()).put("chunks_total", r.chunksTotal()));
                node.put("awaiting_acknowledgement", mailbox.awaitingAcknowledgement());
                ArrayNode failed = node.putArray("failed");
                mailbox.failed().forEach(r -> failed.addObject().put("id", r.id()).put("key", r.objectKey())
                        .put("reason", r.reason()));
                node.put("inbound_failed", mailbox.inboundFailed());
                node.put("last_error", mailbox.lastError().orElse(null));
            }
            ArrayNode unrouted = root.putArray("failed_without_mailbox");
            failedUnrouted.forEach(r -> unrouted.addObject().put("id", r.id()).put("key", r.objectKey())
                    .put("reason", r.reason()));
            return root;
        }
    }
}
