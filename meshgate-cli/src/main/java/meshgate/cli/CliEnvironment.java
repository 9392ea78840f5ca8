package meshgate.cli;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/**
 * What a command reads from and writes to besides its arguments: environment variables, standard input, standard
 * output as bytes (for message content), and whether a person is watching (progress is then drawn as a bar).
 */
record CliEnvironment(Map<String, String> variables, InputStream stdin, OutputStream stdout, boolean interactive) {
    CliEnvironment {
        variables = Map.copyOf(variables);
    }

    static CliEnvironment system() {
        return new CliEnvironment(System.getenv(), System.in, System.out, System.console() != null);
    }
}
