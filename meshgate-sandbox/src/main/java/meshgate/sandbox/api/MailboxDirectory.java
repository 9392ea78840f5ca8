package meshgate.sandbox.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import meshgate.sandbox.SandboxMailbox;
import meshgate.sandbox.SandboxWorkflow;

/**
 * The mailboxes and workflow registrations the sandbox serves: the same mailboxes for its life, though a mailbox's
 * password can be changed (as an operator rotates a real one).
 */
public final class MailboxDirectory {
    private final Map<String, SandboxMailbox> mailboxes = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
    private final List<SandboxWorkflow> workflows;

    public MailboxDirectory(List<SandboxMailbox> mailboxes, List<SandboxWorkflow> workflows) {
        mailboxes.forEach(m -> this.mailboxes.put(m.id(), m));
        this.workflows = List.copyOf(workflows);
    }

    public Optional<SandboxMailbox> find(String mailboxId) {
        return mailboxId == null ? Optional.empty()
                : Optional.ofNullable(mailboxes.get(mailboxId.trim().toUpperCase(Locale.ROOT)));
    }

    public List<SandboxMailbox> mailboxes() {
        synchronized (mailboxes) {
            return List.copyOf(mailboxes.values());
        }
    }

    /** Gives a known mailbox a new password; tokens made with the old one are refused from now on. */
    public void changePassword(String mailboxId, String password) {
        SandboxMailbox mailbox = find(mailboxId).orElseThrow(() ->
                new IllegalArgumentException("no such mailbox: " + mailboxId));
        mailboxes.put(mailbox.id(), new SandboxMailbox(mailbox.id(), mailbox.name(), mailbox.odsCode(), password));
    }

    /** The known mailboxes registered to receive {@code workflowId}. */
    public List<SandboxMailbox> receivers(String workflowId) {
        return workflows.stream()
                .filter(w -> w.workflowId().equals(workflowId))
                .flatMap(w -> w.receivers().stream())
                .distinct()
                .map(mailboxes::get)
                .filter(m -> m != null)
                .toList();
    }

    /** The receivers of {@code workflowId} whose ODS code is {@code odsCode}. */
    public List<SandboxMailbox> lookup(String odsCode, String workflowId) {
        return receivers(workflowId).stream().filter(m -> m.odsCode().equalsIgnoreCase(odsCode.trim())).toList();
    }
}
