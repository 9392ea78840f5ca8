package meshgate.sandbox.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import meshgate.protocol.AuthToken;
import meshgate.sandbox.SandboxMailbox;

/**
 * Checks the {@code Authorization: NHSMESH ...} header. Always: the token parses, names the mailbox in the path, the
 * mailbox exists and the hmac matches its password under the shared key. In strict mode also: the token's timestamp
 * is within the allowed skew of the clock (one extra minute, since tokens carry whole minutes) and the token
 * (mailbox, nonce, nonce count) was not used before within that window.
 */
public final class Authenticator {
    private final MailboxDirectory directory;
    private final String sharedKey;
    private final Duration skew;
    private final Clock clock;
    private final NonceLedger nonces;

    /** {@code strictSkew} null for the public sandbox's behaviour (no timestamp or replay checks). */
    public Authenticator(MailboxDirectory directory, String sharedKey, Duration strictSkew, Clock clock) {
        this.directory = directory;
        this.sharedKey = sharedKey;
        this.skew = strictSkew;
        this.clock = clock;
        this.nonces = strictSkew == null ? null : new NonceLedger(strictSkew.multipliedBy(2).plusMinutes(1));
    }

    /** The caller's mailbox, which must be {@code pathMailbox}; throws a 403 {@link ApiError} otherwise. */
    public SandboxMailbox authenticate(Exchange exchange, String pathMailbox) {
        SandboxMailbox mailbox = authenticate(exchange.header("Authorization"), pathMailbox);
        exchange.mailbox(mailbox.id());
        return mailbox;
    }

    SandboxMailbox authenticate(String header, String pathMailbox) {
        if (header == null || header.isBlank()) {
            throw forbidden("Error reading from Authorization header");
        }
        AuthToken token;
        try {
            token = AuthToken.parse(header);
        } catch (IllegalArgumentException e) {
            throw forbidden("Error reading from Authorization header");
        }
        if (!token.mailbox().equalsIgnoreCase(pathMailbox)) {
            throw forbidden("Mailbox id does not match token");
        }
        SandboxMailbox mailbox = directory.find(pathMailbox).orElseThrow(() -> forbidden("Invalid Authentication Token"));
        if (!token.matches(mailbox.password(), sharedKey)) {
            throw forbidden("Invalid Authentication Token");
        }
        if (skew != null) {
            checkFreshness(token, mailbox);
        }
        return mailbox;
    }

    /** Forgets used tokens (a sandbox reset). */
    public void forgetTokens() {
        if (nonces != null) {
            nonces.clear();
        }
    }

    private void checkFreshness(AuthToken token, SandboxMailbox mailbox) {
        Instant now = clock.instant();
        Instant stamped;
        try {
            stamped = token.instant();
        } catch (IllegalArgumentException e) {
            throw forbidden("Error reading from Authorization header");
        }
        if (stamped.isBefore(now.minus(skew).minusSeconds(60)) || stamped.isAfter(now.plus(skew))) {
            throw forbidden("Authentication token timestamp outside allowed window");
        }
        if (!nonces.firstUse(mailbox.id() + ":" + token.nonce() + ":" + token.nonceCount(), now)) {
            throw forbidden("Error Duplicated Authentication Token");
        }
    }

    private static ApiError forbidden(String msg) {
        return ApiError.mesh(403, "", "", msg);
    }
}
