#!/usr/bin/env bash
# Makes the seeded image-quality set into directory $1: seven 600x400 pictures, each as PNG and as JPEG
# (quality 92, 4:2:0). Needs Debian packages imagemagick (ImageMagick 6, /usr/bin/convert) and
# fonts-dejavu-core. ImageQualityHarnessTest runs this, then compares our resizes with vipsthumbnail's.
set -euo pipefail
out=$1
IM=/usr/bin/convert   # the real ImageMagick, not a stand-in that may shadow it on PATH
S=600x400
cd "$out"
# Photo-like: a seeded plasma fractal, slightly blurred like a camera image.
$IM -seed 11 -size $S plasma:fractal -blur 0x0.6 photo.png
# Noise: seeded random colour noise over the whole range, slightly blurred (a worst case for any resampler).
$IM -seed 12 -size $S xc: +noise Random -blur 0x0.5 noise.png
# Fine line patterns, 1 px lines on white, tiled by ImageMagick's built-in patterns.
$IM -size $S pattern:hs_vertical -type TrueColor hs_vertical.png
$IM -size $S pattern:hs_horizontal -type TrueColor hs_horizontal.png
$IM -size $S pattern:hs_diagcross -type TrueColor hs_diagcross.png
$IM -size $S pattern:checkerboard -type TrueColor checkerboard.png
# Text: small black DejaVu Sans on white, several lines.
$IM -size $S -background white -fill black -font DejaVu-Sans -pointsize 13 \
  caption:"$(for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18; do printf 'Line %02d: The quick brown fox jumps over the lazy dog, 0123456789. ' $i; done)" \
  -type TrueColor text.png
# 8-bit PNGs (grey where the picture is grey); colour 4:2:0 JPEGs, except text, which stays a greyscale JPEG.
for f in photo noise hs_vertical hs_horizontal hs_diagcross checkerboard text; do
  $IM "$f.png" -strip -depth 8 -define png:exclude-chunks=date,time "$f.png"
  type=TrueColor
  [ "$f" = text ] && type=Grayscale
  $IM "$f.png" -strip -type $type -sampling-factor 2x2 -quality 92 "$f.jpg"
done
