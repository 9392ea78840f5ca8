package meshgate.cli;

import meshgate.client.MeshException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Prints one clear line for a failure a person can act on, and the stack trace only with {@code --verbose}.
 * Exit codes: 1 MESH refused or failed the request, 2 usage error (picocli), 3 local problem (files, settings).
 */
final class ErrorHandler implements IExecutionExceptionHandler {
    static final int MESH_FAILURE = 1;
    static final int LOCAL_FAILURE = 3;

    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, ParseResult parseResult) {
        boolean verbose = parseResult.originalArgs().contains("--verbose");
        commandLine.getErr().println("meshgate: " + e.getMessage());
        if (verbose) {
            e.printStackTrace(commandLine.getErr());
        }
        return e instanceof MeshException ? MESH_FAILURE : LOCAL_FAILURE;
    }
}
