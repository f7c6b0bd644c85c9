#!/bin/sh
# bzip2 fixtures. Tools: bzip2 1.0.8 (Debian 1.0.8-5+b1), lbzip2 2.5 (Debian 2.5-2.3),
# pbzip2 1.1.13 (Debian 1.1.13-1).
set -eu
cd "$(dirname "$0")"
../recreate-inputs.sh
bzip2 -9 -c ../plain.txt > bzip2.bz2
lbzip2 -9 -c ../plain.txt > lbzip2.bz2
pbzip2 -1 -b1 -c ../big.txt > multiStream.bz2          # 100 kB blocks, one stream each: 3 streams
head -c 2000 ../plain.txt | bzip2 -c > a.bz2; tail -c +2001 ../plain.txt | lbzip2 -c > b.bz2
cat a.bz2 b.bz2 > concatenated.bz2
bzip2 -1 -c ../big.txt > multiBlock.bz2                 # one stream, 3 blocks of 100 k
lbzip2 -1 -n2 -c ../big.txt > lbzip2MultiBlock.bz2      # one stream, blocks compressed by 2 threads
for f in bzip2 lbzip2 concatenated; do sha256sum < ../plain.txt | cut -d' ' -f1 > $f.sha256; done
for f in multiStream multiBlock lbzip2MultiBlock; do sha256sum < ../big.txt | cut -d' ' -f1 > $f.sha256; done
rm -f a.bz2 b.bz2 ../plain.txt ../big.txt
