package meshgate.sandbox.api;

import java.io.IOException;

/** Handles one route; throws {@link ApiError} for MESH-shaped failures. */
@FunctionalInterface
public interface Endpoint {
    Reply handle(Exchange exchange) throws IOException;
}
