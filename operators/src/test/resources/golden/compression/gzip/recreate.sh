#!/bin/sh
# gzip fixtures. Tools: gzip 1.12 (Debian 1.12-1), pigz 2.6 (Debian 2.6-1).
# Each <case>.gz has <case>.sha256: the SHA-256 of the decompressed bytes.
set -eu
cd "$(dirname "$0")"
../recreate-inputs.sh
head -c 2000 ../plain.txt > a.part; tail -c +2001 ../plain.txt > b.part
cp ../plain.txt plain.txt
gzip -9 -c plain.txt > fname.gz                        # FNAME set (file name recorded)
gzip -9 -n -c < plain.txt > noName.gz                  # no FNAME, MTIME 0
pigz -6 -c plain.txt > pigz.gz                         # pigz, single member
gzip -c -n a.part > a.gz; pigz -c -n b.part > b.gz
cat a.gz b.gz > concatenatedMembers.gz                 # two members: gzip then pigz
for f in fname noName pigz concatenatedMembers; do sha256sum < plain.txt | cut -d' ' -f1 > $f.sha256; done
rm -f a.part b.part a.gz b.gz plain.txt ../plain.txt ../big.txt
