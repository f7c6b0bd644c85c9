#!/bin/sh
# Legitimate but extremely repetitive log: one error line repeated (a service stuck in a retry loop), 16 MiB.
# zstd -19 packs it past 10,000:1, which the old default ratio cap (100) cut; see docs/limits.md.
set -e
cd "$(dirname "$0")"
python3 -c '
import sys
line = b"{\"ts\":\"2026-12-03T00:00:00.000Z\",\"level\":\"ERROR\",\"service\":\"orders-api\",\"msg\":\"connection refused: db-primary:5432, retrying\"}\n"
sys.stdout.buffer.write(line * (16 * 1024 * 1024 // len(line)))
' > error-loop.log
zstd -19 -q -f error-loop.log -o error-loop.log.zst
bzip2 -9 -k -f error-loop.log
rm error-loop.log
