package dev.cairn.s3.access;

import dev.cairn.s3.auth.AuthResult;
import dev.cairn.s3.http.S3Exchange;
import dev.cairn.s3.request.QueryString;
import dev.cairn.s3.request.S3Operation;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The condition keys of a request that policies may test: global keys from the connection and
 * headers (aws:SourceIp, aws:SecureTransport, aws:CurrentTime, aws:EpochTime, aws:Referer,
 * aws:UserAgent), S3 keys from how it was signed (s3:signatureversion, s3:authType) and from its
 * headers (s3:x-amz-acl, s3:x-amz-grant-*, s3:x-amz-copy-source, s3:x-amz-metadata-directive,
 * s3:x-amz-server-side-encryption, s3:x-amz-storage-class, s3:x-amz-content-sha256,
 * s3:RequestObjectTag/KEY and s3:RequestObjectTagKeys from x-amz-tagging), and the request's own
 * ({@link dev.cairn.s3.request.S3Request#conditionKeys}: s3:prefix, s3:delimiter, s3:max-keys,
 * s3:VersionId). s3:ExistingObjectTag/KEY is added by the authorizer from the object.
 */
final class RequestKeys {
    private static final List<String> HEADER_KEYS = List.of("x-amz-acl", "x-amz-grant-read", "x-amz-grant-write",
            "x-amz-grant-read-acp", "x-amz-grant-write-acp", "x-amz-grant-full-control", "x-amz-copy-source",
            "x-amz-metadata-directive", "x-amz-server-side-encryption",
            "x-amz-server-side-encryption-aws-kms-key-id", "x-amz-storage-class", "x-amz-content-sha256",
            "x-amz-website-redirect-location", "x-amz-object-ownership");

    private RequestKeys() {
    }

    static Map<String, List<String>> of(S3Exchange ex, Instant now) {
        Map<String, List<String>> k = new HashMap<>();
        var remote = ex.request().remoteAddress();
        if (remote != null && remote.hostAddress() != null) {
            k.put("aws:SourceIp", List.of(remote.hostAddress()));
        }
        k.put("aws:SecureTransport", List.of(Boolean.toString(ex.request().isSSL())));
        k.put("aws:CurrentTime", List.of(now.truncatedTo(ChronoUnit.SECONDS).toString()));
        k.put("aws:EpochTime", List.of(Long.toString(now.getEpochSecond())));
        put(k, "aws:Referer", ex.header("Referer"));
        put(k, "aws:UserAgent", ex.header("User-Agent"));
        AuthResult auth = ex.auth();
        if (auth != null) {
            k.put("s3:signatureversion", List.of(auth.signatureVersion()));
            k.put("s3:authType", List.of(auth.presigned() ? "REST-QUERY-STRING" : "REST-HEADER"));
        } else if (ex.op() != null && ex.op().operation() == S3Operation.POST_OBJECT) {
            k.put("s3:authType", List.of("POST"));
        }
        for (String h : HEADER_KEYS) {
            put(k, "s3:" + h, ex.header(h));
        }
        requestTags(k, ex.header("x-amz-tagging"));
        if (ex.op() != null) {
            ex.op().conditionKeys().forEach((name, value) -> k.put(name, List.of(value)));
        }
        return k;
    }

    private static void put(Map<String, List<String>> k, String name, String value) {
        if (value != null) {
            k.put(name, List.of(value.trim()));
        }
    }

    /** s3:RequestObjectTag/KEY and s3:RequestObjectTagKeys of an x-amz-tagging header (ignored when malformed: the handler refuses it). */
    private static void requestTags(Map<String, List<String>> k, String header) {
        if (header == null || header.isEmpty()) {
            return;
        }
        List<String> keys = new ArrayList<>();
        try {
            for (String pair : header.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = QueryString.decode(eq < 0 ? pair : pair.substring(0, eq), true);
                String value = QueryString.decode(eq < 0 ? "" : pair.substring(eq + 1), true);
                k.put("s3:RequestObjectTag/" + key, List.of(value));
                keys.add(key);
            }
        } catch (RuntimeException malformed) {
            return;
        }
        k.put("s3:RequestObjectTagKeys", keys);
    }
}
