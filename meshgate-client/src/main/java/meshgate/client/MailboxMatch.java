package meshgate.client;

/** A mailbox found by endpoint lookup or workflow search. */
public record MailboxMatch(String mailboxId, String mailboxName) {
}
