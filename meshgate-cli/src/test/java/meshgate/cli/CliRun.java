package meshgate.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;

/** One run of the meshgate command in this JVM, through the same error handling as {@link Main}. */
record CliRun(int exitCode, String out, String err, byte[] stdoutBytes) {
    static CliRun run(Map<String, String> environment, byte[] stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        CommandLine commandLine = Main.commandLine(new CliEnvironment(environment, new ByteArrayInputStream(stdin),
                stdout, false), Main.subcommandsFor(args));
        commandLine.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        int exit = commandLine.execute(args);
        return new CliRun(exit, out.toString(), err.toString(), stdout.toByteArray());
    }

    static CliRun run(Map<String, String> environment, String... args) {
        return run(environment, new byte[0], args);
    }

    String stdoutText() {
        return new String(stdoutBytes, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
    }
}
