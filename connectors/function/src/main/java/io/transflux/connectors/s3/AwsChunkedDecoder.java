package io.transflux.connectors.s3;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import io.transflux.connectors.ConnectorException;
import org.jspecify.annotations.Nullable;

/**
 * Decodes an {@code aws-chunked} body (docs/protocols: S3 "Signature calculations for the authorization header:
 * transferring payload in multiple chunks" and "... including trailing headers") as it streams:
 * {@code hex-size[;chunk-signature=sig]CRLF data CRLF ... 0[;chunk-signature=sig]CRLF [trailer CRLF]* CRLF}.
 * Each chunk's signature and the trailer signature are checked through a {@link Signatures} as soon as the chunk
 * or trailer is complete, so a forged chunk stops the body before the next one is passed on; only one line
 * (at most {@value #MAX_LINE} bytes) is ever held. A plain state machine, one thread at a time.
 *
 * <p>Buffer ownership: {@link #decode} reads its input fully and returns a new heap buffer holding only the data
 * bytes (possibly empty); the caller keeps the input.
 */
final class AwsChunkedDecoder {

    /** Checks chunk and trailer signatures; {@code null} for the unsigned forms. */
    interface Signatures {
        /** @return whether {@code claimed} is the signature of a chunk whose data hashes to {@code dataSha256Hex} */
        boolean chunk(String dataSha256Hex, String claimed);

        /** @return whether {@code claimed} is the signature of the canonical trailer block */
        boolean trailer(String canonicalTrailers, String claimed);
    }

    static final int MAX_LINE = 4096;
    private static final int MAX_TRAILERS = 16;
    private static final String CHUNK_SIGNATURE = "chunk-signature=";
    private static final String TRAILER_SIGNATURE = "x-amz-trailer-signature";

    private enum State { SIZE, DATA, DATA_CR, DATA_LF, TRAILER, DONE, CORRUPTED }

    private final @Nullable Signatures signatures;
    private final boolean trailerSigned;
    private final boolean trailersAllowed;
    private final StringBuilder line = new StringBuilder();
    private final Map<String, String> trailers = new TreeMap<>();
    private final MessageDigest chunkDigest;
    private State state = State.SIZE;
    private long remaining;
    private long decoded;
    private boolean lastCr;
    private @Nullable String chunkSignature;
    private @Nullable String trailerSignature;

    /**
     * @param signatures      checks chunk signatures (signed forms) or null (unsigned forms)
     * @param trailersAllowed whether the form carries trailers
     * @param trailerSigned   whether the trailers carry {@code x-amz-trailer-signature}
     */
    AwsChunkedDecoder(@Nullable Signatures signatures, boolean trailersAllowed, boolean trailerSigned) {
        this.signatures = signatures;
        this.trailersAllowed = trailersAllowed;
        this.trailerSigned = trailerSigned;
        try {
            this.chunkDigest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java SE platform", e);
        }
    }

    /** The data bytes in {@code in}; reads {@code in} fully. */
    ByteBuffer decode(ByteBuffer in) {
        ByteBuffer out = ByteBuffer.allocate(in.remaining());
        while (in.hasRemaining()) {
            switch (state) {
                case SIZE, TRAILER -> {
                    String l = readLine(in);
                    if (l != null) {
                        if (state == State.SIZE) {
                            sizeLine(l);
                        } else {
                            trailerLine(l);
                        }
                    }
                }
                case DATA -> {
                    int n = (int) Math.min(remaining, in.remaining());
                    ByteBuffer slice = in.slice(in.position(), n);
                    if (signatures != null) {
                        chunkDigest.update(slice.duplicate());
                    }
                    out.put(slice);
                    in.position(in.position() + n);
                    remaining -= n;
                    decoded += n;
                    if (remaining == 0) {
                        state = State.DATA_CR;
                    }
                }
                case DATA_CR -> expect(in.get(), '\r', State.DATA_LF);
                case DATA_LF -> {
                    expect(in.get(), '\n', State.SIZE);
                    chunkEnded();
                }
                case DONE -> throw fail(400, "IncompleteBody", "aws-chunked: bytes after the final chunk.");
                case CORRUPTED -> throw fail(400, "IncompleteBody", "aws-chunked: the body is malformed.");
            }
        }
        return out.flip();
    }

