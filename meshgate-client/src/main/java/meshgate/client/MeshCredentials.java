package meshgate.client;

import java.util.Objects;

/**
 * A mailbox's credentials: its id and password, and the environment's shared key that signs each request's token.
 * {@link #toString()} never shows the secrets.
 */
public record MeshCredentials(String mailbox, String password, String sharedKey) {
    public MeshCredentials {
        Objects.requireNonNull(mailbox, "mailbox");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(sharedKey, "sharedKey");
        mailbox = mailbox.trim().toUpperCase(java.util.Locale.ROOT);
        if (mailbox.isEmpty()) {
            throw new IllegalArgumentException("mailbox must not be empty");
        }
    }

    @Override
    public String toString() {
        return "MeshCredentials[mailbox=" + mailbox + ", password=***, sharedKey=***]";
    }
}
