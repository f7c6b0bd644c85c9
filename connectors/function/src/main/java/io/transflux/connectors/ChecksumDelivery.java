package io.transflux.connectors;

import java.util.Locale;

/**
 * How the checksum of the returned bytes reaches the caller. It is always computed and reported in the
 * {@link InvocationOutcome}; this only decides whether and how it is sent. Only one checksum header is
 * ever sent.
 */
public enum ChecksumDelivery {
    /** {@link #HEADER} when the caller asked for validation ({@code x-amz-checksum-mode: ENABLED}), else {@link #NONE}. */
    AUTO,
    /** As an HTTP/1.1 chunked trailer field named like the forwarded checksum header. */
    TRAILER,
    /** Spool the output to a bounded temporary file, then send it with the checksum header and Content-Length. */
    HEADER,
    /** Not sent. */
    NONE;

    /** {@code auto}, {@code trailer}, {@code header} or {@code none}, any case. */
    public static ChecksumDelivery fromId(String id) {
        try {
            return valueOf(id.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConnectorException(500, "InvalidConfiguration",
                    "checksumDelivery: expected one of auto, trailer, header, none");
        }
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
