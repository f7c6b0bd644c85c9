#!/bin/sh
# zlib fixtures. Tools: pigz 2.6 (Debian 2.6-1) writes RFC 1950 zlib with -z; raw deflate (RFC 1951) by
# Python 3.11 zlib (Debian python3 3.11.2) with wbits=-15, since no Debian CLI writes bare deflate.
set -eu
cd "$(dirname "$0")"
../recreate-inputs.sh
pigz -z -6 -c ../plain.txt > pigz.zz
/usr/bin/python3 -c 'import zlib,sys; c=zlib.compressobj(6, zlib.DEFLATED, -15); d=open("../plain.txt","rb").read(); sys.stdout.buffer.write(c.compress(d)+c.flush())' > raw.deflate
for f in pigz raw; do sha256sum < ../plain.txt | cut -d' ' -f1 > $f.sha256; done
rm -f ../plain.txt ../big.txt
