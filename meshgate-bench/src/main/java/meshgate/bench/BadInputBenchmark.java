package meshgate.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import meshgate.gateway.Gateway;
import meshgate.gateway.ledger.OutboundRecord;
import meshgate.gateway.ledger.OutboundState;
import meshgate.sandbox.fault.FaultKind;
import meshgate.sandbox.fault.FaultSettings;

/**
 * A corpus of malformed outbound objects (metadata and content), each of which must end in {@code failed/} with a
 * clear reason, be sent correctly, or be left alone, but never be lost; then an exchange through a sandbox whose
 * answers are malformed (cut JSON, nonsense chunk ranges, lying Content-Length), which must deliver every message
 * exactly once.
 */
final class BadInputBenchmark {
    private BadInputBenchmark() {
    }

    /** One malformed input and what must become of it: FAILED (with a reason containing it), SENT, or LEFT. */
    record Case(String name, String metadata, byte[] content, String expect, String reason) {
        /** A case that must be sent carries this local id, so that its arrival is counted exactly once. */
        String localId() {
            return "bad-input-" + name;
        }
    }

    static List<Case> corpus() {
        List<Case> cases = new ArrayList<>();
        String base = "\"mex-from\": \"X26ABC1\", \"mex-workflowid\": \"TEST_WORKFLOW\"";
        String ok = base + ", \"mex-to\": \"X26ABC2\"";
        byte[] text = "NHS_NUMBER|NAME\n9434765919|Smith\n".getBytes(StandardCharsets.UTF_8);
        fail(cases, "missing-recipient", "{" + base + "}", text, "missing recipient");
        fail(cases, "empty-recipient", "{" + base + ", \"mex-to\": \"\"}", text, "missing recipient");
        fail(cases, "blank-recipient", "{" + base + ", \"mex-to\": \"   \"}", text, "missing recipient");
        fail(cases, "missing-workflow", "{\"mex-from\": \"X26ABC1\", \"mex-to\": \"X26ABC2\"}", text, "missing workflow");
        fail(cases, "no-sender-no-mapping", "{\"mex-to\": \"X26ABC2\", \"mex-workflowid\": \"W\"}", text,
                "no outbound mapping");
        fail(cases, "foreign-sender", "{\"mex-from\": \"X26XXX1\", \"mex-to\": \"X26ABC2\", \"mex-workflowid\": \"W\"}",
                text, "not a mailbox of this gateway");
        fail(cases, "unknown-recipient", "{" + base + ", \"mex-to\": \"X26NOPE9\"}", text, "Unregistered to address");
        fail(cases, "undecodable-subject", "{" + ok + ", \"mex-subject\": \"100%zz\"}", text, "URL-decoded");
        fail(cases, "undecodable-localid", "{" + ok + ", \"mex-localid\": \"%E2%82\"}", text, "URL-decoded");
        fail(cases, "oversized-subject", "{" + ok + ", \"mex-subject\": \"" + "s".repeat(501) + "\"}", text,
                "at most 500");
        fail(cases, "oversized-localid", "{" + ok + ", \"mex-localid\": \"" + "l".repeat(301) + "\"}", text,
                "at most 300");
        fail(cases, "oversized-filename", "{" + ok + ", \"mex-filename\": \"" + "f".repeat(301) + "\"}", text,
                "at most 300");
        fail(cases, "oversized-recipient", "{" + base + ", \"mex-to\": \"" + "X".repeat(101) + "\"}", text,
                "at most 100");
        fail(cases, "newline-in-subject", "{" + ok + ", \"mex-subject\": \"a%0Ab\"}", text, "control characters");
        fail(cases, "nul-in-localid", "{" + ok + ", \"mex-localid\": \"a%00b\"}", text, "control characters");
        fail(cases, "bad-encrypted-flag", "{" + ok + ", \"mex-content-encrypted\": \"maybe\"}", text, "Y or N");
        fail(cases, "bad-compress-flag", "{" + ok + ", \"mex-content-compress\": \"sometimes\"}", text, "Y or N");
        fail(cases, "brotli-encoding", "{" + ok + ", \"Content-Encoding\": \"br\"}", text, "gzip only");
        fail(cases, "fake-gzip", "{" + ok + ", \"Content-Encoding\": \"gzip\"}", text, "not gzip data");
        fail(cases, "duplicate-keys", "{" + ok + ", \"MEX-TO\": \"X26ABC3\"}", text, "given twice");
        fail(cases, "sidecar-not-json", "mex-to: X26ABC2", text, "metadata unreadable");
        fail(cases, "sidecar-array", "[\"mex-to\", \"X26ABC2\"]", text, "metadata unreadable");
        fail(cases, "sidecar-nested", "{" + ok + ", \"mex-subject\": {\"a\": 1}}", text, "metadata unreadable");
        fail(cases, "sidecar-empty", "", text, "metadata unreadable");
        fail(cases, "sidecar-truncated", "{" + ok.substring(0, 20), text, "metadata unreadable");
        fail(cases, "empty-file", "{" + ok + "}", new byte[0], "empty file");
        fail(cases, "no-metadata-at-all", null, text, "no outbound mapping");
        fail(cases, "bad-checksum", "{" + ok + ", \"mex-content-checksum\": \"md5=<script>\"}", text,
                "Invalid checksum");
        sent(cases, "mixed-case-keys", "{\"MEX-FROM\": \"x26abc1\", \"Mex-To\": \"x26abc2\", "
                + "\"MEX-WORKFLOWID\": \"TEST_WORKFLOW\"}", text);
        sent(cases, "quote-plus-subject", "{" + ok + ", \"mex-subject\": \"a+b+%24%C2%A3\"}", text);
        sent(cases, "binary-content", "{" + ok + "}", new byte[] {0, (byte) 0xff, 0x1f, (byte) 0x8b, 0});
        sent(cases, "unknown-metadata-ignored", "{" + ok + ", \"x-custom\": \"whatever\"}", text);
        sent(cases, "path-traversal-filename", "{" + ok + ", \"mex-filename\": \"..%2F..%2Fetc%2Fpasswd\"}", text);
        return cases;
    }

