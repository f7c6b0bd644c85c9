#!/usr/bin/env bash
# Makes the JPEG decoder test set into directory $1 from one seeded picture with odd sides (203x117, so MCUs are
# partial at the right and bottom): every sampling, baseline and progressive, restart markers, greyscale, RGB
# (Adobe transform 0), arithmetic coding. Needs Debian packages imagemagick (/usr/bin/convert) and
# libjpeg-turbo-progs (cjpeg, djpeg). JpegDecoderTest runs this and compares our pixels with djpeg's.
set -euo pipefail
out=$1
IM=/usr/bin/convert
cd "$out"
$IM -seed 21 -size 203x117 plasma:fractal -blur 0x0.4 \( -size 203x117 pattern:hs_diagcross \) \
  -compose multiply -composite -depth 8 src.ppm
$IM src.ppm -colorspace Gray -depth 8 src.pgm
for s in 1x1 2x1 2x2 1x2; do
  cjpeg -quality 90 -sample $s src.ppm > base-$s.jpg
  cjpeg -quality 90 -sample $s -progressive src.ppm > prog-$s.jpg
  cjpeg -quality 75 -sample $s -restart 2B src.ppm > restart-$s.jpg
done
cjpeg -quality 85 -progressive -restart 1 src.ppm > prog-restart.jpg
cjpeg -quality 90 src.pgm > grey.jpg
cjpeg -quality 90 -progressive src.pgm > grey-prog.jpg
cjpeg -quality 90 -rgb src.ppm > rgb.jpg
cjpeg -quality 90 -optimize src.ppm > optimized.jpg
cjpeg -quality 90 -arithmetic src.ppm > arithmetic.jpg
for f in *.jpg; do
  [ "$f" = arithmetic.jpg ] && continue
  djpeg -pnm "$f" > "${f%.jpg}.djpeg.pnm"
done
