package dev.cairn.s3.auth;

/**
 * What streaming verification needs: the derived signing key, the request's X-Amz-Date, the
 * scope "yyyymmdd/region/s3/aws4_request", and the seed (request) signature in lower-case hex.
 */
public record SigningContext(byte[] signingKey, String amzDate, String scope, String seedSignature) {
}
