/** Messages and their chunks, in memory or in a folder, and the expiry sweep that applies MESH's time limits. */
package meshgate.sandbox.store;
