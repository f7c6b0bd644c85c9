package io.transflux.connectors.http;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Locale;

import javax.net.ssl.SSLException;

import io.netty.handler.ssl.SslHandshakeTimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * Why a TLS handshake failed, read from the JDK's exception chain, so that the first line of an error names
 * TLS and its cause without {@code -Djavax.net.debug}. Such failures are configuration, not load: they are
 * never retried. A private CA is trusted through the JVM trust store (docs/serve.md, "TLS").
 */
public enum TlsFailure {
    /** The chain does not lead to a trusted CA (self-signed, private CA, missing intermediate). */
    UNTRUSTED("TlsUntrusted", "the certificate is not trusted (unknown issuer)"),
    /** The certificate is valid but names another host. */
    NAME_MISMATCH("TlsNameMismatch", "the certificate does not match the host name"),
    /** The certificate is expired or not yet valid. */
    EXPIRED("TlsCertificateExpired", "the certificate is expired or not yet valid"),
    /** Any other handshake failure (protocol or cipher mismatch, alert from the peer). */
    HANDSHAKE("TlsHandshakeFailed", "the TLS handshake failed");

    private final String code;
    private final String reason;

    TlsFailure(String code, String reason) {
        this.code = code;
        this.reason = reason;
    }

    /** A code suffix such as {@code TlsUntrusted}. */
    public String code() {
        return code;
    }

    /** A short reason for messages, safe to show (no host, URL or certificate content). */
    public String reason() {
        return reason;
    }

    /** The failure in {@code t}'s cause chain, or null when it is not a TLS failure (a handshake timeout is not). */
    public static @Nullable TlsFailure of(@Nullable Throwable t) {
        boolean tls = false;
        TlsFailure kind = null;
        int depth = 0;
        for (Throwable c = t; c != null && depth < 16; c = c.getCause() == c ? null : c.getCause(), depth++) {
            if (c instanceof SslHandshakeTimeoutException) {
                return null;
            }
            String name = c.getClass().getName();
            String msg = c.getMessage() == null ? "" : c.getMessage().toLowerCase(Locale.ROOT);
            // ScrubbedCause copies keep the original class name at the start of their message.
            tls |= c instanceof SSLException || msg.startsWith("javax.net.ssl.");
            if (kind == null) {
                if (c instanceof CertificateExpiredException || c instanceof CertificateNotYetValidException
                        || msg.contains("certificateexpiredexception") || msg.contains("notyetvalid")) {
                    kind = EXPIRED;
                } else if (msg.contains("no subject alternative") || msg.contains("no name matching")) {
                    kind = NAME_MISMATCH;
                } else if (c instanceof CertPathBuilderException || c instanceof CertPathValidatorException
                        || name.endsWith("SunCertPathBuilderException") || msg.contains("unable to find valid certification path")
                        || msg.contains("pkix path")) {
                    kind = UNTRUSTED;
                }
            }
        }
        if (!tls) {
            return null;
        }
        return kind != null ? kind : HANDSHAKE;
    }
}
