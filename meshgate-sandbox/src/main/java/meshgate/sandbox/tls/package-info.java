/** A local certificate authority and TLS contexts for HTTPS with client certificates, usable by any test. */
package meshgate.sandbox.tls;
