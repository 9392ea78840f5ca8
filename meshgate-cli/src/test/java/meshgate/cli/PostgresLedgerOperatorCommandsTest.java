package meshgate.cli;

import java.nio.file.Path;
import meshgate.gateway.ledger.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The operator's commands on a PostgreSQL ledger, as several gateway nodes share it. */
class PostgresLedgerOperatorCommandsTest extends OperatorCommandsTest {
    private static TestPostgres postgres;

    @BeforeAll
    static void startPostgres() {
        postgres = TestPostgres.start();
    }

    @AfterAll
    static void stopPostgres() {
        postgres.close();
    }

    @Override
    String ledger(Path data) {
        return "ledger: {type: postgresql, jdbc_url: \"" + postgres.newDatabase() + "\", user: " + TestPostgres.USER
                + "}";
    }
}
