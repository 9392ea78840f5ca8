/** Fault injection: failure kinds, settings, and the live controller of a running sandbox. */
package meshgate.sandbox.fault;
