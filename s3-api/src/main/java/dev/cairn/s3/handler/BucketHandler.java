package dev.cairn.s3.handler;

import dev.cairn.metadata.BucketRecord;
import dev.cairn.metadata.MetaCommand;
import dev.cairn.metadata.MetadataException;
import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import dev.cairn.s3.access.BucketAccess;
import dev.cairn.s3.access.ObjectOwnership;
import dev.cairn.s3.http.S3Exchange;
import dev.cairn.s3.iam.Owner;
import dev.cairn.s3.iam.Principal;
import dev.cairn.s3.iam.acl.Acl;
import dev.cairn.s3.request.BucketRequest;
import dev.cairn.s3.request.QueryParams;
import dev.cairn.s3.request.S3Request;
import dev.cairn.s3.xml.BucketDocuments;
import dev.cairn.s3.xml.XmlReader;
import io.vertx.core.Future;
import org.w3c.dom.Element;

import java.util.ArrayList;
import java.util.List;


/** ListBuckets, CreateBucket, HeadBucket, DeleteBucket, GetBucketLocation, GetBucketVersioning. */
final class BucketHandler {
    private static final int MAX_CONFIG_BYTES = 64 * 1024;
    private static final int MAX_VERSIONING_BODY = 64 * 1024;

    private final S3Services s;

    BucketHandler(S3Services services) {
        this.s = services;
    }

    /**
     * ListBuckets; with max-buckets, continuation-token, prefix or bucket-region, one page (by
     * default 10,000 buckets, as AWS pages) and the token of the next while more follow.
     */
    Future<Void> listBuckets(S3Exchange ex, S3Request.ListBuckets op) {
        Principal p = ex.principal();
        Owner owner = p.owner();
        String only = p.isRoot() ? null : p.canonicalId();
        if (!op.paged()) {
            return s.blocking(ex, () -> owned(s.metadata().listBuckets(), only))
                    .compose(buckets -> ex.sendXml(200, BucketDocuments.listAllMyBuckets(owner, buckets)));
        }
        int limit = op.maxBuckets() == null ? QueryParams.MAX_BUCKETS : op.maxBuckets();
        return s.blocking(ex, () -> ownedPage(op, limit + 1, only))
                .compose(found -> {
                    boolean more = found.size() > limit;
                    List<BucketRecord> page = more ? found.subList(0, limit) : found;
                    String next = more ? QueryParams.encodeToken(page.get(page.size() - 1).name()) : null;
                    return ex.sendXml(200, BucketDocuments.listAllMyBuckets(owner, page, next, op.prefix()));
                });
    }

    /** The buckets {@code ownerId} owns (all of them for null: the root sees every bucket). */
    private static List<BucketRecord> owned(List<BucketRecord> all, String ownerId) {
        return ownerId == null ? all : all.stream().filter(b -> b.owner().equals(ownerId)).toList();
    }

    /** Up to {@code want} buckets of the page the request asks for that {@code ownerId} owns (blocking). */
    private List<BucketRecord> ownedPage(S3Request.ListBuckets op, int want, String ownerId) {
        List<BucketRecord> out = new ArrayList<>();
        String after = op.startAfter();
        while (out.size() < want) {
            List<BucketRecord> batch = s.metadata().listBuckets(op.prefix(), op.region(), after, want);
            for (BucketRecord b : batch) {
                if ((ownerId == null || b.owner().equals(ownerId)) && out.size() < want) {
                    out.add(b);
                }
            }
            if (batch.size() < want) {
                break;
            }
            after = batch.get(batch.size() - 1).name();
        }
        return out;
    }

