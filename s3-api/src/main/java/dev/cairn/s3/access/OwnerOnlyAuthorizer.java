package dev.cairn.s3.access;

import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import dev.cairn.s3.http.Authorizer;
import dev.cairn.s3.http.S3Exchange;
import dev.cairn.s3.request.Permission;
import io.vertx.core.Future;

import java.util.List;

/** Owner-only access with one account: the root user owns every bucket and may do everything; nobody else may do anything. */
public final class OwnerOnlyAuthorizer implements Authorizer {
    @Override
    public Future<Void> authorize(S3Exchange ex, List<Permission> needed) {
        if (ex.principal().isRoot()) {
            return Future.succeededFuture();
        }
        return Future.failedFuture(new S3Exception(S3ErrorCode.ACCESS_DENIED));
    }
}
