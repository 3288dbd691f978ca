package dev.cairn.s3.handler;

import java.util.List;

import dev.cairn.metadata.ObjectRecord;
import dev.cairn.s3.http.S3Exchange;
import dev.cairn.s3.lifecycle.LifecycleRule;
import dev.cairn.s3.request.VersionId;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;

/**
 * The {@code x-amz-expiration} header of PutObject, CopyObject, CompleteMultipartUpload, GetObject
 * and HeadObject answers: when a
 * lifecycle Expiration rule of the bucket applies to the current object, the date it expires and
 * the rule's ID. Shown for the current object only (no versionId asked), as lifecycle expiration
 * only concerns current versions.
 */
final class Expirations {
    static final String HEADER = "x-amz-expiration";

    private Expirations() {
    }

    /** The header's value for {@code o}, or null; reads the bucket's rules only when they are not cached. */
    static Future<String> of(S3Services s, S3Exchange ex, String bucket, String key, VersionId versionId,
                             ObjectRecord o) {
        if (versionId != null) {
            return Future.succeededFuture(null);
        }
        List<LifecycleRule> rules = s.expirations().cached(bucket);
        if (rules != null) {
            return Future.succeededFuture(s.expirations().header(rules, key, o));
        }
        return s.blocking(ex, () -> on(s, bucket, key, o));
    }

    /** As {@link #of} for the current object {@code o}, on a worker thread. */
    static String on(S3Services s, String bucket, String key, ObjectRecord o) {
        List<LifecycleRule> rules = s.expirations().cached(bucket);
        return s.expirations().header(rules != null ? rules : s.expirations().load(bucket), key, o);
    }

    static void write(HttpServerResponse r, String value) {
        if (value != null) {
            r.putHeader(HEADER, value);
        }
    }
}
