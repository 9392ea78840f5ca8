package meshgate.sandbox;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/** A workflow id with the mailboxes registered to send and to receive it. */
public record SandboxWorkflow(String workflowId, List<String> senders, List<String> receivers) {
    public SandboxWorkflow {
        Objects.requireNonNull(workflowId, "workflowId");
        senders = senders.stream().map(s -> s.trim().toUpperCase(Locale.ROOT)).toList();
        receivers = receivers.stream().map(s -> s.trim().toUpperCase(Locale.ROOT)).toList();
    }

    /** The workflows of the public MESH sandbox. */
    public static List<SandboxWorkflow> defaults() {
        return List.of(
                new SandboxWorkflow("TEST_WORKFLOW", List.of("X26ABC1"), List.of("X26ABC2")),
                new SandboxWorkflow("TEST_WORKFLOW_ACK", List.of("X26ABC2"), List.of("X26ABC1", "X26ABC3")),
                new SandboxWorkflow("TEST_WORKFLOW2", List.of("X26ABC1"), List.of("X26ABC1", "X26ABC2", "X26ABC3")));
    }
}
