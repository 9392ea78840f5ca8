package meshgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SandboxCommandTest {
    @TempDir
    Path dir;

    @Test
    void theAdminTokenComesFromItsFileElseFromTheEnvironment() throws Exception {
        Path file = Files.writeString(dir.resolve("admin-token"), "from-file\n");
        Map<String, String> variables = Map.of(SandboxCommand.ADMIN_TOKEN_VARIABLE, "from-variable");
        assertThat(SandboxCommand.adminToken(file, variables)).contains("from-file");
        assertThat(SandboxCommand.adminToken(null, variables)).contains("from-variable");
        assertThat(SandboxCommand.adminToken(null, Map.of())).isEmpty();
    }
}
