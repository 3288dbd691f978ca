package dev.cairn.s3.handler;

import dev.cairn.metadata.BucketRecord;
import dev.cairn.metadata.MetadataException;
import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import dev.cairn.s3.http.S3Exchange;
import dev.cairn.s3.request.BucketRequest;
import dev.cairn.s3.request.QueryParams;
import dev.cairn.s3.request.S3Request;
import dev.cairn.s3.xml.BucketDocuments;
import dev.cairn.s3.xml.XmlReader;
import io.vertx.core.Future;
import org.w3c.dom.Element;

import java.util.List;


/** ListBuckets, CreateBucket, HeadBucket, DeleteBucket, GetBucketLocation, GetBucketVersioning. */
final class BucketHandler {
    private static final int MAX_CONFIG_BYTES = 64 * 1024;

    private final S3Services s;

    BucketHandler(S3Services services) {
        this.s = services;
    }

    /**
     * ListBuckets; with max-buckets, continuation-token, prefix or bucket-region, one page (by
     * default 10,000 buckets, as AWS pages) and the token of the next while more follow.
     */
    Future<Void> listBuckets(S3Exchange ex, S3Request.ListBuckets op) {
        if (!op.paged()) {
            return s.blocking(ex, () -> s.metadata().listBuckets())
                    .compose(buckets -> ex.sendXml(200, BucketDocuments.listAllMyBuckets(s.owner(), buckets)));
        }
        int limit = op.maxBuckets() == null ? QueryParams.MAX_BUCKETS : op.maxBuckets();
        return s.blocking(ex, () -> s.metadata().listBuckets(op.prefix(), op.region(), op.startAfter(), limit + 1))
                .compose(found -> {
                    boolean more = found.size() > limit;
                    List<BucketRecord> page = more ? found.subList(0, limit) : found;
                    String next = more ? QueryParams.encodeToken(page.get(page.size() - 1).name()) : null;
                    return ex.sendXml(200, BucketDocuments.listAllMyBuckets(s.owner(), page, next, op.prefix()));
                });
    }

    Future<Void> create(S3Exchange ex, BucketRequest.CreateBucket op) {
        String bucket = op.bucket().value();
        AclRules.checkHeaders(ex);
        return SmallBodies.read(s, ex, MAX_CONFIG_BYTES).compose(body -> {
            String region = location(body);
            BucketRecord record = new BucketRecord(bucket, s.owner().id(), s.clock().millis(), region);
            return s.blocking(ex, () -> {
                try {
                    s.metadata().createBucket(record);
                } catch (MetadataException.BucketAlreadyExists exists) {
                    if (!exists.existing().owner().equals(s.owner().id())) {
                        throw new S3Exception(S3ErrorCode.BUCKET_ALREADY_EXISTS).with("BucketName", bucket);
                    }
                    // AWS us-east-1: creating a bucket you already own succeeds
                }
                return null;
            });
        }).compose(v -> {
            ex.response().putHeader("Location", "/" + bucket);
            return ex.sendEmpty(200);
        });
    }

    Future<Void> head(S3Exchange ex, BucketRequest.HeadBucket op) {
        return s.requireBucket(ex, op.bucket()).compose(b -> {
            ex.response().putHeader("x-amz-bucket-region", b.region());
            return ex.sendEmpty(200);
        });
    }

    Future<Void> delete(S3Exchange ex, BucketRequest.DeleteBucket op) {
        return s.blocking(ex, () -> {
            s.metadata().deleteBucket(op.bucket().value());
            return null;
        }).compose(v -> ex.sendEmpty(204));
    }

    Future<Void> location(S3Exchange ex, BucketRequest.GetBucketLocation op) {
        return s.requireBucket(ex, op.bucket()).compose(b ->
                ex.sendXml(200, BucketDocuments.locationConstraint(
                        "us-east-1".equals(b.region()) ? null : b.region())));
    }

    Future<Void> versioning(S3Exchange ex, BucketRequest.GetBucketVersioning op) {
        return s.requireBucket(ex, op.bucket()).compose(b -> ex.sendXml(200, BucketDocuments.versioningConfiguration()));
    }

    private String location(byte[] body) {
        String region = s.config().region();
        if (body.length == 0) {
            return region;
        }
        Element root = XmlReader.parse(body, "CreateBucketConfiguration");
        String constraint = XmlReader.childText(root, "LocationConstraint");
        if (constraint == null || constraint.isBlank()) {
            return region;
        }
        constraint = constraint.trim();
        if (!constraint.equals(region) && !(constraint.equals("EU") && region.equals("eu-west-1"))) {
            throw new S3Exception(S3ErrorCode.ILLEGAL_LOCATION_CONSTRAINT, "The " + constraint
                    + " location constraint is incompatible for the region specific endpoint this request was sent to.");
        }
        return constraint;
    }
}
