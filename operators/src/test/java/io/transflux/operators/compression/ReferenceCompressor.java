package io.transflux.operators.compression;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.xerial.snappy.SnappyFramedOutputStream;

import com.github.luben.zstd.Zstd;

/** Compresses test data generated in a test with the libraries' own encoders, one constant per stage. */
enum ReferenceCompressor {
    GZIP("decompress/gzip") {
        @Override
        OutputStream wrap(OutputStream out) throws IOException {
            return new GZIPOutputStream(out);
        }
    },
    ZLIB("decompress/zlib") {
        @Override
        OutputStream wrap(OutputStream out) {
            return new DeflaterOutputStream(out);
        }
    },
    BZIP2("decompress/bzip2") {
        @Override
        OutputStream wrap(OutputStream out) throws IOException {
            return new BZip2CompressorOutputStream(out, 1);
        }
    },
    ZSTD("decompress/zstd") {
        @Override
        byte[] compress(byte[] data) {
            return Zstd.compress(data, 3);
        }
    },
    SNAPPY("decompress/snappy") {
        @Override
        OutputStream wrap(OutputStream out) throws IOException {
            return new SnappyFramedOutputStream(out);
        }
    },
    ZIP("decompress/zip") {
        @Override
        byte[] compress(byte[] data) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
                zip.putArchiveEntry(new ZipArchiveEntry("data.bin"));
                zip.write(data);
                zip.closeArchiveEntry();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }
    };

    final String stage;

    ReferenceCompressor(String stage) {
        this.stage = stage;
    }

    OutputStream wrap(OutputStream out) throws IOException {
        throw new UnsupportedOperationException();
    }

    byte[] compress(byte[] data) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = wrap(bytes)) {
            out.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
