package io.transflux.operators.redact;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import io.transflux.pipeline.ActionSpec;
import io.transflux.pipeline.PipelineSpecException;
import org.jspecify.annotations.Nullable;

/**
 * The immutable configuration of {@code redact/pii} and {@code redact/detect}. Build it in code for what
 * a pipeline string cannot carry (an HMAC key, your own {@link EntityDetector}s), or let the stage
 * provider read it from a spec; {@link #toString()} never shows the key.
 */
public final class RedactionSpec {

    /** The built-in entity types, named as Amazon Comprehend names them. */
    public static final Set<String> BUILT_IN_TYPES = Collections.unmodifiableSet(new TreeSet<>(List.of(
            "EMAIL", "PHONE", "CREDIT_DEBIT_NUMBER", "SSN", "IP_ADDRESS", "MAC_ADDRESS",
            "INTERNATIONAL_BANK_ACCOUNT_NUMBER", "AWS_ACCESS_KEY", "AWS_SECRET_KEY", "URL", "PASSWORD")));
    public static final RedactionMode DEFAULT_MODE = RedactionMode.MASK;
    public static final int DEFAULT_MASK_CHARACTER = '*';
    public static final int DEFAULT_KEEP_LAST = 4;
    public static final Format DEFAULT_FORMAT = Format.AUTO;
    public static final OnMalformedJson DEFAULT_ON_MALFORMED_JSON = OnMalformedJson.FAIL;
    /** 256 MiB: what {@code redact/detect} may spool to a temporary file before deciding. */
    public static final long DEFAULT_MAX_SPOOL_BYTES = 256L << 20;
    /** Environment variable holding the HMAC key for {@link RedactionMode#HASH} (at least 16 bytes). */
    public static final String HMAC_KEY_ENV = "TRANSFLUX_REDACT_HMAC_KEY";
    /** System property consulted when {@link #HMAC_KEY_ENV} is not set. */
    public static final String HMAC_KEY_PROPERTY = "transflux.redact.hmac-key";
    public static final int MIN_HMAC_KEY_BYTES = 16;

    /** How the input is read. */
    public enum Format {
        /** JSON when the Content-Type says JSON or JSON Lines, text otherwise. */
        AUTO,
        TEXT,
        /** JSON or JSON Lines: detectors run on string values only; named fields are always redacted. */
        JSON
    }

    /** What JSON mode does with input that is not JSON. */
    public enum OnMalformedJson {
        /** Fail with {@code UnsupportedObjectFormat}. */
        FAIL,
        /** Redact the rest of the object in text mode. */
        TEXT
    }

    private static final RedactionSpec DEFAULTS = builder().build();

    private final Set<String> entityTypes;
    private final RedactionMode mode;
    private final int maskCharacter;
    private final int keepLast;
    private final Set<String> allowList;
    private final byte @Nullable [] hmacKey;
    private final Format format;
    private final List<String> jsonFields;
    private final OnMalformedJson onMalformedJson;
    private final long maxSpoolBytes;
    private final List<EntityDetector> extraDetectors;

    private RedactionSpec(Builder b) {
        this.entityTypes = Collections.unmodifiableSet(new TreeSet<>(b.entityTypes));
        this.mode = b.mode;
        this.maskCharacter = b.maskCharacter;
        this.keepLast = b.keepLast;
        this.allowList = Collections.unmodifiableSet(new TreeSet<>(b.allowList));
        this.hmacKey = b.hmacKey == null ? null : b.hmacKey.clone();
        this.format = b.format;
        this.jsonFields = List.copyOf(b.jsonFields);
        this.onMalformedJson = b.onMalformedJson;
        this.maxSpoolBytes = b.maxSpoolBytes;
        this.extraDetectors = List.copyOf(b.extraDetectors);
    }

