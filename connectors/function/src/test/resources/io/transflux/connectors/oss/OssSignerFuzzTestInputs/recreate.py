"""Writes an OSS V1-signed request head for OssSignerFuzzTest (docs/protocols.md §3.5: HMAC-SHA1 over verb,
Content-MD5, Content-Type, Date, sorted x-oss-* headers and the canonical resource)."""
import base64
import hashlib
import hmac
import os
import sys

SECRET = b"oss-fuzz-secret-0123456789"  # OssSignerFuzzTest.SECRET
out = sys.argv[1]
date = "Thu, 03 Dec 2026 09:00:00 GMT"
resource = "/bucket/photos/cat.jpg"
oss = {"x-oss-meta-owner": "fuzz", "x-oss-process": "image/info"}
sts = "GET\n\n\n" + date + "\n" + "".join(f"{k}:{v}\n" for k, v in sorted(oss.items())) + resource
sig = base64.b64encode(hmac.new(SECRET, sts.encode(), hashlib.sha1).digest()).decode()
with open(os.path.join(out, "v1Get"), "w") as f:
    f.write(f"GET {resource}\nDate: {date}\n" + "".join(f"{k}: {v}\n" for k, v in oss.items())
            + f"Authorization: OSS LTAIfuzz:{sig}\n")
