package dev.cairn.s3.handler;

import dev.cairn.metadata.BucketRecord;
import dev.cairn.metadata.MetadataException;
import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import dev.cairn.s3.http.Names;
import dev.cairn.s3.http.S3Exchange;
import dev.cairn.s3.xml.BucketDocuments;
import dev.cairn.s3.xml.XmlReader;
import io.vertx.core.Future;
import org.w3c.dom.Element;

import java.util.List;


/** ListBuckets, CreateBucket, HeadBucket, DeleteBucket, GetBucketLocation, GetBucketVersioning. */
public final class BucketHandler {
    private static final int MAX_CONFIG_BYTES = 64 * 1024;
    /** AWS: a ListBuckets page holds 1 to 10,000 buckets, 10,000 when the request names no max-buckets. */
    static final int MAX_BUCKETS = 10_000;

    private final S3Services s;

    public BucketHandler(S3Services services) {
        this.s = services;
    }

    /**
     * ListBuckets; with max-buckets, continuation-token, prefix or bucket-region, one page (by
     * default 10,000 buckets, as AWS pages) and the token of the next while more follow.
     */
    public Future<Void> listBuckets(S3Exchange ex) {
        String max = ex.param("max-buckets");
        String token = ex.param("continuation-token");
        String prefix = ex.param("prefix");
        String region = ex.param("bucket-region");
        if (max == null && token == null && prefix == null && region == null) {
            return s.blocking(ex, () -> s.metadata().listBuckets())
                    .compose(buckets -> ex.sendXml(200, BucketDocuments.listAllMyBuckets(s.owner(), buckets)));
        }
        int limit = maxBuckets(max);
        String after = token == null ? null : ListHandler.decodeToken(token);
        return s.blocking(ex, () -> s.metadata().listBuckets(prefix, region, after, limit + 1))
                .compose(found -> {
                    boolean more = found.size() > limit;
                    List<BucketRecord> page = more ? found.subList(0, limit) : found;
                    String next = more ? ListHandler.encodeToken(page.get(page.size() - 1).name()) : null;
                    return ex.sendXml(200, BucketDocuments.listAllMyBuckets(s.owner(), page, next, prefix));
                });
    }

    private static int maxBuckets(String value) {
        if (value == null) {
            return MAX_BUCKETS;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1 && n <= MAX_BUCKETS) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // fall through
        }
        throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
                "Argument max-buckets must be an integer between 1 and " + MAX_BUCKETS + ".")
                .with("ArgumentName", "max-buckets").with("ArgumentValue", value);
    }

    public Future<Void> create(S3Exchange ex) {
        Names.checkNewBucket(ex.bucket());
        AclRules.checkHeaders(ex);
        return SmallBodies.read(s, ex, MAX_CONFIG_BYTES).compose(body -> {
            String region = location(body);
            BucketRecord record = new BucketRecord(ex.bucket(), s.owner().id(), s.clock().millis(), region);
            return s.blocking(ex, () -> {
                try {
                    s.metadata().createBucket(record);
                } catch (MetadataException.BucketAlreadyExists exists) {
                    if (!exists.existing().owner().equals(s.owner().id())) {
                        throw new S3Exception(S3ErrorCode.BUCKET_ALREADY_EXISTS).with("BucketName", ex.bucket());
                    }
                    // AWS us-east-1: creating a bucket you already own succeeds
                }
                return null;
            });
        }).compose(v -> {
            ex.response().putHeader("Location", "/" + ex.bucket());
            return ex.sendEmpty(200);
        });
    }

    public Future<Void> head(S3Exchange ex) {
        Names.checkExistingBucket(ex.bucket());
        return s.requireBucket(ex).compose(b -> {
            ex.response().putHeader("x-amz-bucket-region", b.region());
            return ex.sendEmpty(200);
        });
    }

    public Future<Void> delete(S3Exchange ex) {
        Names.checkExistingBucket(ex.bucket());
        return s.blocking(ex, () -> {
            s.metadata().deleteBucket(ex.bucket());
            return null;
        }).compose(v -> ex.sendEmpty(204));
    }

    public Future<Void> location(S3Exchange ex) {
        Names.checkExistingBucket(ex.bucket());
        return s.requireBucket(ex).compose(b ->
                ex.sendXml(200, BucketDocuments.locationConstraint(
                        "us-east-1".equals(b.region()) ? null : b.region())));
    }

    public Future<Void> versioning(S3Exchange ex) {
        Names.checkExistingBucket(ex.bucket());
        return s.requireBucket(ex).compose(b -> ex.sendXml(200, BucketDocuments.versioningConfiguration()));
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
