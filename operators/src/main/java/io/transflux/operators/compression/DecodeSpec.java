package io.transflux.operators.compression;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import io.transflux.pipeline.ActionSpec;
import io.transflux.pipeline.StageSpec;

/**
 * The parameters of one decompression stage, parsed and range-checked from its {@link ActionSpec}.
 * Immutable; {@link #toStageSpec()} writes only the parameters that differ from the defaults, in a fixed
 * order, so the text round-trips. The parameters and defaults are listed on {@link DecompressionStageProvider}.
 */
final class DecodeSpec {

    static final String CATEGORY = "decompress";

    /** Unset: the stage takes the value from {@code Limits}. */
    static final long FROM_LIMITS = -1;
    /**
     * Above anything gzip, zlib or zstd can reach (about 1,030:1 and 32,800:1 at most) and 45× above a real
     * zstd -19 log in a retry loop (11,000:1), so no legitimate log is cut; it still stops formats whose
     * ratio is unbounded (bzip2 of zeros passes 800,000:1) early. The output cap and the deadline bound every
     * other bomb's cost; docs/limits.md has the measurements.
     */
    static final long DEFAULT_MAX_RATIO = 100_000;
    static final long DEFAULT_MAX_MEMBERS = 10_000;
    static final long DEFAULT_IDLE_SECONDS = 10;
    static final int DEFAULT_WINDOW_LOG_MAX = 27;
    static final int MIN_WINDOW_LOG = 10;
    /** The zstd format's own maximum on 64-bit hosts. */
    static final int MAX_WINDOW_LOG = 31;
    static final long DEFAULT_MAX_ENTRIES = 10_000;
    /** Largest ZIP central directory read by range, in bytes. */
    static final long DEFAULT_MAX_CD_BYTES = 16L << 20;
    /** Longest ZIP entry name accepted, in UTF-8 bytes. */
    static final int MAX_ENTRY_NAME_BYTES = 1024;

    static final String OUT = "out";
    static final String RATIO = "ratio";
    static final String MEMBERS = "members";
    static final String CHUNK = "chunk";
    static final String IDLE = "idle";
    static final String TRAILING = "trailing";
    static final String RAW = "raw";
    static final String WLOG = "wlog";
    static final String FORMAT = "format";
    static final String UNKNOWN = "unknown";
    static final String ENTRY = "entry";
    static final String LIST = "list";
    static final String ENTRIES = "entries";
    static final String CD = "cd";

    private static final Set<String> COMMON = Set.of(OUT, RATIO, MEMBERS, CHUNK, IDLE, TRAILING);

    enum SnappyVariant { FRAMED, XERIAL, RAW }

    final String action;
    final long maxOutputBytes;
    final long maxRatio;
    final long maxMembers;
    final long chunkBytes;
    final long idleSeconds;
    final boolean trailingIgnore;
    final boolean raw;
    final int windowLogMax;
    final SnappyVariant snappyVariant;
    final boolean unknownFail;
    final @Nullable String entryName;
    final @Nullable String entryParam;
    final boolean list;
    final long maxEntries;
    final long maxCdBytes;

    private DecodeSpec(ActionSpec a) {
        this.action = a.name();
        Set<String> known = new java.util.HashSet<>(COMMON);
        switch (action) {
            case "zlib" -> known.add(RAW);
            case "zstd" -> known.add(WLOG);
            case "snappy" -> known.add(FORMAT);
            case "zip" -> known.addAll(Set.of(ENTRY, LIST, ENTRIES, CD));
            case "auto" -> known.addAll(Set.of(WLOG, UNKNOWN, ENTRIES));
            default -> {
            }
        }
        a.requireOnly(known);
        this.maxOutputBytes = a.longValue(OUT, 0, Long.MAX_VALUE, FROM_LIMITS);
        this.maxRatio = a.longValue(RATIO, 0, 1_000_000_000L, DEFAULT_MAX_RATIO);
        this.maxMembers = a.longValue(MEMBERS, 1, 100_000_000L, DEFAULT_MAX_MEMBERS);
        this.chunkBytes = a.longValue(CHUNK, io.transflux.pipeline.Limits.MIN_CHUNK_BYTES,
                io.transflux.pipeline.Limits.MAX_CHUNK_BYTES, FROM_LIMITS);
        this.idleSeconds = a.longValue(IDLE, 0, 86_400, DEFAULT_IDLE_SECONDS);
        this.trailingIgnore = a.choice(TRAILING, List.of("reject", "ignore"), "reject").equals("ignore");
        this.raw = a.flag(RAW, false);
        this.windowLogMax = a.intValue(WLOG, MIN_WINDOW_LOG, MAX_WINDOW_LOG, DEFAULT_WINDOW_LOG_MAX);
        this.snappyVariant = SnappyVariant.valueOf(
                a.choice(FORMAT, List.of("framed", "xerial", "raw"), "framed").toUpperCase(java.util.Locale.ROOT));
        this.unknownFail = a.choice(UNKNOWN, List.of("pass", "fail"), "pass").equals("fail");
        this.entryParam = a.get(ENTRY).orElse(null);
        this.entryName = entryParam == null ? null : decodeEntryName(a, entryParam);
        this.list = a.flag(LIST, false);
        this.maxEntries = a.longValue(ENTRIES, 1, 10_000_000L, DEFAULT_MAX_ENTRIES);
        this.maxCdBytes = a.longValue(CD, 0, 1L << 30, DEFAULT_MAX_CD_BYTES);
        if (list && entryParam != null) {
            throw a.error(LIST, "actual list_1 together with entry_, expected one of them");
        }
    }

