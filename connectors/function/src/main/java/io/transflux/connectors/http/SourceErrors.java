package io.transflux.connectors.http;

import java.io.IOException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

import javax.net.ssl.SSLException;

import io.netty.channel.ChannelException;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.handler.timeout.ReadTimeoutException;
import io.transflux.pipeline.ErrorCode;
import io.transflux.pipeline.SourceException;
import org.jspecify.annotations.Nullable;
import reactor.netty.channel.AbortedException;

/**
 * Turns what the source and the transport say into our failures: a final {@link SourceException} or a
 * {@link TransientFailure} another attempt may cure. Every message names the redacted URL only; transport
 * exceptions are kept as {@link ScrubbedCause}s.
 *
 * <table>
 *   <caption>Status mapping</caption>
 *   <tr><th>Reply</th><th>First request</th><th>Resume request</th></tr>
 *   <tr><td>5xx</td><td colspan="2">transient (retried within the budget), then {@code SOURCE_ERROR}</td></tr>
 *   <tr><td>3xx except 304</td><td colspan="2">{@code SOURCE_NOT_ALLOWED}: redirects are never followed</td></tr>
 *   <tr><td>403</td><td>{@code SOURCE_ERROR}</td><td>{@code SOURCE_URL_EXPIRED}, not retried</td></tr>
 *   <tr><td>404, 412, 416</td><td>{@code SOURCE_ERROR}</td><td>{@code SOURCE_CHANGED}</td></tr>
 *   <tr><td>other 4xx, 304</td><td colspan="2">{@code SOURCE_ERROR} with the status</td></tr>
 * </table>
 */
final class SourceErrors {

    /** Most of an error body read to find its {@code <Code>}; the rest is never read. */
    static final int MAX_ERROR_BODY_BYTES = 16 * 1024;
    private static final int MAX_CODE_CHARS = 64;

    private SourceErrors() {
    }

    /** The failure for a non-2xx reply; {@code sourceCode} is the parsed {@code <Code>}, or null. */
    static RuntimeException forStatus(int status, @Nullable String sourceCode, boolean resuming, SourceUrl url) {
        String what = "GET " + url.redacted() + (resuming ? " (resume)" : "") + ": status " + status
                + (sourceCode == null ? "" : ", code " + sourceCode);
        if (status >= 500) {
            return new TransientFailure(ErrorCode.SOURCE_ERROR, status, sourceCode, what, null);
        }
        if (status >= 300 && status < 400 && status != 304) {
            return new SourceException(ErrorCode.SOURCE_NOT_ALLOWED, status, sourceCode,
                    what + "; redirects are not followed");
        }
        if (resuming && status == 403) {
            return new SourceException(ErrorCode.SOURCE_URL_EXPIRED, status, sourceCode,
                    what + "; the presigned URL was refused after an earlier success");
        }
        if (resuming && (status == 404 || status == 412 || status == 416)) {
            return new SourceException(ErrorCode.SOURCE_CHANGED, status, sourceCode,
                    what + "; the object changed or disappeared since the first reply");
        }
        return new SourceException(ErrorCode.SOURCE_ERROR, status, sourceCode, what);
    }

    /** A 304, keeping the validators the caller's 304 must carry (RFC 9110 §15.4.5). */
    static SourceException notModified(io.netty.handler.codec.http.HttpHeaders h, boolean resuming, SourceUrl url) {
        java.util.Map<String, String> v = new java.util.LinkedHashMap<>();
        for (String name : new String[] {"ETag", "Last-Modified"}) {
            String value = h.get(name);
            if (value != null) {
                v.put(name, value);
            }
        }
        return new SourceException(ErrorCode.SOURCE_ERROR, 304, null, "GET " + url.redacted() + (resuming ? " (resume)"
                : "") + ": status 304", null, v);
    }

    /**
     * Maps a transport failure. A {@link SourceException} anywhere in the chain (the address guard
     * raises one at connect time) is returned as is.
     *
     * @param when what was going on, e.g. "before the response" or "after 1024 of 4096 bytes"
     */
    static RuntimeException transport(Throwable t, SourceUrl url, String when) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SourceException se) {
                return se;
            }
            if (c instanceof TransientFailure tf) {
                return tf;
            }
        }
        Throwable cause = ScrubbedCause.of(t, url::scrub);
        String what = "GET " + url.redacted() + " " + when + ": " + t.getClass().getSimpleName();
        String name = t.getClass().getName();
        if (name.contains("PoolAcquire")) {
            return new SourceException(ErrorCode.SOURCE_UNAVAILABLE, 0, null,
                    what + " (connection pool exhausted)", cause);
        }
        if (t instanceof ReadTimeoutException || t instanceof ConnectTimeoutException
                || t instanceof SslHandshakeTimeoutException || t instanceof java.util.concurrent.TimeoutException) {
            return new TransientFailure(ErrorCode.SOURCE_TIMEOUT, 0, null, what, cause);
        }
        TlsFailure tls = TlsFailure.of(t);
        if (tls != null) {
            return new SourceException(ErrorCode.SOURCE_TLS_FAILED, 0, tls.code(), "GET " + url.redacted() + " " + when
                    + ": TLS: " + tls.reason(), cause);
        }
        if (t instanceof SSLException || t instanceof UnknownHostException) {
            return new SourceException(ErrorCode.SOURCE_UNAVAILABLE, 0, null, what, cause);
        }
        if (t instanceof IOException || t instanceof AbortedException || t instanceof ChannelException) {
            return new TransientFailure(ErrorCode.SOURCE_UNAVAILABLE, 0, null, what, cause);
        }
        return new SourceException(ErrorCode.SOURCE_UNAVAILABLE, 0, null, what + " (unexpected)", cause);
    }

    /**
     * The {@code <Code>} of an S3/OSS XML error body, by a bounded scan rather than an XML parser (no
     * DTDs, entities or external references are ever processed). Returns null unless the code is 1–64
     * characters of {@code [A-Za-z0-9._-]}.
     *
     * <pre>
     * &lt;?xml version="1.0" encoding="UTF-8"?&gt;
     * &lt;Error&gt;&lt;Code&gt;NoSuchKey&lt;/Code&gt;&lt;Message&gt;...&lt;/Message&gt;...&lt;/Error&gt;
     * </pre>
     */
    static @Nullable String errorCode(byte[] body, int length) {
        String text = new String(body, 0, Math.min(length, MAX_ERROR_BODY_BYTES), StandardCharsets.ISO_8859_1);
        int error = text.indexOf("<Error>");
        if (error < 0) {
            return null;
        }
        int open = text.indexOf("<Code>", error);
        if (open < 0) {
            return null;
        }
        int start = open + "<Code>".length();
        int end = text.indexOf("</Code>", start);
        if (end < 0 || end - start > MAX_CODE_CHARS + 32) {
            return null;
        }
        String code = text.substring(start, end).trim();
        if (code.isEmpty() || code.length() > MAX_CODE_CHARS) {
            return null;
        }
        for (int i = 0; i < code.length(); i++) {
            char c = code.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!ok) {
                return null;
            }
        }
        return code;
    }
}
