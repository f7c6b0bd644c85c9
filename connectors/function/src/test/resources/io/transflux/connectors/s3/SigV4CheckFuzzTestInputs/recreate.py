"""Writes SigV4-signed request heads for SigV4CheckFuzzTest (header and presigned-query forms)."""
import datetime
import os
import sys
from unittest import mock

from botocore.auth import S3SigV4Auth, S3SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

NOW = datetime.datetime(2026, 12, 3, 9, 0, 0)  # SigV4CheckFuzzTest.NOW
CREDS = Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
out = sys.argv[1]


def head(method, url, headers):
    path = url.split("127.0.0.1:9000", 1)[1]
    lines = [f"{method} {path}"] + [f"{k.lower()}: {v}" for k, v in headers.items()]
    return "\n".join(lines) + "\n"


with mock.patch("botocore.auth.get_current_datetime", return_value=NOW):

    r = AWSRequest("GET", "http://127.0.0.1:9000/bucket/photos/k%20ey.jpg?partNumber=2",
                   headers={"Host": "127.0.0.1:9000", "X-Amz-Content-SHA256": "UNSIGNED-PAYLOAD", "Range": "bytes=0-9"})
    S3SigV4Auth(CREDS, "s3", "us-east-1").add_auth(r)
    open(os.path.join(out, "headerAuthGet"), "w").write(head("GET", r.url, dict(r.headers)))

    r = AWSRequest("POST", "http://127.0.0.1:9000/WriteGetObjectResponse",
                   headers={"Host": "127.0.0.1:9000", "X-Amz-Content-SHA256": "UNSIGNED-PAYLOAD",
                            "x-amz-request-route": "io-euw1-001", "x-amz-request-token": "tok-123456789"})
    S3SigV4Auth(CREDS, "s3", "eu-west-1").add_auth(r)
    open(os.path.join(out, "headerAuthWgor"), "w").write(head("POST", r.url, dict(r.headers)))

    r = AWSRequest("GET", "http://127.0.0.1:9000/.transflux/objects/b/k.txt", headers={"Host": "127.0.0.1:9000"})
    S3SigV4QueryAuth(CREDS, "s3", "us-east-1", expires=60).add_auth(r)
    open(os.path.join(out, "presignedGet"), "w").write(head("GET", r.url, {"host": "127.0.0.1:9000"}))