    static DecodeSpec parse(ActionSpec action) {
        return new DecodeSpec(action);
    }

    private static String decodeEntryName(ActionSpec a, String value) {
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw a.error(ENTRY, "actual '" + value + "', expected URL-safe Base64 of the entry name");
        }
        if (bytes.length == 0 || bytes.length > MAX_ENTRY_NAME_BYTES) {
            throw a.error(ENTRY, "actual " + bytes.length + " name bytes, expected 1.." + MAX_ENTRY_NAME_BYTES);
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The canonical spec: non-default parameters only, in a fixed order. */
    StageSpec toStageSpec() {
        List<ActionSpec.Param> p = new ArrayList<>();
        if (maxOutputBytes != FROM_LIMITS) {
            p.add(new ActionSpec.Param(OUT, Long.toString(maxOutputBytes)));
        }
        if (maxRatio != DEFAULT_MAX_RATIO) {
            p.add(new ActionSpec.Param(RATIO, Long.toString(maxRatio)));
        }
        if (maxMembers != DEFAULT_MAX_MEMBERS) {
            p.add(new ActionSpec.Param(MEMBERS, Long.toString(maxMembers)));
        }
        if (chunkBytes != FROM_LIMITS) {
            p.add(new ActionSpec.Param(CHUNK, Long.toString(chunkBytes)));
        }
        if (idleSeconds != DEFAULT_IDLE_SECONDS) {
            p.add(new ActionSpec.Param(IDLE, Long.toString(idleSeconds)));
        }
        if (trailingIgnore) {
            p.add(new ActionSpec.Param(TRAILING, "ignore"));
        }
        if (raw) {
            p.add(new ActionSpec.Param(RAW, "1"));
        }
        if (windowLogMax != DEFAULT_WINDOW_LOG_MAX) {
            p.add(new ActionSpec.Param(WLOG, Integer.toString(windowLogMax)));
        }
        if (snappyVariant != SnappyVariant.FRAMED) {
            p.add(new ActionSpec.Param(FORMAT, snappyVariant.name().toLowerCase(java.util.Locale.ROOT)));
        }
        if (unknownFail) {
            p.add(new ActionSpec.Param(UNKNOWN, "fail"));
        }
        if (entryParam != null) {
            p.add(new ActionSpec.Param(ENTRY, entryParam));
        }
        if (list) {
            p.add(new ActionSpec.Param(LIST, "1"));
        }
        if (maxEntries != DEFAULT_MAX_ENTRIES) {
            p.add(new ActionSpec.Param(ENTRIES, Long.toString(maxEntries)));
        }
        if (maxCdBytes != DEFAULT_MAX_CD_BYTES) {
            p.add(new ActionSpec.Param(CD, Long.toString(maxCdBytes)));
        }
        return StageSpec.of(CATEGORY, List.of(ActionSpec.of(CATEGORY, action, p)));
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof DecodeSpec d && toStageSpec().equals(d.toStageSpec());
    }

    @Override
    public int hashCode() {
        return Objects.hash(toStageSpec());
    }

    @Override
    public String toString() {
        return toStageSpec().toString();
    }
}
