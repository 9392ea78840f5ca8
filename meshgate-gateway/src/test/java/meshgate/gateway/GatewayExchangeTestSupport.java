package meshgate.gateway;

import static meshgate.gateway.GatewayFixture.eventually;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;

/** Waiting for a received message, by local id, in a gateway's inbound folder. */
final class GatewayExchangeTestSupport {
    private GatewayExchangeTestSupport() {
    }

    static Path awaitInbound(GatewayFixture fixture, Gateway gateway, String mailbox, String localId)
            throws InterruptedException {
        Path[] found = new Path[1];
        eventually(Duration.ofSeconds(30), localId + " in inbound/" + mailbox, () -> {
            try {
                found[0] = gateway.store().list("inbound/" + mailbox + "/").stream()
                        .filter(o -> {
                            try {
                                return localId.equals(gateway.store().metadata(o.key()).get("mex-localid"));
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        })
                        .map(o -> fixture.root(mailbox).resolve(o.key()))
                        .findFirst().orElse(null);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return found[0] != null;
        });
        return found[0];
    }
}