    /**
     * CreateBucket: owned by the caller, with the Object Ownership of x-amz-object-ownership
     * (BucketOwnerEnforced by default: ACLs disabled) and the ACL of x-amz-acl/x-amz-grant-*
     * (InvalidBucketAclWithObjectOwnership when ACLs are disabled and it shares anything).
     */
    Future<Void> create(S3Exchange ex, BucketRequest.CreateBucket op) {
        String bucket = op.bucket().value();
        String ownerId = ex.principal().canonicalId();
        ObjectOwnership ownership = ownership(ex.header("x-amz-object-ownership"));
        Acl acl = WriteAcls.fromHeaders(ex.request().headers(), ownerId, ownerId);
        if (acl != null && !ownership.aclsEnabled() && !acl.onlyOwners(ownerId)) {
            throw new S3Exception(S3ErrorCode.INVALID_BUCKET_ACL_WITH_OBJECT_OWNERSHIP);
        }
        return SmallBodies.read(s, ex, MAX_CONFIG_BYTES).compose(body -> {
            String region = location(body);
            BucketRecord plain = new BucketRecord(bucket, ownerId, s.clock().millis(), region);
            BucketRecord record = objectLock(ex.header("x-amz-bucket-object-lock-enabled"))
                    ? plain.withObjectLock() : plain;
            return s.blocking(ex, () -> {
                try {
                    s.metadata().createBucket(record);
                } catch (MetadataException.BucketAlreadyExists exists) {
                    if (!exists.existing().owner().equals(ownerId)) {
                        throw new S3Exception(S3ErrorCode.BUCKET_ALREADY_EXISTS).with("BucketName", bucket);
                    }
                    return null; // AWS us-east-1: creating a bucket you already own succeeds and changes nothing
                } finally {
                    s.access().invalidate(bucket);
                }
                // a crash before these leaves the defaults: BucketOwnerEnforced and the owner-only ACL
                if (ownership != ObjectOwnership.BUCKET_OWNER_ENFORCED) {
                    s.access().putOwnership(bucket, ownership);
                    if (acl != null && !acl.equals(Acl.ownerOnly(ownerId))) {
                        BucketAccess access = s.access().load(bucket).orElseThrow();
                        byte[] stored = WriteAcls.toStore(acl, access, s.identities());
                        if (stored != null) {
                            s.access().putAcl(bucket, acl);
                        }
                    }
                }
                return null;
            });
        }).compose(v -> {
            ex.response().putHeader("Location", "/" + bucket);
            return ex.sendEmpty(200);
        });
    }

    private static ObjectOwnership ownership(String header) {
        if (header == null) {
            return ObjectOwnership.BUCKET_OWNER_ENFORCED;
        }
        ObjectOwnership o = ObjectOwnership.named(header.trim());
        if (o == null) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid x-amz-object-ownership header: " + header)
                    .with("ArgumentName", "x-amz-object-ownership").with("ArgumentValue", header);
        }
        return o;
    }

    Future<Void> head(S3Exchange ex, BucketRequest.HeadBucket op) {
        return s.requireBucket(ex, op.bucket()).compose(b -> {
            ex.response().putHeader("x-amz-bucket-region", b.region());
            return ex.sendEmpty(200);
        });
    }

    Future<Void> delete(S3Exchange ex, BucketRequest.DeleteBucket op) {
        return s.blocking(ex, () -> {
            try {
                s.metadata().deleteBucket(op.bucket().value());
            } finally {
                s.access().invalidate(op.bucket().value());
            }
            return null;
        }).compose(v -> ex.sendEmpty(204));
    }

    Future<Void> location(S3Exchange ex, BucketRequest.GetBucketLocation op) {
        return s.requireBucket(ex, op.bucket()).compose(b ->
                ex.sendXml(200, BucketDocuments.locationConstraint(
                        "us-east-1".equals(b.region()) ? null : b.region())));
    }

    Future<Void> versioning(S3Exchange ex, BucketRequest.GetBucketVersioning op) {
        return s.requireBucket(ex, op.bucket()).compose(b -> ex.sendXml(200,
                BucketDocuments.versioningConfiguration(b.versioning())));
    }

    /**
     * PutBucketVersioning: Status Enabled or Suspended. MFA delete is refused with NotImplemented;
     * a bucket never returns to unversioned, so there is no other status.
     */
    /** x-amz-bucket-object-lock-enabled: true or false (anything else is InvalidArgument). */
    private static boolean objectLock(String header) {
        if (header == null || header.trim().equalsIgnoreCase("false")) {
            return false;
        }
        if (header.trim().equalsIgnoreCase("true")) {
            return true;
        }
        throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "x-amz-bucket-object-lock-enabled must be true or false")
                .with("ArgumentName", "x-amz-bucket-object-lock-enabled").with("ArgumentValue", header);
    }

    Future<Void> putVersioning(S3Exchange ex, BucketRequest.PutBucketVersioning op) {
        return s.requireBucket(ex, op.bucket())
                .compose(b -> SmallBodies.read(s, ex, MAX_VERSIONING_BODY).map(body -> java.util.Map.entry(b, body)))
                .compose(read -> {
                    BucketRecord b = read.getKey();
                    BucketRecord.Versioning state = BucketDocuments.parseVersioning(read.getValue());
                    if (b.objectLock() && state != BucketRecord.Versioning.ENABLED) {
                        throw new S3Exception(S3ErrorCode.INVALID_BUCKET_STATE,
                                "An Object Lock configuration is present on this bucket, so the versioning state "
                                        + "cannot be changed.");
                    }
                    return s.blocking(ex, () -> s.metadata().commitAndWait(
                            new MetaCommand.SetBucketVersioning(op.bucket().value(), state)));
                })
                .compose(done -> ex.sendEmpty(200));
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