    private static void fail(List<Case> cases, String name, String metadata, byte[] content, String reason) {
        cases.add(new Case(name, metadata, content, "FAILED", reason));
    }

    /** A case that must be sent: its metadata (a JSON object) gets the case's local id added. */
    private static void sent(List<Case> cases, String name, String metadata, byte[] content) {
        Case plain = new Case(name, null, content, "SENT", null);
        cases.add(new Case(name, metadata.substring(0, metadata.length() - 1) + ", \"mex-localid\": \""
                + plain.localId() + "\"}", content, "SENT", null));
    }

    static Report run(Path dir) throws Exception {
        List<Case> corpus = corpus();
        Report report = new Report("bad-input corpus (" + corpus.size() + " malformed outbound objects)");
        Deliveries deliveries = new Deliveries();
        Deliveries.Settling settling;
        try (LocalMesh mesh = new LocalMesh(dir.resolve("corpus"), b -> { })) {
            try (Gateway sender = mesh.gateway("X26ABC1", "");
                    Gateway receiver = mesh.gateway("X26ABC2", "use_sender_filename: true\npoll_interval: 1s")) {
                Path outbound = Files.createDirectories(mesh.root("X26ABC1").resolve("outbound"));
                for (Case c : corpus) {
                    drop(outbound, c);
                    if (c.expect().equals("SENT")) {
                        deliveries.expect(c.localId(), c.content());
                    }
                }
                settling = deliveries.settle(deliveries.folders(mesh.root("X26ABC1"), mesh.root("X26ABC2"),
                        "X26ABC2"));
                for (Case c : corpus) {
                    String outcome = outcome(mesh, sender, c);
                    boolean handled = outcome.startsWith(c.expect())
                            && (c.reason() == null || outcome.contains(c.reason()));
                    report.row((handled ? "ok   " : "FAIL ") + c.name(), outcome);
                    if (!handled) {
                        report.fail(c.name() + ": expected " + c.expect() + (c.reason() == null ? ""
                                : " (" + c.reason() + ")"));
                    }
                }
            }
            Path escaped = mesh.dir.resolve("etc/passwd");
            if (Files.exists(escaped) || Files.exists(mesh.root("X26ABC2").resolve("etc"))) {
                report.fail("a sender file name escaped its folder");
            }
            // The cases sent arrive once each, with their bytes; the cases failed never arrive.
            return report.settling(settling).outcome(deliveries.collect(mesh, "X26ABC1", "X26ABC2"));
        }
    }

    private static void drop(Path outbound, Case c) throws java.io.IOException {
        Path file = outbound.resolve(c.name() + ".csv");
        if (c.metadata() != null) {
            Files.writeString(file.resolveSibling(file.getFileName() + ".meta.json"), c.metadata());
        }
        Path hidden = outbound.resolve("." + c.name() + ".writing");
        Files.write(hidden, c.content());
        Files.move(hidden, file);
    }

    private static String outcome(LocalMesh mesh, Gateway sender, Case c) throws Exception {
        String key = "outbound/" + c.name() + ".csv";
        Path reason = mesh.root("X26ABC1").resolve("failed/" + c.name() + ".csv.reason.txt");
        if (Files.exists(reason)) {
            boolean kept = Files.exists(mesh.root("X26ABC1").resolve("failed/" + c.name() + ".csv"));
            String why = Files.readAllLines(reason).stream().filter(l -> l.startsWith("reason: ")).findFirst()
                    .orElse("reason: ?").substring("reason: ".length());
            return "FAILED " + (kept ? "(kept) " : "(LOST!) ") + why;
        }
        for (OutboundRecord record : sender.ledger().outbound(OutboundState.values())) {
            if (record.objectKey().equals(key) && record.meshMessageId() != null) {
                return "SENT as " + record.meshMessageId();
            }
        }
        return Files.exists(mesh.root("X26ABC1").resolve(key)) ? "LEFT in outbound/" : "LOST";
    }

    /** Messages through a sandbox answering malformed responses a third of the time. */
    static Report malformedResponses(Path dir, int count) throws Exception {
        try (LocalMesh mesh = new LocalMesh(dir.resolve("malformed"), b -> b.faults(FaultSettings.failing(0.3,
                FaultKind.malformed())))) {
            Deliveries deliveries = new Deliveries();
            Report report = new Report("malformed responses (" + count + " messages, 30% of answers malformed)");
            Deliveries.Settling settling;
            try (Gateway sender = mesh.gateway("X26ABC1", "send_concurrency: 8");
                    Gateway receiver = mesh.gateway("X26ABC2", "poll_interval: 1s")) {
                deliveries.drop(mesh.root("X26ABC1").resolve("outbound"), "X26ABC1", "X26ABC2", count, 4);
                settling = deliveries.settle(deliveries.folders(mesh.root("X26ABC1"), mesh.root("X26ABC2"),
                        "X26ABC2"));
                report.row("malformed answers", mesh.sandbox.faults().injectedCounts().toString());
                report.row("retries (both gateways)", Long.toString(sender.retries() + receiver.retries()));
            }
            return report.settling(settling).outcome(deliveries.collect(mesh, "X26ABC1", "X26ABC2"));
        }
    }
}
