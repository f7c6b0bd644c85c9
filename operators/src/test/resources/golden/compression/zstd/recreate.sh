#!/bin/sh
# zstd fixtures. Tool: zstd 1.5.4 (Debian 1.5.4+dfsg2-5). The skippable frame is written with printf:
# magic 50 2a 4d 18, Frame_Size 8 (LE), 8 user bytes; no CLI writes one.
set -eu
cd "$(dirname "$0")"
../recreate-inputs.sh
zstd -q -19 -c ../plain.txt > level19.zst              # content checksum on by default
zstd -q --long=27 -c < ../big.txt > long27.zst         # from stdin: window log 27 stays in the header
head -c 2000 ../plain.txt | zstd -q -c > a.zst; tail -c +2001 ../plain.txt | zstd -q --no-check -c > b.zst
cat a.zst b.zst > multipleFrames.zst                   # two frames, the second without checksum
{ printf '\120\052\115\030\010\000\000\000skipme!!'; cat a.zst; printf '\121\052\115\030\000\000\000\000'; cat b.zst; } > skippableFrames.zst
zstd -q --long=31 -c < ../plain.txt > long31.zst       # from stdin: Window_Descriptor a8 = window log 31
for f in level19 multipleFrames skippableFrames long31; do sha256sum < ../plain.txt | cut -d' ' -f1 > $f.sha256; done
sha256sum < ../big.txt | cut -d' ' -f1 > long27.sha256
rm -f a.zst b.zst ../plain.txt ../big.txt
