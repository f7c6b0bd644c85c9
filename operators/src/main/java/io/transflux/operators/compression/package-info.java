/**
 * Decompression stages ({@code decompress/gzip}, {@code zlib}, {@code bzip2}, {@code snappy}, {@code zstd},
 * {@code zip}, {@code auto}) registered through {@link io.transflux.operators.compression.DecompressionStageProvider}.
 * Each codec is a plain state machine behind a thin Reactor adapter: push codecs (Inflater, zstd-jni, snappy)
 * decode on the thread that delivers input, pull codecs (commons-compress bzip2 and ZIP) run behind a bounded
 * {@code InputStream} bridge on a worker scheduler. Every stage bounds its chunks, output bytes, expansion
 * ratio, members and idle time.
 */
@NullMarked
package io.transflux.operators.compression;

import org.jspecify.annotations.NullMarked;
