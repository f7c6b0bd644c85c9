#!/bin/sh
# Copies the golden fixtures (each made by a reference tool, see golden/compression/*/recreate.sh) into the
# seed corpus of every DecompressionFuzzTest target. Run from this directory. Files Jazzer adds (crash-*,
# regression inputs) are kept: this only overwrites the copies.
set -eu
g=../../../../../golden/compression
seed() { d=$1; shift; mkdir -p "$d"; for f in "$@"; do cp "$g/$f" "$d/"; done; }
seed gzip gzip/concatenatedMembers.gz gzip/fname.gz gzip/noName.gz gzip/pigz.gz
seed zlib zlib/pigz.zz
seed rawDeflate zlib/raw.deflate
seed zstd zstd/level19.zst zstd/multipleFrames.zst zstd/skippableFrames.zst zstd/long27.zst
seed snappyFramed snappy/framed.sz snappy/multiChunk.sz snappy/paddingAndSkippable.sz
seed bzip2 bzip2/bzip2.bz2 bzip2/concatenated.bz2 bzip2/lbzip2.bz2
seed zipStreamed zip/twoEntries.zip zip/stdin.zip zip/storedDescriptor.zip zip/encrypted.zip zip/deflate64.zip
seed auto gzip/fname.gz zlib/pigz.zz zstd/skippableFrames.zst snappy/framed.sz bzip2/concatenated.bz2 zip/twoEntries.zip
# snappy-java's two formats have no golden file: two tiny streams written here by hand in its layout (xerial
# header 82 'SNAPPY' 00, version 1, compatible 1, then a 4-byte length and a raw block; raw: one block).
mkdir -p snappyXerial snappyRaw
printf '\202SNAPPY\000\000\000\000\001\000\000\000\001\000\000\000\015\013\050hello, fuzz' > snappyXerial/hello.snappy
printf '\013\050hello, fuzz' > snappyRaw/hello.raw
