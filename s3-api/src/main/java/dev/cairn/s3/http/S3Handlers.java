package dev.cairn.s3.http;

import dev.cairn.s3.request.S3Request;
import io.vertx.core.Future;

/**
 * What the router hands a request to once it is authenticated and authorized: one method per
 * typed operation ({@link S3Request.Visitor}, so a new operation does not compile until it is
 * handled), plus the CORS headers every request with an Origin gets before it is handled.
 */
public interface S3Handlers extends S3Request.Visitor<S3Exchange, Future<Void>> {

    /**
     * Sets the Access-Control-* headers of the bucket's CORS rule matching an actual request's
     * Origin and method; never fails (a missing bucket or configuration adds nothing).
     */
    Future<Void> corsHeaders(S3Exchange ex);
}
