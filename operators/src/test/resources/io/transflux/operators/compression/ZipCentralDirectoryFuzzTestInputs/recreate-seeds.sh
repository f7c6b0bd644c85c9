#!/bin/sh
# Copies the golden ZIP fixtures (see golden/compression/zip/recreate.sh) into the seed corpus of both
# ZipCentralDirectoryFuzzTest targets. Run from this directory; files Jazzer adds are kept.
set -eu
for t in listsByRangeOrFailsTyped extractsByRangeOrFailsTyped; do
  mkdir -p "$t"
  cp ../../../../../golden/compression/zip/*.zip "$t/"
done
