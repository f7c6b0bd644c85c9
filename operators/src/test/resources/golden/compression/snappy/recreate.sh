#!/bin/sh
# snappy framing-format fixtures. Tool: python3-snappy 0.5.3 (Debian 0.5.3-1.2+b1) StreamCompressor on
# /usr/bin/python3 3.11.2. Its C crc32c helper fails on Python 3.11 (PY_SSIZE_T_CLEAN), so the recipe
# swaps in a pure-Python CRC32C (Castagnoli, reflected 0x82F63B78) before compressing; the framing and
# the snappy blocks are python3-snappy's own.
set -eu
cd "$(dirname "$0")"
../recreate-inputs.sh
/usr/bin/python3 - <<'PY'
import snappy, snappy.snappy as s
def crc32c(data):
    crc = 0xffffffff
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xffffffff
s._crc32c = crc32c
def framed(data, chunk):
    c = snappy.StreamCompressor()
    out = b"".join(c.add_chunk(data[i:i + chunk]) for i in range(0, len(data), chunk))
    return out
plain = open("../plain.txt", "rb").read()
big = open("../big.txt", "rb").read()
open("framed.sz", "wb").write(framed(plain, 65536))
open("multiChunk.sz", "wb").write(framed(plain * 30, 65536))  # 159 600 bytes: 3 compressed chunks
open("multiChunk.sha256", "w").write(__import__("hashlib").sha256(plain * 30).hexdigest() + "\n")
# padding (0xfe) and a reserved skippable chunk (0x80) between two streams
pad = b"\xfe\x03\x00\x00\x00\x00\x00" + b"\x80\x02\x00\x00hi"
open("paddingAndSkippable.sz", "wb").write(framed(plain[:2000], 65536) + pad + framed(plain[2000:], 65536))
PY
for f in framed paddingAndSkippable; do sha256sum < ../plain.txt | cut -d' ' -f1 > $f.sha256; done
rm -f ../plain.txt ../big.txt