    /** Throws unless the final chunk and the trailer block were complete. */
    void finish() {
        if (state != State.DONE) {
            state = State.CORRUPTED;
            throw fail(400, "IncompleteBody", "aws-chunked: the body ended before its final chunk.");
        }
    }

    /** The decoded trailers (lower-case names, without the trailer signature); complete after {@link #finish}. */
    Map<String, String> trailers() {
        return Map.copyOf(trailers);
    }

    long decodedLength() {
        return decoded;
    }

    private @Nullable String readLine(ByteBuffer in) {
        while (in.hasRemaining()) {
            char c = (char) (in.get() & 0xff);
            if (c == '\n' && lastCr) {
                lastCr = false;
                String l = line.toString();
                line.setLength(0);
                return l;
            }
            if (lastCr) {
                line.append('\r');
            }
            lastCr = c == '\r';
            if (!lastCr) {
                line.append(c);
            }
            if (line.length() > MAX_LINE) {
                throw fail(400, "IncompleteBody", "aws-chunked: a chunk header or trailer is over " + MAX_LINE + " bytes.");
            }
        }
        return null;
    }

    private void sizeLine(String l) {
        int semi = l.indexOf(';');
        String hex = (semi < 0 ? l : l.substring(0, semi)).trim();
        chunkSignature = null;
        if (semi >= 0) {
            for (String ext : l.substring(semi + 1).split(";")) {
                String e = ext.trim();
                if (e.startsWith(CHUNK_SIGNATURE)) {
                    chunkSignature = e.substring(CHUNK_SIGNATURE.length());
                }
            }
        }
        if (hex.isEmpty() || hex.length() > 15 || !hex.chars().allMatch(ch -> Character.digit(ch, 16) >= 0)) {
            throw fail(400, "IncompleteBody", "aws-chunked: chunk size: actual '" + abbreviate(hex)
                    + "', expected hexadecimal digits.");
        }
        if (signatures != null && chunkSignature == null) {
            throw fail(403, "SignatureDoesNotMatch", "aws-chunked: a chunk has no chunk-signature.");
        }
        remaining = Long.parseLong(hex, 16);
        if (remaining == 0) {
            chunkEnded();
            state = State.TRAILER;
        } else {
            state = State.DATA;
        }
    }

    private void chunkEnded() {
        if (signatures != null) {
            String hash = HexFormat.of().formatHex(chunkDigest.digest());
            if (!signatures.chunk(hash, chunkSignature)) {
                throw fail(403, "SignatureDoesNotMatch", "aws-chunked: a chunk signature does not match its data.");
            }
        }
    }

    private void trailerLine(String l) {
        if (l.isEmpty()) {
            if (trailerSigned) {
                if (trailerSignature == null) {
                    throw fail(403, "SignatureDoesNotMatch", "aws-chunked: the trailers have no x-amz-trailer-signature.");
                }
                StringBuilder canonical = new StringBuilder();
                trailers.forEach((k, v) -> canonical.append(k).append(':').append(v).append('\n'));
                if (signatures == null || !signatures.trailer(canonical.toString(), trailerSignature)) {
                    throw fail(403, "SignatureDoesNotMatch", "aws-chunked: the trailer signature does not match.");
                }
            }
            state = State.DONE;
            return;
        }
        int colon = l.indexOf(':');
        if (!trailersAllowed || colon <= 0 || trailers.size() >= MAX_TRAILERS) {
            throw fail(400, "IncompleteBody", "aws-chunked: unexpected trailer line after the final chunk.");
        }
        String name = l.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = l.substring(colon + 1).trim();
        if (name.equals(TRAILER_SIGNATURE)) {
            trailerSignature = value;
        } else {
            trailers.put(name, value);
        }
    }

    private void expect(byte b, char c, State next) {
        if (b != c) {
            throw fail(400, "IncompleteBody", "aws-chunked: chunk data is longer than its declared size.");
        }
        state = next;
    }

    private ConnectorException fail(int status, String code, String message) {
        state = State.CORRUPTED;
        return new ConnectorException(status, code, message);
    }

    private static String abbreviate(String s) {
        String t = s.length() > 20 ? s.substring(0, 20) + "..." : s;
        return new String(t.getBytes(StandardCharsets.US_ASCII), StandardCharsets.US_ASCII);
    }
}
