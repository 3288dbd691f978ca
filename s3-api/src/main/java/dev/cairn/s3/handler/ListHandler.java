package dev.cairn.s3.handler;

import dev.cairn.metadata.ListQuery;
import dev.cairn.metadata.UploadQuery;
import dev.cairn.metadata.VersionQuery;
import dev.cairn.s3.http.S3Exchange;
import dev.cairn.s3.request.BucketName;
import dev.cairn.s3.request.BucketRequest;
import dev.cairn.s3.request.QueryParams;
import dev.cairn.s3.xml.ListDocuments;
import io.vertx.core.Future;

/** ListObjects (v1), ListObjectsV2, ListObjectVersions and ListMultipartUploads, served by range scans in key order. */
final class ListHandler {
    private final S3Services s;

    ListHandler(S3Services services) {
        this.s = services;
    }

    Future<Void> listObjects(S3Exchange ex, BucketRequest.ListObjects op) {
        ListDocuments.ObjectsRequest request = new ListDocuments.ObjectsRequest(op.bucket().value(), op.prefix(),
                op.delimiter(), op.maxKeys(), op.urlEncoding(), false, op.marker(), null, null, false);
        return list(ex, op.bucket(), request, new ListQuery(op.prefix(), op.marker(), op.delimiter(),
                op.maxKeys()));
    }

    Future<Void> listObjectsV2(S3Exchange ex, BucketRequest.ListObjectsV2 op) {
        ListDocuments.ObjectsRequest request = new ListDocuments.ObjectsRequest(op.bucket().value(), op.prefix(),
                op.delimiter(), op.maxKeys(), op.urlEncoding(), true, null, op.continuationToken(), op.startAfter(),
                op.fetchOwner());
        return list(ex, op.bucket(), request, new ListQuery(op.prefix(), op.after(), op.delimiter(),
                op.maxKeys()));
    }

    private Future<Void> list(S3Exchange ex, BucketName bucket, ListDocuments.ObjectsRequest request, ListQuery query) {
        return s.requireBucket(ex, bucket)
                .compose(b -> s.blocking(ex, () -> s.metadata().listObjects(bucket.value(), query)))
                .compose(page -> ex.sendXml(200, ListDocuments.listObjects(request, page,
                        page.nextMarker() == null ? null : QueryParams.encodeToken(page.nextMarker()), s::owner)));
    }

    /** ListObjectVersions: versions and delete markers, paged by key-marker and version-id-marker. */
    Future<Void> listVersions(S3Exchange ex, BucketRequest.ListObjectVersions op) {
        String versionIdMarker = op.versionIdMarker() == null ? null : op.versionIdMarker().value();
        ListDocuments.VersionsRequest request = new ListDocuments.VersionsRequest(op.bucket().value(), op.prefix(),
                op.delimiter(), op.keyMarker(), versionIdMarker, op.maxKeys(), op.urlEncoding());
        VersionQuery query = new VersionQuery(op.prefix(), op.delimiter(), op.keyMarker(), versionIdMarker,
                op.maxKeys());
        return s.requireBucket(ex, op.bucket())
                .compose(b -> s.blocking(ex, () -> s.metadata().listVersions(op.bucket().value(), query)))
                .compose(page -> ex.sendXml(200, ListDocuments.listVersions(request, page, s::owner)));
    }

    Future<Void> listUploads(S3Exchange ex, BucketRequest.ListMultipartUploads op) {
        ListDocuments.UploadsRequest request = new ListDocuments.UploadsRequest(op.bucket().value(), op.prefix(),
                op.delimiter(), op.keyMarker(), op.uploadIdMarker(), op.maxUploads(), op.urlEncoding());
        UploadQuery query = new UploadQuery(op.prefix(), op.delimiter(), op.keyMarker(), op.uploadIdMarker(),
                op.maxUploads());
        return s.requireBucket(ex, op.bucket())
                .compose(b -> s.blocking(ex, () -> s.metadata().listUploads(op.bucket().value(), query)))
                .compose(page -> ex.sendXml(200, ListDocuments.listUploads(request, page, s::owner)));
    }
}
