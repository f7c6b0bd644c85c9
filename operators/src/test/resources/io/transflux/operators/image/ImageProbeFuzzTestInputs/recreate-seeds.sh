#!/bin/sh
# Copies the golden image fixtures (see golden/image/recreate.sh) into the seed corpus of both
# ImageProbeFuzzTest targets. Run from this directory; files Jazzer adds are kept.
set -eu
g=../../../../../golden/image
mkdir -p probesHeaderOrFailsTyped scansJpegSegmentsWithoutThrowing
for f in "$g"/*; do case "$f" in *.sh) ;; *) cp "$f" probesHeaderOrFailsTyped/ ;; esac; done
cp "$g"/*.jpg scansJpegSegmentsWithoutThrowing/
