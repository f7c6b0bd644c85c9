package io.transflux.operators.compression;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.transflux.pipeline.DecompressionException;
import io.transflux.pipeline.LimitExceededException;
import io.transflux.pipeline.UnsupportedFormatException;

/**
 * The index at the end of a ZIP archive (<a href="https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT">
 * APPNOTE 6.3.10</a> 4.3.16, Zip64 4.3.14/4.3.15), parsed from bytes the caller read by range: a plain parser
 * with no I/O, so every limit is checked before the next read is asked for. It trusts sizes and offsets from
 * the central directory and refuses archives whose entries overlap (two central headers pointing at one local
 * header, or data running into the next entry).
 */
final class ZipCentralDirectory {

    static final int EOCD_BYTES = 22;
    static final int MAX_COMMENT_BYTES = 0xffff;
    /** The longest tail that can hold the end-of-central-directory record. */
    static final int MAX_TAIL_BYTES = EOCD_BYTES + MAX_COMMENT_BYTES;
    static final int ZIP64_LOCATOR_BYTES = 20;
    static final int ZIP64_EOCD_BYTES = 56;
    static final int LOCAL_HEADER_BYTES = 30;
    private static final int CENTRAL_HEADER_BYTES = 46;

    private static final int EOCD_SIG = 0x06054b50;
    private static final int ZIP64_LOCATOR_SIG = 0x07064b50;
    private static final int ZIP64_EOCD_SIG = 0x06064b50;
    private static final int CENTRAL_SIG = 0x02014b50;
    private static final int LOCAL_SIG = 0x04034b50;
    private static final int ZIP64_EXTRA = 0x0001;

    private ZipCentralDirectory() {
    }

    /**
     * Where the central directory is, from the end-of-central-directory record (and the Zip64 record, if
     * {@link #zip64RecordOffset} asked for it).
     *
     * @param zip64Offset where the Zip64 end record lies, or -1 without one
     * @param end         the offset the central directory must end by: the Zip64 record or the EOCD record
     */
    record Location(long cdOffset, long cdSize, long entries, long zip64Offset, long end) {
    }

    /** One central directory header, with Zip64 values already applied. */
    record Entry(String name, int flags, int method, long crc, long compressedSize, long size,
            long localHeaderOffset, int nameBytes) {

        boolean isDirectory() {
            return name.endsWith("/");
        }

        boolean encrypted() {
            return (flags & 1) != 0;
        }
    }

    /*
     * End of central directory record (4.3.16), little-endian:
     * +--------+------+--------+---------+---------+--------+----------+---------+----------+
     * | sig    | disk | cdDisk | entries | entries | cdSize | cdOffset | comment | comment  |
     * | 4      | 2    | 2      | on disk | total 2 | 4      | 4        | len 2   | (len)    |
     * +--------+------+--------+---------+---------+--------+----------+---------+----------+
     * Zip64 locator (4.3.15), just before it: sig 4 | disk 4 | zip64 EOCD offset 8 | disks 4
     */

    /**
     * Finds the end record in the last {@code tail.length} bytes of an object of {@code size} bytes.
     * Returns a location with {@code zip64Offset >= 0} when a Zip64 record must be read and applied with
     * {@link #applyZip64}.
     */
    static Location locate(byte[] tail, long size) {
        if (size == 0) {
            throw error("empty input: expected an end of central directory record", 0);
        }
        if (tail.length < EOCD_BYTES) {
            throw error("truncated: " + size + " bytes cannot hold the 22-byte end of central directory record", 0);
        }
        ByteBuffer b = ByteBuffer.wrap(tail).order(ByteOrder.LITTLE_ENDIAN);
        long tailStart = size - tail.length;
        for (int i = tail.length - EOCD_BYTES; i >= 0; i--) {
            if (b.getInt(i) != EOCD_SIG || i + EOCD_BYTES + u16(b, i + 20) != tail.length) {
                continue;
            }
            long eocd = tailStart + i;
            long zip64 = -1;
            if (i >= ZIP64_LOCATOR_BYTES && b.getInt(i - ZIP64_LOCATOR_BYTES) == ZIP64_LOCATOR_SIG) {
                zip64 = b.getLong(i - ZIP64_LOCATOR_BYTES + 8);
                if (zip64 < 0 || zip64 > eocd - ZIP64_LOCATOR_BYTES - ZIP64_EOCD_BYTES) {
                    throw error("Zip64 locator points at " + zip64 + ", expected a record before "
                            + (eocd - ZIP64_LOCATOR_BYTES), eocd - ZIP64_LOCATOR_BYTES);
                }
            } else if (u16(b, i + 4) != 0 || u16(b, i + 6) != 0 || u16(b, i + 8) != u16(b, i + 10)) {
                throw new UnsupportedFormatException("zip: multi-disk archive (end record at offset " + eocd
                        + "); only single-file archives are supported");
            }
            long end = zip64 >= 0 ? zip64 : eocd;
            Location l = new Location(u32(b, i + 16), u32(b, i + 12), u16(b, i + 10), zip64, end);
            return zip64 >= 0 ? l : checked(l); // Zip64 values come from the record, checked when applied
        }
        throw error("no end of central directory record in the last " + tail.length + " bytes: truncated or not a"
                + " ZIP archive", tailStart);
    }

