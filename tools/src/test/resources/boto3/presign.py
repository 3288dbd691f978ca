#!/usr/bin/env python3
"""boto3's default presigned URL, as an application makes one: generate_presigned_url with no
signature_version configured, which boto3 signs with SigV2 (AWSAccessKeyId, Signature, Expires).

Usage: presign.py BUCKET KEY. Reads CAIRN_ENDPOINT, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
AWS_DEFAULT_REGION from the environment; prints one "ok <check>" line per check that held and
exits non-zero at the first one that did not.
"""
import os
import sys
import urllib.request

import boto3


def fail(message):
    print("FAILED: " + message, file=sys.stderr)
    sys.exit(1)


def main():
    bucket, key = sys.argv[1], sys.argv[2]
    s3 = boto3.client("s3", endpoint_url=os.environ["CAIRN_ENDPOINT"])
    url = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": key}, ExpiresIn=300)
    if "AWSAccessKeyId=" not in url or "Signature=" not in url or "Expires=" not in url:
        fail("expected a SigV2 presigned URL, got " + url)
    print("ok presigned-url-is-sigv2")
    expected = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    with urllib.request.urlopen(url) as response:
        body = response.read()
        if response.status != 200 or body != expected:
            fail("GET %s answered %d with %r" % (url, response.status, body[:100]))
    print("ok presigned-get-downloads-the-object")


if __name__ == "__main__":
    main()
