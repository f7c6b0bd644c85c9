package io.transflux.operators.compression;

import java.io.FilterInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.zip.CRC32;

import org.jspecify.annotations.Nullable;

import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipMethod;

import io.transflux.pipeline.DecompressionException;
import io.transflux.pipeline.LimitExceededException;
import io.transflux.pipeline.UnsupportedFormatException;

/**
 * One ZIP entry's bytes, or a JSON listing of the entries, read with commons-compress's streaming
 * local-header reader. Returns the entry named by {@code entry_}, else the first file entry (which is also
 * the only one when there is one). Refuses what a stream cannot read safely: STORED entries with a data
 * descriptor, encrypted entries and methods outside {STORED, DEFLATED, DEFLATE64, BZIP2}. Verifies the
 * entry's CRC-32 and size; never expands nested archives.
 */
final class ZipEntryReader implements PullReader {

    private static final Set<Integer> METHODS = Set.of(ZipMethod.STORED.getCode(), ZipMethod.DEFLATED.getCode(),
            ZipMethod.ENHANCED_DEFLATED.getCode(), ZipMethod.BZIP2.getCode());

    enum State { FIND, ENTRY, LIST, DONE, CORRUPTED }

    private final InputStreamBridge bridge;
    private final ZipArchiveInputStream zin;
    private final @Nullable String wanted;
    private final long maxEntries;
    private final DecodeLimits limits;
    private final CRC32 crc = new CRC32();
    private State state;
    private @Nullable ZipArchiveEntry current;
    private long entryBytes;
    private long entries;
    private long drained;
    private byte @Nullable [] pending;
    private int pendingPos;
    private boolean listStarted;
    private boolean listEnded;

    ZipEntryReader(InputStreamBridge bridge, @Nullable String wanted, boolean list, long maxEntries, DecodeLimits limits) {
        this.bridge = bridge;
        this.wanted = wanted;
        this.maxEntries = maxEntries;
        this.limits = limits;
        this.state = list ? State.LIST : State.FIND;
        FilterInputStream shielded = new FilterInputStream(bridge) {
            @Override
            public void close() {
                // the bridge is closed by PullDecoding, once
            }
        };
        this.zin = new ZipArchiveInputStream(shielded, "UTF-8", true, false, true);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        for (;;) {
            switch (state) {
                case FIND -> {
                    ZipArchiveEntry e = nextEntry();
                    if (e == null) {
                        if (entries == 0) {
                            throw error(bridge.consumed() == 0 ? "empty input: expected a local file header"
                                    : "no local file header: truncated, empty or not a ZIP archive");
                        }
                        state = State.CORRUPTED;
                        throw new UnsupportedFormatException(wanted != null
                                ? "zip: the archive has no file entry named '" + wanted + "'"
                                : "zip: the archive has no file entry");
                    }
                    if (e.isDirectory() || (wanted != null && !wanted.equals(e.getName()))) {
                        continue;
                    }
                    checkReadable(e);
                    current = e;
                    crc.reset();
                    entryBytes = 0;
                    state = State.ENTRY;
                }
                case ENTRY -> {
                    int n = readEntry(b, off, len);
                    if (n >= 0) {
                        return n;
                    }
                    state = State.DONE;
                    return -1;
                }
                case LIST -> {
                    if (pending != null) {
                        int n = Math.min(len, pending.length - pendingPos);
                        System.arraycopy(pending, pendingPos, b, off, n);
                        pendingPos += n;
                        if (pendingPos == pending.length) {
                            pending = null;
                        }
                        return n;
                    }
                    if (listEnded) {
                        state = State.DONE;
                        return -1;
                    }
                    listNext();
                }
                case DONE -> {
                    return -1;
                }
                case CORRUPTED -> throw new DecompressionException("zip: decoder already failed");
                default -> throw new IllegalStateException(state.name());
            }
        }
    }

    private void listNext() throws IOException {
        StringBuilder json = new StringBuilder();
        if (!listStarted) {
            listStarted = true;
            json.append("{\"entries\":[");
        }
        ZipArchiveEntry e = nextEntry();
        if (e == null) {
            if (entries == 0 && bridge.consumed() == 0) {
                throw error("empty input: expected a local file header");
            }
            json.append("]}\n");
            pending = json.toString().getBytes(StandardCharsets.UTF_8);
            pendingPos = 0;
            listEnded = true;
            return;
        }
        boolean encrypted = e.getGeneralPurposeBit().usesEncryption();
        Long size = null;
        Long crcValue = null;
        if (!e.isDirectory() && !encrypted && METHODS.contains(e.getMethod()) && zin.canReadEntryData(e)) {
            current = e;
            crc.reset();
            entryBytes = 0;
            byte[] scratch = new byte[16 * 1024];
            while (readEntry(scratch, 0, scratch.length) >= 0) {
                // drained and verified
            }
            size = entryBytes;
            crcValue = crc.getValue();
        }
        current = null;
        if (entries > 1) {
            json.append(',');
        }
        json.append("{\"name\":");
        quote(json, e.getName());
        json.append(",\"directory\":").append(e.isDirectory());
        json.append(",\"method\":");
        ZipMethod m = ZipMethod.getMethodByCode(e.getMethod());
        quote(json, m == null ? Integer.toString(e.getMethod()) : m.name());
        json.append(",\"encrypted\":").append(encrypted);
        json.append(",\"size\":").append(size != null ? size : e.getSize() >= 0 ? Long.toString(e.getSize()) : "null");
        json.append(",\"compressedSize\":").append(e.getCompressedSize() >= 0 ? Long.toString(e.getCompressedSize()) : "null");
        json.append(",\"crc32\":");
        if (crcValue != null) {
            quote(json, String.format("%08x", crcValue));
        } else {
            json.append("null");
        }
        json.append('}');
        pending = json.toString().getBytes(StandardCharsets.UTF_8);
        pendingPos = 0;
    }

