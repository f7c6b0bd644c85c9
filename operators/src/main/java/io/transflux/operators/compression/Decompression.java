package io.transflux.operators.compression;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

import io.transflux.pipeline.ActionSpec;
import io.transflux.pipeline.Operator;
import io.transflux.pipeline.StageSpec;

/**
 * Decompression stages built in code, beside the spec grammar ({@code decompress/zstd,ratio_1000}):
 * {@code Decompression.zstd().maxRatio(1000).build()}. A builder writes the same parameters the grammar
 * takes and goes through the same validation, so the two can never disagree: {@link Builder#toStageSpec()}
 * is the text a pipeline spec would hold. Parameters and defaults are listed on
 * {@link DecompressionStageProvider}.
 */
public final class Decompression {

    private Decompression() {
    }

    /** gzip, multi-member, with header-field and CRC/ISIZE checks. */
    public static Builder gzip() {
        return new Builder("gzip");
    }

    /** zlib (RFC 1950); {@link Builder#rawDeflate()} for raw deflate (RFC 1951). */
    public static Builder zlib() {
        return new Builder("zlib");
    }

    /** bzip2, multi-stream. */
    public static Builder bzip2() {
        return new Builder("bzip2");
    }

    /** snappy framing; {@link Builder#snappyFormat} for the xerial and raw variants. */
    public static Builder snappy() {
        return new Builder("snappy");
    }

    /** zstd, multi-frame, skippable frames, window capped by {@link Builder#windowLogMax}. */
    public static Builder zstd() {
        return new Builder("zstd");
    }

    /** One ZIP entry ({@link Builder#zipEntry}), or the first; {@link Builder#zipListing()} for a JSON listing. */
    public static Builder zip() {
        return new Builder("zip");
    }

    /** The format chosen from magic bytes, Content-Encoding, then the key's extension; unknown passes through. */
    public static Builder auto() {
        return new Builder("auto");
    }

    /** The snappy variants. */
    public enum SnappyFormat {
        FRAMED, XERIAL, RAW
    }

    /** Parameters of one decompression stage; each method returns this builder. Not thread-safe. */
    public static final class Builder {
        private final String action;
        private final List<ActionSpec.Param> params = new ArrayList<>();

        private Builder(String action) {
            this.action = action;
        }

        private Builder put(String key, String value) {
            params.removeIf(p -> p.key().equals(key));
            params.add(new ActionSpec.Param(key, value));
            return this;
        }

        /** Largest decompressed size in bytes; by default the pipeline's {@code Limits}. */
        public Builder maxOutputBytes(long bytes) {
            return put(DecodeSpec.OUT, Long.toString(bytes));
        }

        /** Largest output ÷ input ratio before the stage stops as a bomb; 0 turns the check off. */
        public Builder maxRatio(long ratio) {
            return put(DecodeSpec.RATIO, Long.toString(ratio));
        }

        /** Most gzip members, bzip2 streams or zstd frames. */
        public Builder maxMembers(long members) {
            return put(DecodeSpec.MEMBERS, Long.toString(members));
        }

        /** Largest output chunk in bytes; by default the pipeline's {@code Limits}. */
        public Builder chunkBytes(long bytes) {
            return put(DecodeSpec.CHUNK, Long.toString(bytes));
        }

        /** Longest wait for input before the stage fails, whole seconds; zero turns it off. */
        public Builder idleTimeout(Duration idle) {
            return put(DecodeSpec.IDLE, Long.toString(Objects.requireNonNull(idle, "idle").toSeconds()));
        }

        /** Ignore bytes after the last member instead of failing on them. */
        public Builder ignoreTrailingBytes() {
            return put(DecodeSpec.TRAILING, "ignore");
        }

        /** zlib only: raw deflate, no zlib header or Adler-32. */
        public Builder rawDeflate() {
            return put(DecodeSpec.RAW, "1");
        }

        /** zstd and auto: largest window as a power of two, checked before any native memory is reserved. */
        public Builder windowLogMax(int log) {
            return put(DecodeSpec.WLOG, Integer.toString(log));
        }

        /** snappy only: the variant. */
        public Builder snappyFormat(SnappyFormat format) {
            return put(DecodeSpec.FORMAT, format.name().toLowerCase(java.util.Locale.ROOT));
        }

        /** auto only: refuse content of no known format instead of passing it through. */
        public Builder failOnUnknownFormat() {
            return put(DecodeSpec.UNKNOWN, "fail");
        }

        /** zip only: the entry to extract, by its name in the archive. */
        public Builder zipEntry(String name) {
            return put(DecodeSpec.ENTRY, Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(name.getBytes(StandardCharsets.UTF_8)));
        }

        /** zip only: a JSON listing of the entries instead of an entry's bytes. */
        public Builder zipListing() {
            return put(DecodeSpec.LIST, "1");
        }

        /** zip and auto: most central-directory entries read. */
        public Builder maxZipEntries(long entries) {
            return put(DecodeSpec.ENTRIES, Long.toString(entries));
        }

        /**
         * The stage as the grammar writes it, canonical (default values left out).
         *
         * @throws io.transflux.pipeline.PipelineSpecException for a value out of range or a parameter the
         *                                                     format does not take, naming both
         */
        public StageSpec toStageSpec() {
            return DecodeSpec.parse(ActionSpec.of(DecodeSpec.CATEGORY, action, params)).toStageSpec();
        }

        /**
         * The operator.
         *
         * @throws io.transflux.pipeline.PipelineSpecException as {@link #toStageSpec()}
         */
        public Operator build() {
            return new DecompressionStageProvider().create(toStageSpec());
        }
    }
}
