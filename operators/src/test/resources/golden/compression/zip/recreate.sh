#!/bin/sh
# ZIP fixtures. Tools: Info-ZIP zip 3.0 (Debian 3.0-13), 7-Zip 26.02 (Debian p7zip-full
# 16.02+really26.02+dfsg-0+deb12u1). sha256 files name the bytes of the entry the stage returns by default.
set -eu
cd "$(dirname "$0")"
../recreate-inputs.sh
w=$(mktemp -d); cp ../plain.txt "$w/plain.txt"; printf 'second entry\n' > "$w/second.txt"; mkdir "$w/dir"
(cd "$w" && zip -q -X -9 -r twoEntries.zip dir plain.txt second.txt)   # a directory, then two files
(cd "$w" && cat plain.txt | zip -q -X | cat > stdin.zip)               # stdin to a pipe: entry "-", data descriptor
(cd "$w" && zip -q -X -fz zip64.zip plain.txt)                         # Zip64 extra fields forced
(cd "$w" && 7z a -bso0 -tzip -mm=Deflate64 deflate64.zip plain.txt)    # method 9, Deflate64
(cd "$w" && zip -q -X -P not-a-secret encrypted.zip plain.txt)         # ZipCrypto: refused
# STORED + data descriptor (refused). zip refuses -0 on a pipe, so Python 3.11's zipfile writes it to an
# unseekable pipe, which makes it set general-purpose bit 3 on every entry.
(cd "$w" && /usr/bin/python3 -c 'import sys,zipfile; z=zipfile.ZipFile(sys.stdout.buffer,"w",zipfile.ZIP_STORED); z.writestr("plain.txt", open("plain.txt","rb").read()); z.close()' | cat > storedDescriptor.zip)
cp "$w"/*.zip .
for f in twoEntries stdin zip64 deflate64; do sha256sum < ../plain.txt | cut -d' ' -f1 > $f.sha256; done
rm -rf "$w" ../plain.txt ../big.txt
