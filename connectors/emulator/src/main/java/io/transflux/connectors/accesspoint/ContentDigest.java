package io.transflux.connectors.accesspoint;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The MD5 of a body being stored, for S3 and OSS ETags, and the checks a write makes on its request: a
 * {@code Content-MD5} that does not match fails the body before its end (400 {@code BadDigest}), so the object is
 * never committed; user metadata over the platform's limit is 400 {@code MetadataTooLarge}. One instance per body;
 * the body's signals are sequential, so the digest needs no lock.
 */
final class ContentDigest {

    /** S3: user-defined metadata is at most 2 KB (names and values, UTF-8). */
    static final int S3_MAX_METADATA_BYTES = 2 * 1024;
    /** OSS: at most 8 KB. */
    static final int OSS_MAX_METADATA_BYTES = 8 * 1024;

    private final MessageDigest md5;

    ContentDigest() {
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5: not available", e);
        }
    }

    /** {@code body} with its bytes counted into the digest; buffers pass through unread (duplicates are read). */
    Flux<ByteBuffer> watch(Flux<ByteBuffer> body, @Nullable String contentMd5) {
        Flux<ByteBuffer> watched = body.doOnNext(b -> md5.update(b.duplicate()));
        if (contentMd5 == null) {
            return watched;
        }
        return watched.concatWith(Mono.defer(() -> {
            String actual = Base64.getEncoder().encodeToString(((MessageDigest) clone(md5)).digest());
            return actual.equals(contentMd5.trim()) ? Mono.empty() : Mono.error(new PlatformError(400, "BadDigest",
                    "The Content-MD5 you specified did not match what we received."));
        }));
    }

    /** The digest of everything watched; call once, after the body completed. */
    byte[] digest() {
        return md5.digest();
    }

    /** A quoted ETag of {@code md5}: lower-case hex on S3, upper-case on OSS. */
    static String etag(byte[] md5, Flavor flavor) {
        String hex = HexFormat.of().formatHex(md5);
        return "\"" + (flavor == Flavor.OSS ? hex.toUpperCase(Locale.ROOT) : hex) + "\"";
    }

    /** A multipart ETag: the MD5 of the parts' binary MD5s, then {@code -N}. */
    static String multipartEtag(java.util.List<byte[]> partMd5s, Flavor flavor) {
        ContentDigest d = new ContentDigest();
        partMd5s.forEach(d.md5::update);
        String e = etag(d.digest(), flavor);
        return e.substring(0, e.length() - 1) + "-" + partMd5s.size() + "\"";
    }

    /**
     * The request's user metadata ({@code x-amz-meta-*} or {@code x-oss-meta-*}) by lower-case name without the
     * prefix; 400 {@code MetadataTooLarge} over the platform's limit.
     */
    static Map<String, String> userMetadata(Request r, Flavor flavor) {
        String prefix = flavor == Flavor.S3 ? "x-amz-meta-" : "x-oss-meta-";
        Map<String, String> out = new TreeMap<>();
        int bytes = 0;
        for (Map.Entry<String, String> h : r.headers().entrySet()) {
            if (h.getKey().startsWith(prefix) && h.getKey().length() > prefix.length()) {
                String name = h.getKey().substring(prefix.length());
                out.put(name, h.getValue());
                bytes += name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                        + h.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            }
        }
        int max = flavor == Flavor.S3 ? S3_MAX_METADATA_BYTES : OSS_MAX_METADATA_BYTES;
        if (bytes > max) {
            throw new PlatformError(400, "MetadataTooLarge", "Your metadata headers exceed the maximum allowed metadata "
                    + "size: " + bytes + " bytes, at most " + max + ".");
        }
        return out;
    }

    private static Object clone(MessageDigest d) {
        try {
            return d.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("MD5: not cloneable", e);
        }
    }
}