    private int readEntry(byte[] b, int off, int len) throws IOException {
        ZipArchiveEntry e = current;
        int n;
        try {
            n = zin.read(b, off, len);
        } catch (IOException ex) {
            if (bridge.upstreamError() != null) {
                throw ex;
            }
            if (ex instanceof org.apache.commons.compress.archivers.zip.UnsupportedZipFeatureException u) {
                state = State.CORRUPTED;
                throw new UnsupportedFormatException("zip: entry '" + e.getName() + "': " + u.getMessage());
            }
            String msg = String.valueOf(ex.getMessage());
            throw error((msg.contains("Truncated") || msg.contains("truncated") || msg.contains("Unexpected end")
                    ? "truncated: " : "") + "entry '" + e.getName() + "': " + msg);
        }
        if (n > 0) {
            crc.update(b, off, n);
            entryBytes += n;
            if (state == State.LIST) {
                drained += n;
                limits.checkOutput(drained, bridge.consumed());
            }
            return n;
        }
        if (n == 0) {
            return 0;
        }
        if (e.getGeneralPurposeBit().usesDataDescriptor() && state != State.LIST) {
            // the CRC and sizes are in the data descriptor after the data: step over it to learn them
            nextEntry();
        }
        if (e.getCrc() < 0 && e.getGeneralPurposeBit().usesDataDescriptor() && state != State.LIST) {
            throw error("entry '" + e.getName() + "': no CRC-32 after the data descriptor");
        }
        if (e.getCrc() >= 0 && crc.getValue() != e.getCrc()) {
            throw error(String.format("entry '%s': CRC-32 actual 0x%08x != expected 0x%08x", e.getName(), crc.getValue(),
                    e.getCrc()));
        }
        if (e.getSize() >= 0 && e.getSize() != entryBytes) {
            throw error("entry '" + e.getName() + "': size actual " + entryBytes + " != expected " + e.getSize());
        }
        return -1;
    }

    private @Nullable ZipArchiveEntry nextEntry() throws IOException {
        ZipArchiveEntry e;
        try {
            e = zin.getNextEntry();
        } catch (IOException ex) {
            if (bridge.upstreamError() != null) {
                throw ex;
            }
            throw error(String.valueOf(ex.getMessage()));
        } catch (IllegalArgumentException ex) {
            throw error(String.valueOf(ex.getMessage()));
        }
        if (e == null) {
            return null;
        }
        entries++;
        if (entries > maxEntries) {
            throw new LimitExceededException("zipEntries", maxEntries, entries, "entries",
                    "zip: raise it with decompress/zip,entries_<n>");
        }
        int nameBytes = e.getName().getBytes(StandardCharsets.UTF_8).length;
        if (nameBytes > DecodeSpec.MAX_ENTRY_NAME_BYTES) {
            throw new LimitExceededException("zipEntryNameBytes", DecodeSpec.MAX_ENTRY_NAME_BYTES, nameBytes, "bytes",
                    "zip: entry names longer than this are refused");
        }
        return e;
    }

    private void checkReadable(ZipArchiveEntry e) {
        String name = e.getName();
        if (e.getGeneralPurposeBit().usesEncryption()) {
            state = State.CORRUPTED;
            throw new UnsupportedFormatException("zip: entry '" + name + "' is encrypted; encrypted entries are not supported");
        }
        if (!METHODS.contains(e.getMethod())) {
            ZipMethod m = ZipMethod.getMethodByCode(e.getMethod());
            state = State.CORRUPTED;
            throw new UnsupportedFormatException("zip: entry '" + name + "' uses compression method " + e.getMethod()
                    + (m == null ? "" : " (" + m.name() + ")") + "; supported: STORED, DEFLATED, DEFLATE64 (ENHANCED_DEFLATED), BZIP2");
        }
        if (e.getMethod() == ZipMethod.STORED.getCode() && e.getGeneralPurposeBit().usesDataDescriptor()) {
            state = State.CORRUPTED;
            throw new UnsupportedFormatException("zip: entry '" + name + "' is STORED with a data descriptor, which a "
                    + "streaming reader cannot delimit safely");
        }
        if (!zin.canReadEntryData(e)) {
            state = State.CORRUPTED;
            throw new UnsupportedFormatException("zip: entry '" + name + "' cannot be read from a stream");
        }
    }

    static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    private DecompressionException error(String rule) {
        state = State.CORRUPTED;
        return new DecompressionException("zip: " + rule + " near input offset " + bridge.consumed());
    }

    @Override
    public long members() {
        return entries;
    }
}
