/**
 * Decompression stages ({@code decompress/gzip}, {@code zlib}, {@code bzip2}, {@code snappy}, {@code zstd},
 * {@code zip}, {@code auto}) registered through {@link io.transflux.operators.compression.DecompressionStageProvider}.
 * Each codec is a plain state machine behind a thin Reactor adapter: push codecs (Inflater, zstd-jni, snappy)
 * decode on the thread that delivers input; commons-compress ZIP runs behind a bounded {@code InputStream}
 * bridge on a worker scheduler, and so does the own block-parallel bzip2 decoder, a push state machine that
 * may wait for its block workers ({@code ChunkDecoderReader}). Every stage bounds its chunks, output bytes, expansion
 * ratio, members and idle time.
 */
@NullMarked
package io.transflux.operators.compression;

import org.jspecify.annotations.NullMarked;
