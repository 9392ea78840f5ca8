package meshgate.sandbox.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import meshgate.sandbox.fault.FaultController;
import meshgate.sandbox.store.ExpirySweep;
import meshgate.sandbox.store.MessageIds;
import meshgate.sandbox.store.MessageStore;

/**
 * What the endpoints share: directory, messages, ids, time, auth and faults; {@code gzipOnTheFly}: v2 downloads
 * accepting gzip get plain-stored chunks gzip-encoded, as the public MESH sandbox serves them.
 */
public record SandboxContext(
        MailboxDirectory directory,
        MessageStore store,
        MessageIds ids,
        Clock clock,
        Duration messageExpiry,
        ExpirySweep expiry,
        Authenticator auth,
        FaultController faults,
        ObjectMapper json,
        boolean gzipOnTheFly) {
}
