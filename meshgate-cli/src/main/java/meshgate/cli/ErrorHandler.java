package meshgate.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import meshgate.client.MeshAuthenticationException;
import meshgate.client.MeshException;
import meshgate.client.MeshTlsException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Prints one clear line for a failure a person can act on, and the stack trace only with {@code --verbose}.
 * Exit codes: 0 done, 1 MESH refused or failed the request (or could not be reached), 2 usage error, 3 local problem
 * (settings, files, certificates).
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {
    static final int MESH_FAILURE = 1;
    static final int USAGE = 2;
    static final int LOCAL_FAILURE = 3;

    /** Shown in every command's help. */
    static final Map<String, String> EXIT_CODES = exitCodes();

    private static Map<String, String> exitCodes() {
        Map<String, String> codes = new LinkedHashMap<>();
        codes.put("0", "done");
        codes.put("1", "MESH refused or failed the request, or could not be reached");
        codes.put("2", "usage error (an unknown option, a missing argument)");
        codes.put("3", "local problem: settings, files, certificates");
        return Collections.unmodifiableMap(codes);
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        err.println("meshgate: " + describe(e));
        if (parseResult.originalArgs().contains("--verbose")) {
            e.printStackTrace(err);
        }
        err.flush();
        return e instanceof MeshException ? MESH_FAILURE : LOCAL_FAILURE;
    }

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine commandLine = e.getCommandLine();
        PrintWriter err = commandLine.getErr();
        err.println("meshgate: " + oneLine(e.getMessage()));
        UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Try '" + commandLine.getCommandSpec().qualifiedName() + " --help'.");
        err.flush();
        return USAGE;
    }

    static String describe(Throwable e) {
        String message = e.getMessage() == null || e.getMessage().isBlank() ? e.toString() : e.getMessage();
        if (e instanceof MeshAuthenticationException) {
            message += " (check the mailbox id, its password and shared_key)";
        } else if (e instanceof MeshTlsException) {
            message += " (check certificate, private_key and ca_bundle)";
        } else if (e instanceof MeshException mesh && mesh.httpStatus() == 0) {
            message += " (check base_url or mesh_env, and that MESH can be reached from here)";
        } else if (e instanceof NoSuchFileException) {
            message = "no such file: " + message;
        } else if (e instanceof FileAlreadyExistsException) {
            message = "file exists: " + message;
        } else if (e instanceof UncheckedIOException && e.getCause() != null) {
            message += ": " + describe(e.getCause());
        }
        return oneLine(message);
    }

    private static String oneLine(String text) {
        return text.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