    public static RedactionSpec defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.entityTypes.addAll(entityTypes);
        b.mode = mode;
        b.maskCharacter = maskCharacter;
        b.keepLast = keepLast;
        b.allowList.addAll(allowList);
        b.hmacKey = hmacKey;
        b.format = format;
        b.jsonFields.addAll(jsonFields);
        b.onMalformedJson = onMalformedJson;
        b.maxSpoolBytes = maxSpoolBytes;
        b.extraDetectors.addAll(extraDetectors);
        return b;
    }

    /** The selected built-in types; empty means all. */
    public Set<String> entityTypes() {
        return entityTypes;
    }

    public RedactionMode mode() {
        return mode;
    }

    /** The mask character as a code point. */
    public int maskCharacter() {
        return maskCharacter;
    }

    /** Characters kept at the end of a match in {@link RedactionMode#PARTIAL}. */
    public int keepLast() {
        return keepLast;
    }

    /** Literal values never redacted. */
    public Set<String> allowList() {
        return allowList;
    }

    public Format format() {
        return format;
    }

    /** JSON fields always redacted: {@code user.email}, {@code billing.*}, {@code **.password}, or JSON Pointers. */
    public List<String> jsonFields() {
        return jsonFields;
    }

    public OnMalformedJson onMalformedJson() {
        return onMalformedJson;
    }

    public long maxSpoolBytes() {
        return maxSpoolBytes;
    }

    /** Detectors added in code, run after the built-ins. */
    public List<EntityDetector> extraDetectors() {
        return extraDetectors;
    }

    /** Whether {@code mask}/{@code partial} replace byte for byte, so the object's byte length is kept. */
    public boolean preservesByteLength() {
        return (mode == RedactionMode.MASK || mode == RedactionMode.PARTIAL) && maskCharacter < 0x80;
    }

    /** The HMAC key: the builder's, else {@link #HMAC_KEY_ENV}, else {@link #HMAC_KEY_PROPERTY}. */
    byte[] hmacKeyBytes() {
        if (hmacKey != null) {
            return hmacKey.clone();
        }
        byte[] k = keyFromEnvironment();
        if (k == null) {
            throw new IllegalStateException("mask-mode hash: no HMAC key; set " + HMAC_KEY_ENV);
        }
        return k;
    }

    boolean hasHmacKey() {
        return hmacKey != null || keyFromEnvironment() != null;
    }

    private static byte @Nullable [] keyFromEnvironment() {
        String v = System.getenv(HMAC_KEY_ENV);
        if (v == null || v.isEmpty()) {
            v = System.getProperty(HMAC_KEY_PROPERTY);
        }
        if (v == null || v.isEmpty()) {
            return null;
        }
        return v.getBytes(StandardCharsets.UTF_8);
    }

    List<EntityDetector> detectors() {
        List<EntityDetector> all = new ArrayList<>(DetectorSet.builtIns(entityTypes));
        all.addAll(extraDetectors);
        return all;
    }

    // ---- the spec grammar ------------------------------------------------------------------------

    static final String P_TYPES = "pii-entity-types";
    static final String P_MODE = "mask-mode";
    static final String P_MASK = "mask-character";
    static final String P_KEEP = "keep-last";
    static final String P_ALLOW = "allow";
    static final String P_FORMAT = "format";
    static final String P_FIELDS = "json-fields";
    static final String P_MALFORMED = "on-malformed";
    static final String P_SPOOL = "max-spool-bytes";

    /** Reads a {@code redact/pii} ({@code detect == false}) or {@code redact/detect} action. */
    static RedactionSpec fromAction(ActionSpec a, boolean detect) {
        a.requireOnly(detect ? Set.of(P_TYPES, P_ALLOW, P_FORMAT, P_FIELDS, P_MALFORMED, P_SPOOL)
                : Set.of(P_TYPES, P_MODE, P_MASK, P_KEEP, P_ALLOW, P_FORMAT, P_FIELDS, P_MALFORMED));
        Builder b = builder();
        a.get(P_TYPES).ifPresent(v -> {
            for (String t : v.split("[+.]", -1)) {
                if (t.equals("ALL")) {
                    continue;
                }
                if (!BUILT_IN_TYPES.contains(t)) {
                    throw a.error(P_TYPES, "actual '" + t + "', expected ALL or '+'-separated types from " + BUILT_IN_TYPES);
                }
                b.entityTypes.add(t);
            }
        });
        a.get(P_MODE).ifPresent(v -> {
            RedactionMode m = RedactionMode.fromSpec(v);
            if (m == null) {
                throw a.error(P_MODE, "actual '" + v + "', expected one of [hash, mask, partial, type]"
                        + " (or MASK, REPLACE_WITH_PII_ENTITY_TYPE)");
            }
            b.mode = m;
        });
        a.get(P_MASK).ifPresent(v -> {
            String d = decode(a, P_MASK, v);
            if (d.codePointCount(0, d.length()) != 1 || Character.isISOControl(d.codePointAt(0))) {
                throw a.error(P_MASK, "actual '" + v + "', expected one printable character (percent-encode , / | + %)");
            }
            b.maskCharacter = d.codePointAt(0);
        });
        b.keepLast = a.intValue(P_KEEP, 0, 64, DEFAULT_KEEP_LAST);
        a.get(P_ALLOW).ifPresent(v -> {
            for (String s : v.split("\\+", -1)) {
                String d = decode(a, P_ALLOW, s);
                if (d.isEmpty()) {
                    throw a.error(P_ALLOW, "empty value; expected '+'-separated, percent-encoded literals");
                }
                b.allowList.add(d);
            }
        });
        String f = a.choice(P_FORMAT, List.of("auto", "text", "json"), "auto");
        b.format = Format.valueOf(f.toUpperCase(Locale.ROOT));
        a.get(P_FIELDS).ifPresent(v -> {
            for (String s : v.split("\\+", -1)) {
                String d = decode(a, P_FIELDS, s);
                if (d.isEmpty()) {
                    throw a.error(P_FIELDS, "empty path; expected '+'-separated paths like user.email or billing.*");
                }
                b.jsonFields.add(d);
            }
        });
        String m = a.choice(P_MALFORMED, List.of("fail", "text"), "fail");
        b.onMalformedJson = OnMalformedJson.valueOf(m.toUpperCase(Locale.ROOT));
        b.maxSpoolBytes = a.longValue(P_SPOOL, 0, Long.MAX_VALUE, DEFAULT_MAX_SPOOL_BYTES);
        RedactionSpec spec = b.build();
        if (spec.mode == RedactionMode.HASH && !spec.hasHmacKey()) {
            throw a.error(P_MODE, "actual 'hash', which needs an HMAC key of at least " + MIN_HMAC_KEY_BYTES
                    + " bytes in the environment variable " + HMAC_KEY_ENV + " (keys never go in the pipeline string)");
        }
        if (spec.mode == RedactionMode.HASH && spec.hmacKeyBytes().length < MIN_HMAC_KEY_BYTES) {
            throw a.error(P_MODE, "the HMAC key in " + HMAC_KEY_ENV + " is too short, expected at least "
                    + MIN_HMAC_KEY_BYTES + " bytes");
        }
        return spec;
    }

    /** The canonical parameters: only those that differ from the defaults, in a fixed order. */
    List<ActionSpec.Param> toParams(boolean detect) {
        List<ActionSpec.Param> p = new ArrayList<>();
        if (!entityTypes.isEmpty()) {
            p.add(new ActionSpec.Param(P_TYPES, String.join("+", entityTypes)));
        }
        if (!detect) {
            if (mode != DEFAULT_MODE) {
                p.add(new ActionSpec.Param(P_MODE, mode.specName()));
            }
            if (maskCharacter != DEFAULT_MASK_CHARACTER) {
                p.add(new ActionSpec.Param(P_MASK, encode(new String(Character.toChars(maskCharacter)))));
            }
            if (keepLast != DEFAULT_KEEP_LAST) {
                p.add(new ActionSpec.Param(P_KEEP, Integer.toString(keepLast)));
            }
        }
        if (!allowList.isEmpty()) {
            List<String> enc = new ArrayList<>();
            for (String s : allowList) {
                enc.add(encode(s));
            }
            p.add(new ActionSpec.Param(P_ALLOW, String.join("+", enc)));
        }
        if (format != DEFAULT_FORMAT) {
            p.add(new ActionSpec.Param(P_FORMAT, format.name().toLowerCase(Locale.ROOT)));
        }
        if (!jsonFields.isEmpty()) {
            List<String> enc = new ArrayList<>();
            for (String s : jsonFields) {
                enc.add(encode(s));
            }
            p.add(new ActionSpec.Param(P_FIELDS, String.join("+", enc)));
        }
        if (onMalformedJson != DEFAULT_ON_MALFORMED_JSON) {
            p.add(new ActionSpec.Param(P_MALFORMED, onMalformedJson.name().toLowerCase(Locale.ROOT)));
        }
        if (detect && maxSpoolBytes != DEFAULT_MAX_SPOOL_BYTES) {
            p.add(new ActionSpec.Param(P_SPOOL, Long.toString(maxSpoolBytes)));
        }
        return p;
    }

    private static String decode(ActionSpec a, String key, String v) {
        try {
            return URLDecoder.decode(v.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw a.error(key, "actual '" + v + "', expected percent-encoding like %2C for ','");
        }
    }

    /** Percent-encodes what the spec grammar or our list syntax reserves: , / | + % and white space. */
    static String encode(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c == ',' || c == '/' || c == '|' || c == '+' || c == '%' || c <= 0x20 || c == 0x7f) {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            } else {
                sb.append((char) c);
            }
        }
        return new String(sb.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof RedactionSpec s && entityTypes.equals(s.entityTypes) && mode == s.mode
                && maskCharacter == s.maskCharacter && keepLast == s.keepLast && allowList.equals(s.allowList)
                && Arrays.equals(hmacKey, s.hmacKey) && format == s.format && jsonFields.equals(s.jsonFields)
                && onMalformedJson == s.onMalformedJson && maxSpoolBytes == s.maxSpoolBytes
                && extraDetectors.equals(s.extraDetectors);
    }

    @Override
    public int hashCode() {
        return Objects.hash(entityTypes, mode, maskCharacter, keepLast, allowList, format, jsonFields,
                onMalformedJson, maxSpoolBytes, extraDetectors);
    }

    @Override
    public String toString() {
        return "RedactionSpec{types=" + (entityTypes.isEmpty() ? "ALL" : entityTypes) + ", mode=" + mode
                + ", maskCharacter=" + new String(Character.toChars(maskCharacter)) + ", keepLast=" + keepLast
                + ", allowList=" + allowList.size() + " values, hmacKey=" + (hmacKey == null ? "env" : "set")
                + ", format=" + format + ", jsonFields=" + jsonFields + ", onMalformedJson=" + onMalformedJson
                + ", maxSpoolBytes=" + maxSpoolBytes + ", extraDetectors=" + extraDetectors.size() + '}';
    }

    /** Mutable builder; {@link #build()} copies. */
    public static final class Builder {
        private final Set<String> entityTypes = new LinkedHashSet<>();
        private RedactionMode mode = DEFAULT_MODE;
        private int maskCharacter = DEFAULT_MASK_CHARACTER;
        private int keepLast = DEFAULT_KEEP_LAST;
        private final Set<String> allowList = new LinkedHashSet<>();
        private byte @Nullable [] hmacKey;
        private Format format = DEFAULT_FORMAT;
        private final List<String> jsonFields = new ArrayList<>();
        private OnMalformedJson onMalformedJson = DEFAULT_ON_MALFORMED_JSON;
        private long maxSpoolBytes = DEFAULT_MAX_SPOOL_BYTES;
        private final List<EntityDetector> extraDetectors = new ArrayList<>();

        private Builder() {
        }

        /** Selects built-in types (see {@link #BUILT_IN_TYPES}); none selected means all. */
        public Builder entityTypes(String... types) {
            for (String t : types) {
                if (!BUILT_IN_TYPES.contains(t)) {
                    throw new IllegalArgumentException("entityTypes: actual '" + t + "', expected one of " + BUILT_IN_TYPES);
                }
                entityTypes.add(t);
            }
            return this;
        }

        public Builder mode(RedactionMode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        public Builder maskCharacter(int codePoint) {
            if (!Character.isValidCodePoint(codePoint) || Character.isISOControl(codePoint)) {
                throw new IllegalArgumentException("maskCharacter: actual " + codePoint + ", expected a printable code point");
            }
            this.maskCharacter = codePoint;
            return this;
        }

        public Builder keepLast(int keepLast) {
            if (keepLast < 0 || keepLast > 64) {
                throw new IllegalArgumentException("keepLast: actual " + keepLast + ", expected [0, 64]");
            }
            this.keepLast = keepLast;
            return this;
        }

        public Builder allow(String... literals) {
            for (String s : literals) {
                allowList.add(Objects.requireNonNull(s, "literal"));
            }
            return this;
        }

        /** The HMAC-SHA256 key for {@link RedactionMode#HASH}, at least 16 bytes. */
        public Builder hmacKey(byte[] key) {
            if (key.length < MIN_HMAC_KEY_BYTES) {
                throw new IllegalArgumentException("hmacKey: actual " + key.length + " bytes, expected at least "
                        + MIN_HMAC_KEY_BYTES);
            }
            this.hmacKey = key.clone();
            return this;
        }

        public Builder format(Format format) {
            this.format = Objects.requireNonNull(format, "format");
            return this;
        }

        public Builder jsonFields(String... paths) {
            jsonFields.addAll(List.of(paths));
            return this;
        }

        public Builder onMalformedJson(OnMalformedJson v) {
            this.onMalformedJson = Objects.requireNonNull(v, "onMalformedJson");
            return this;
        }

        public Builder maxSpoolBytes(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("maxSpoolBytes: actual " + bytes + ", expected >= 0");
            }
            this.maxSpoolBytes = bytes;
            return this;
        }

        /** Adds a detector of your own; it runs after the built-ins. */
        public Builder addDetector(EntityDetector detector) {
            extraDetectors.add(Objects.requireNonNull(detector, "detector"));
            return this;
        }

        public RedactionSpec build() {
            return new RedactionSpec(this);
        }
    }
}