    /*
     * Zip64 end of central directory record (4.3.14):
     * sig 4 | record size 8 | made by 2 | needed 2 | disk 4 | cdDisk 4 | entries on disk 8 | entries 8 |
     * cdSize 8 | cdOffset 8
     */
    static Location applyZip64(Location l, byte[] record) {
        ByteBuffer b = ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN);
        if (record.length < ZIP64_EOCD_BYTES || b.getInt(0) != ZIP64_EOCD_SIG) {
            throw error("no Zip64 end of central directory record where the locator points", l.zip64Offset());
        }
        if (b.getInt(16) != 0 || b.getInt(20) != 0 || b.getLong(24) != b.getLong(32)) {
            throw new UnsupportedFormatException("zip: multi-disk Zip64 archive (record at offset " + l.zip64Offset()
                    + "); only single-file archives are supported");
        }
        return checked(new Location(b.getLong(48), b.getLong(40), b.getLong(32), l.zip64Offset(), l.end()));
    }

    private static Location checked(Location l) {
        if (l.cdOffset() < 0 || l.cdSize() < 0 || l.entries() < 0 || l.cdOffset() + l.cdSize() > l.end()
                || l.cdOffset() + l.cdSize() < 0) {
            throw error("central directory [" + l.cdOffset() + ", +" + l.cdSize() + ") does not end by the end record at "
                    + l.end(), l.end());
        }
        return l;
    }

    /** Checks the declared directory size and entry count before the directory is read. */
    static void checkLimits(Location l, long maxCdBytes, long maxEntries) {
        if (l.cdSize() > maxCdBytes) {
            throw new LimitExceededException("zipCentralDirectoryBytes", maxCdBytes, l.cdSize(), "bytes",
                    "zip: raise it with decompress/zip,cd_<bytes>");
        }
        if (l.entries() > maxEntries) {
            throw new LimitExceededException("zipEntries", maxEntries, l.entries(), "entries",
                    "zip: raise it with decompress/zip,entries_<n>");
        }
    }

    /*
     * Central directory header (4.3.12), 46 bytes then name, extra, comment:
     * 0 sig | 4 made by | 6 needed | 8 flags | 10 method | 12 time | 14 date | 16 crc | 20 csize | 24 size |
     * 28 nameLen | 30 extraLen | 32 commentLen | 34 disk | 36 int attr | 38 ext attr | 42 local header offset
     */
    static List<Entry> parse(byte[] cd, Location l, long maxEntries) {
        ByteBuffer b = ByteBuffer.wrap(cd).order(ByteOrder.LITTLE_ENDIAN);
        List<Entry> entries = new ArrayList<>();
        int p = 0;
        while (p < cd.length) {
            long at = l.cdOffset() + p;
            if (cd.length - p < CENTRAL_HEADER_BYTES || b.getInt(p) != CENTRAL_SIG) {
                throw error("expected a central directory header (PK\\1\\2)", at);
            }
            if (entries.size() >= maxEntries) {
                throw new LimitExceededException("zipEntries", maxEntries, entries.size() + 1L, "entries",
                        "zip: raise it with decompress/zip,entries_<n>");
            }
            int nameLen = u16(b, p + 28);
            int extraLen = u16(b, p + 30);
            int commentLen = u16(b, p + 32);
            if (CENTRAL_HEADER_BYTES + nameLen + extraLen + commentLen > cd.length - p) {
                throw error("central directory header runs past the directory's end", at);
            }
            if (nameLen > DecodeSpec.MAX_ENTRY_NAME_BYTES) {
                throw new LimitExceededException("zipEntryNameBytes", DecodeSpec.MAX_ENTRY_NAME_BYTES, nameLen, "bytes",
                        "zip: entry names longer than this are refused");
            }
            String name = new String(cd, p + CENTRAL_HEADER_BYTES, nameLen, StandardCharsets.UTF_8);
            long csize = u32(b, p + 20);
            long size = u32(b, p + 24);
            long lho = u32(b, p + 42);
            int disk = u16(b, p + 34);
            int x = p + CENTRAL_HEADER_BYTES + nameLen;
            int xEnd = x + extraLen;
            while (x + 4 <= xEnd) {
                int id = u16(b, x);
                int len = u16(b, x + 2);
                int q = x + 4;
                if (q + len > xEnd) {
                    break;
                }
                if (id == ZIP64_EXTRA) {
                    if (size == 0xffffffffL && q + 8 <= x + 4 + len) {
                        size = b.getLong(q);
                        q += 8;
                    }
                    if (csize == 0xffffffffL && q + 8 <= x + 4 + len) {
                        csize = b.getLong(q);
                        q += 8;
                    }
                    if (lho == 0xffffffffL && q + 8 <= x + 4 + len) {
                        lho = b.getLong(q);
                        q += 8;
                    }
                    if (disk == 0xffff && q + 4 <= x + 4 + len) {
                        disk = b.getInt(q);
                    }
                }
                x += 4 + len;
            }
            if (disk != 0) {
                throw new UnsupportedFormatException("zip: entry '" + name + "' starts on disk " + disk
                        + "; only single-file archives are supported");
            }
            if (size < 0 || csize < 0 || lho < 0) {
                throw error("entry '" + name + "' has a negative Zip64 size or offset", at);
            }
            entries.add(new Entry(name, u16(b, p + 8), u16(b, p + 10), u32(b, p + 16), csize, size, lho, nameLen));
            p += CENTRAL_HEADER_BYTES + nameLen + extraLen + commentLen;
        }
        if (entries.size() != l.entries()) {
            throw error("the end record declares " + l.entries() + " entries, the central directory holds "
                    + entries.size(), l.cdOffset());
        }
        return entries;
    }

    /**
     * Refuses overlapping entries: sorted by local header offset, each entry's smallest possible local header
     * ({@value #LOCAL_HEADER_BYTES} bytes plus its name) and compressed data must end by the next entry's local
     * header, and the last by the central directory.
     */
    static void checkNoOverlap(List<Entry> entries, Location l) {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::localHeaderOffset));
        for (int i = 0; i < sorted.size(); i++) {
            Entry e = sorted.get(i);
            long end = e.localHeaderOffset() + LOCAL_HEADER_BYTES + e.nameBytes() + e.compressedSize();
            long limit = i + 1 < sorted.size() ? sorted.get(i + 1).localHeaderOffset() : l.cdOffset();
            if (end < 0 || end > limit) {
                throw error("entries overlap: '" + e.name() + "' (local header at " + e.localHeaderOffset() + ", "
                        + e.compressedSize() + " compressed bytes) runs to at least " + end + ", past "
                        + (i + 1 < sorted.size() ? "the local header of '" + sorted.get(i + 1).name() + "' at "
                                : "the central directory at ") + limit, e.localHeaderOffset());
            }
        }
    }

    /** Where the next entry (or the central directory) starts after {@code e}: its data must end by then. */
    static long boundaryAfter(List<Entry> entries, Entry e, Location l) {
        long next = l.cdOffset();
        for (Entry o : entries) {
            if (o.localHeaderOffset() > e.localHeaderOffset() && o.localHeaderOffset() < next) {
                next = o.localHeaderOffset();
            }
        }
        return next;
    }

    /**
     * The entry the stage returns: the one named {@code wanted}, else the first file entry in central directory
     * order (which is also the only one when there is one).
     */
    static Entry choose(List<Entry> entries, @Nullable String wanted) {
        for (Entry e : entries) {
            if (!e.isDirectory() && (wanted == null || wanted.equals(e.name()))) {
                return e;
            }
        }
        throw new UnsupportedFormatException(wanted != null ? "zip: the archive has no file entry named '" + wanted + "'"
                : "zip: the archive has no file entry");
    }

    /*
     * Local file header (4.3.7): 0 sig | 4 needed | 6 flags | 8 method | 10 time | 12 date | 14 crc | 18 csize |
     * 22 size | 26 nameLen | 28 extraLen, then name and extra; the data follows.
     */
    /** The offset of {@code e}'s data, from the first {@value #LOCAL_HEADER_BYTES} bytes of its local header. */
    static long dataOffset(Entry e, byte[] localHeader, long boundary) {
        ByteBuffer b = ByteBuffer.wrap(localHeader).order(ByteOrder.LITTLE_ENDIAN);
        if (localHeader.length < LOCAL_HEADER_BYTES || b.getInt(0) != LOCAL_SIG) {
            throw error("entry '" + e.name() + "': no local file header (PK\\3\\4) where the central directory points",
                    e.localHeaderOffset());
        }
        long data = e.localHeaderOffset() + LOCAL_HEADER_BYTES + u16(b, 26) + u16(b, 28);
        if (data + e.compressedSize() > boundary) {
            throw error("entries overlap: '" + e.name() + "' data [" + data + ", " + (data + e.compressedSize())
                    + ") runs past " + boundary + ", where the next entry or the central directory starts",
                    e.localHeaderOffset());
        }
        return data;
    }

    private static int u16(ByteBuffer b, int i) {
        return b.getShort(i) & 0xffff;
    }

    private static long u32(ByteBuffer b, int i) {
        return b.getInt(i) & 0xffffffffL;
    }

    private static DecompressionException error(String rule, long offset) {
        return new DecompressionException("zip: " + rule + " at offset " + offset);
    }
}
