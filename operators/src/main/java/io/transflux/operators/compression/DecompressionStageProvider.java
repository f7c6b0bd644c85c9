package io.transflux.operators.compression;

import java.util.Set;

import io.transflux.pipeline.Operator;
import io.transflux.pipeline.PipelineSpecException;
import io.transflux.pipeline.StageProvider;
import io.transflux.pipeline.StageSpec;

/**
 * The {@code decompress} stages: {@code gzip}, {@code zlib}, {@code bzip2}, {@code snappy}, {@code zstd},
 * {@code zip} and {@code auto}. Registered through {@code ServiceLoader}.
 *
 * <table>
 *   <caption>Parameters (every stage)</caption>
 *   <tr><th>Parameter</th><th>Default</th><th>Meaning</th></tr>
 *   <tr><td>{@code out_<bytes>}</td><td>{@code Limits.maxOutputBytes()} (1 GiB)</td><td>most bytes the stage may produce</td></tr>
 *   <tr><td>{@code ratio_<n>}</td><td>100000</td><td>most output bytes per input byte, checked once 1 MiB is out; 0 disables</td></tr>
 *   <tr><td>{@code members_<n>}</td><td>10 000</td><td>most gzip members, zstd frames (skippable included), bzip2 or snappy streams, ZIP entries seen</td></tr>
 *   <tr><td>{@code chunk_<bytes>}</td><td>{@code Limits.maxChunkBytes()} (64 KiB)</td><td>largest buffer emitted (512 B .. 8 MiB)</td></tr>
 *   <tr><td>{@code idle_<seconds>}</td><td>10</td><td>no-progress watchdog: fail when no output buffer was emitted for this long while downstream demand was outstanding (a subscriber that stops requesting never trips it); 0 disables</td></tr>
 *   <tr><td>{@code trailing_ignore}</td><td>{@code trailing_reject}</td><td>accept bytes after the end of the compressed data</td></tr>
 * </table>
 *
 * <table>
 *   <caption>Parameters (some stages)</caption>
 *   <tr><th>Stage</th><th>Parameter</th><th>Default</th><th>Meaning</th></tr>
 *   <tr><td>zlib</td><td>{@code raw_1}</td><td>0</td><td>bare deflate (RFC 1951) without the zlib wrapper</td></tr>
 *   <tr><td>zstd, auto</td><td>{@code wlog_<n>}</td><td>27</td><td>largest window log a frame may ask for (10..31); checked before any native allocation</td></tr>
 *   <tr><td>snappy</td><td>{@code format_framed|xerial|raw}</td><td>framed</td><td>framing format, snappy-java's SnappyOutputStream, or one raw block (at most 4 MiB)</td></tr>
 *   <tr><td>auto</td><td>{@code unknown_pass|fail}</td><td>pass</td><td>what to do with content of no known format</td></tr>
 *   <tr><td>zip</td><td>{@code entry_<urlsafe-base64 name>}</td><td>first file entry</td><td>the entry to return</td></tr>
 *   <tr><td>zip</td><td>{@code list_1}</td><td>0</td><td>return a JSON listing of the entries instead</td></tr>
 *   <tr><td>zip, auto</td><td>{@code entries_<n>}</td><td>10 000</td><td>most entries read</td></tr>
 *   <tr><td>zip</td><td>{@code cd_<bytes>}</td><td>16 MiB</td><td>largest central directory read by range;
 *       checked, with {@code entries_}, against the end record before the directory is read</td></tr>
 * </table>
 *
 * <p>{@code auto} chooses from the magic bytes of the content, then {@code Content-Encoding}, then the
 * key's extension, over the allow-list {gzip, zlib, bzip2, zstd, snappy framed, snappy xerial, zip}.
 * Unknown content passes through unchanged unless {@code unknown_fail}. Raw deflate and raw snappy have no
 * magic and are never sniffed.
 *
 * <p>{@code zip} reads by range when the input {@link io.transflux.pipeline.ObjectStream#rangeReader() has a
 * range reader} (it is the first stage after a file or HTTP source): it cancels the sequential content, reads
 * the end record from the last 64 KiB + 22 bytes, then the central directory in one read, refuses overlapping
 * entries, and reads only the chosen entry's bytes, verifying its CRC-32 and size from the central directory.
 * Then STORED entries with a data descriptor are fine. Without a range reader it streams with a local-header
 * reader, which refuses them. {@code list_1} by range lists from the central directory alone.
 *
 * <p>Metadata: {@code Content-Encoding} and {@code Content-Length} are removed (a decoded length is not
 * known in advance when streaming); {@code Content-Type} comes from the inner name (the key without its
 * compression extension, or the ZIP entry named by {@code entry_}) through a small table, else
 * {@code application/octet-stream}. {@code auto} keeps the Content-Type when neither the encoding, the key
 * nor the Content-Type mentions compression. {@code list_1} yields {@code application/json}.
 */
public final class DecompressionStageProvider implements StageProvider {

    private static final Set<String> ACTIONS = Set.of("gzip", "zlib", "bzip2", "snappy", "zstd", "zip", "auto");

    @Override
    public String category() {
        return DecodeSpec.CATEGORY;
    }

    @Override
    public Set<String> actions() {
        return ACTIONS;
    }

    @Override
    public Operator create(StageSpec spec) {
        if (spec.actions().size() != 1) {
            throw new PipelineSpecException("stage " + spec.name() + ": decompress stages take one action, got "
                    + spec.actions().size());
        }
        DecodeSpec decode = DecodeSpec.parse(spec.action());
        Format format = switch (decode.action) {
            case "gzip" -> Format.GZIP;
            case "zlib" -> Format.ZLIB;
            case "bzip2" -> Format.BZIP2;
            case "snappy" -> Format.SNAPPY;
            case "zstd" -> Format.ZSTD;
            case "zip" -> Format.ZIP;
            case "auto" -> null;
            default -> throw new PipelineSpecException("unknown stage 'decompress/" + decode.action + "': expected one of "
                    + new java.util.TreeSet<>(ACTIONS));
        };
        return new DecompressionOperator(decode, format);
    }
}
