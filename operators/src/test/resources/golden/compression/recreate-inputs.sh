#!/bin/sh
# Inputs shared by the per-format recipes. Python 3 standard library only; byte-identical on every run.
set -eu
cd "$(dirname "$0")"
/usr/bin/python3 - <<'PY'
lines = []
for i in range(60):
    lines.append(f"{i:04d} 2024-05-0{i % 9 + 1}T12:{i % 60:02d}:00Z INFO svc-{i % 4} user=u{i * 7 % 13} "
                 f"path=/api/v1/items/{i * 31 % 97} status={200 + (i % 3) * 100} took={i * 13 % 250}ms")
open("plain.txt", "w").write("\n".join(lines) + "\n")
big = "\n".join(f"record {i % 50} value {i % 7} ok" for i in range(12000)) + "\n"
open("big.txt", "w").write(big)
PY
