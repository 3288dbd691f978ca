#!/usr/bin/env python3
"""Cairn conformance checks with boto3, as a Python application would run them.

Reads CAIRN_ENDPOINT, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_DEFAULT_REGION from the
environment, prints one "ok <check>" line per check that held, and exits non-zero (with the reason
on stderr) at the first one that did not.

1. Non-ASCII user metadata: boto3 sends header values as UTF-8 and signs them as sent; the PUT is
   accepted and GET/HEAD return the same bytes (http.client reads header bytes as ISO-8859-1, so
   the value comes back as that reading of the UTF-8 bytes).
2. A CompleteMultipartUpload sent again after it succeeded answers 200 with the same ETag,
   checksum and location.
"""
import os
import sys
import uuid

import boto3
from botocore.config import Config

VALUE = "Hello World\u00e9 \u65e5\u672c"
MIB = 1024 * 1024


def fail(message):
    print("FAILED: " + message, file=sys.stderr)
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)


def client():
    return boto3.client(
        "s3",
        endpoint_url=os.environ["CAIRN_ENDPOINT"],
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1},
                      signature_version="s3v4"))


def sent_bytes(header_value):
    """The bytes behind a header value as http.client hands it over (an ISO-8859-1 reading)."""
    return header_value.encode("latin-1")


def non_ascii_metadata(s3, bucket):
    # boto3 refuses non-ASCII Metadata= values itself, so the header goes in as s3-tests sets it
    def set_header(params, **kwargs):
        params["headers"]["x-amz-meta-meta1"] = VALUE

    s3.meta.events.register("before-call.s3.PutObject", set_header)
    try:
        put = s3.put_object(Bucket=bucket, Key="unicode", Body=b"bar")
    finally:
        s3.meta.events.unregister("before-call.s3.PutObject", set_header)
    check(put["ResponseMetadata"]["HTTPStatusCode"] == 200, "PUT with non-ASCII metadata: %r" % put)
    print("ok put-with-utf8-metadata")
    for name, response in (("get", s3.get_object(Bucket=bucket, Key="unicode")),
                           ("head", s3.head_object(Bucket=bucket, Key="unicode"))):
        got = response["Metadata"].get("meta1")
        check(got is not None, "%s: no meta1 in %r" % (name, response["Metadata"]))
        check(sent_bytes(got) == VALUE.encode("utf-8"),
              "%s: metadata bytes %r, sent %r" % (name, sent_bytes(got), VALUE.encode("utf-8")))
        check(sent_bytes(got).decode("utf-8") == VALUE, "%s: metadata text %r" % (name, got))
        print("ok %s-returns-the-utf8-metadata-as-sent" % name)


def retried_complete(s3, bucket):
    key = "multipart"
    upload = s3.create_multipart_upload(Bucket=bucket, Key=key, ChecksumAlgorithm="CRC32")["UploadId"]
    parts = []
    for number, size in ((1, 5 * MIB), (2, MIB + 7)):
        part = s3.upload_part(Bucket=bucket, Key=key, UploadId=upload, PartNumber=number,
                              Body=os.urandom(size), ChecksumAlgorithm="CRC32")
        parts.append({"PartNumber": number, "ETag": part["ETag"], "ChecksumCRC32": part["ChecksumCRC32"]})
    first = s3.complete_multipart_upload(Bucket=bucket, Key=key, UploadId=upload, MultipartUpload={"Parts": parts})
    retry = s3.complete_multipart_upload(Bucket=bucket, Key=key, UploadId=upload, MultipartUpload={"Parts": parts})
    check(retry["ResponseMetadata"]["HTTPStatusCode"] == 200, "retried complete: %r" % retry)
    for field in ("ETag", "ChecksumCRC32", "Location", "Bucket", "Key"):
        check(first.get(field) == retry.get(field),
              "retried complete %s: %r, first %r" % (field, retry.get(field), first.get(field)))
    check(first["ETag"].endswith('-2"'), "multipart ETag %r" % first["ETag"])
    check(s3.head_object(Bucket=bucket, Key=key)["ETag"] == first["ETag"], "object ETag after the retry")
    print("ok retried-complete-answers-200-with-the-same-etag %s" % retry["ETag"])


def main():
    s3 = client()
    bucket = "boto3-" + uuid.uuid4().hex[:12]
    s3.create_bucket(Bucket=bucket)
    non_ascii_metadata(s3, bucket)
    retried_complete(s3, bucket)
    print("boto3 %s: all checks held" % boto3.__version__)


if __name__ == "__main__":
    main()
