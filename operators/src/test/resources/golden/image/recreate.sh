#!/usr/bin/env bash
# Recreates the image golden fixtures. Needs Debian packages: imagemagick (convert), libvips-tools (vips,
# vipsthumbnail), webp (cwebp), libimage-exiftool-perl (exiftool). Tests only read the files; they never run
# these tools. Run from this directory: bash recreate.sh
set -euo pipefail
IM=/usr/bin/convert   # the real ImageMagick 6, not a stand-in that may shadow it on PATH

# A photographic-looking 160x120 JPEG (plasma fractal + slight blur), quality 85, no metadata.
$IM -seed 7 -size 160x120 plasma:fractal -blur 0x0.7 -strip -sampling-factor 2x2 -quality 85 photo-160x120.jpg

# The same picture at quality 60, for the relative-quality test.
$IM photo-160x120.jpg -strip -quality 60 photo-160x120-q60.jpg

# 64x32 JPEG with EXIF Orientation 6 (rotate 90 CW to display) and a GPS tag that must not survive.
$IM -size 64x32 xc:red -fill blue -draw 'rectangle 0,0 15,31' -strip -quality 90 exif-orientation-6.jpg
exiftool -q -overwrite_original -Orientation#=6 -GPSLatitude=48.8566 -GPSLatitudeRef=N exif-orientation-6.jpg

# 40x30 PNG with an alpha channel: left half opaque green, right half fully transparent.
$IM -size 40x30 xc:none -fill '#00ff00' -draw 'rectangle 0,0 19,29' -strip alpha-40x30.png

# Other allowed sources: GIF (2 frames, first red), BMP, WebP.
$IM -size 30x20 xc:red -size 30x20 xc:blue -loop 0 two-frames-30x20.gif
$IM -size 30x20 xc:'#336699' -strip BMP3:plain-30x20.bmp
$IM -size 48x36 gradient:yellow-purple -strip gradient-48x36.png
cwebp -quiet -q 80 gradient-48x36.png -o gradient-48x36.webp

# Refused formats: TIFF, PSD, SVG.
$IM -size 8x8 xc:gray -strip refused-8x8.tiff
$IM -size 8x8 xc:gray refused-8x8.psd
printf '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8"/></svg>\n' > refused.svg

# Reference for the quality comparison: vipsthumbnail fitting photo-160x120.jpg into 64x64 (64x48), lossless.
vipsthumbnail photo-160x120.jpg --size 64x64 -o vips-thumb-64.png

# CMYK JPEG (Adobe APP14, YCCK/CMYK): the JDK reader refuses it, TwelveMonkeys decodes it.
$IM -size 24x16 xc:red -colorspace CMYK -strip -quality 90 cmyk-24x16.jpg

# Aliasing guard: 1-px black vertical lines every 8 px (x = 3 mod 8) on white. Averaged over any area they are
# grey 223; decimating every 2nd column (the old subsampled decode) drops them all and leaves white.
$IM -size 1000x600 pattern:hs_vertical -strip -type TrueColor PNG24:hs-vertical-1000x600.png
$IM -size 1000x600 pattern:hs_vertical -strip -type TrueColor -sampling-factor 2x2 -quality 92 hs-vertical-1000x600.jpg

# Seeds of JpegDecoderFuzzTest (../../io/transflux/operators/image/JpegDecoderFuzzTestInputs/decodesOrFailsTyped),
# made with libjpeg-turbo-progs (cjpeg) from a 40x24 plasma; baseline-420, exif and cmyk are copies of the fixtures
# above, truncated is the first 700 bytes of photo-160x120.jpg.
# $IM -seed 5 -size 40x24 plasma:fractal -depth 8 s.ppm && $IM s.ppm -colorspace gray -depth 8 s.pgm
# cjpeg -progressive -sample 2x1 -quality 80 s.ppm > progressive-422; cjpeg -restart 1 -sample 1x2 s.ppm > restart-440
# cjpeg -progressive s.pgm > grey-progressive; cjpeg -arithmetic s.ppm > arithmetic
