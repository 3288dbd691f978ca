package dev.cairn.s3.http;

import dev.cairn.s3.request.Permission;
import io.vertx.core.Future;

import java.util.List;

/**
 * The one authorization step, after authentication: decides whether the exchange's principal may
 * do everything {@code needed} lists. The router asks it for every request's
 * {@link dev.cairn.s3.request.S3Request#permissions()}; handlers ask it for what only they know
 * (each key of DeleteObjects, the key of a form upload).
 */
public interface Authorizer {

    /** Completes when allowed; fails with an S3Exception (403 AccessDenied) when not. Called on the event loop. */
    Future<Void> authorize(S3Exchange ex, List<Permission> needed);
}
