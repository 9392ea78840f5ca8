package meshgate.cli;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The commands' JSON mapper, made when a command first prints JSON: picocli makes every command at start-up, and
 * {@code --version} or another command's run should not pay for Jackson's.
 */
final class CliJson {
    private CliJson() {
    }

    static ObjectMapper mapper() {
        return Holder.JSON;
    }

    private static final class Holder {
        static final ObjectMapper JSON = new ObjectMapper();
    }
}
