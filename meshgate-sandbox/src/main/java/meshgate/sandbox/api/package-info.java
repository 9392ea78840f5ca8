/** The HTTP side of the sandbox: one Jetty handler, its route table, authentication and the MESH endpoints. */
package meshgate.sandbox.api;
