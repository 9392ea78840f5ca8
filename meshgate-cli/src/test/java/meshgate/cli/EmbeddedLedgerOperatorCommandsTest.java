package meshgate.cli;

import java.nio.file.Path;

/** The operator's commands on the embedded ledger, which the running gateway serves to them (H2's AUTO_SERVER). */
class EmbeddedLedgerOperatorCommandsTest extends OperatorCommandsTest {
    @Override
    String ledger(Path data) {
        return "ledger: {type: embedded, path: " + data.resolve("ledger/meshgate") + "}";
    }
}
