package dev.cairn.s3.request;

import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import dev.cairn.s3.request.BucketRequest.CreateBucket;
import dev.cairn.s3.request.BucketRequest.DeleteBucket;
import dev.cairn.s3.request.BucketRequest.DeleteBucketCors;
import dev.cairn.s3.request.BucketRequest.DeleteBucketTagging;
import dev.cairn.s3.request.BucketRequest.DeleteObjects;
import dev.cairn.s3.request.BucketRequest.GetBucketAcl;
import dev.cairn.s3.request.BucketRequest.GetBucketCors;
import dev.cairn.s3.request.BucketRequest.GetBucketLocation;
import dev.cairn.s3.request.BucketRequest.GetBucketTagging;
import dev.cairn.s3.request.BucketRequest.GetBucketVersioning;
import dev.cairn.s3.request.BucketRequest.HeadBucket;
import dev.cairn.s3.request.BucketRequest.ListMultipartUploads;
import dev.cairn.s3.request.BucketRequest.ListObjectVersions;
import dev.cairn.s3.request.BucketRequest.ListObjects;
import dev.cairn.s3.request.BucketRequest.ListObjectsV2;
import dev.cairn.s3.request.BucketRequest.PostObject;
import dev.cairn.s3.request.BucketRequest.Preflight;
import dev.cairn.s3.request.BucketRequest.PutBucketAcl;
import dev.cairn.s3.request.BucketRequest.PutBucketCors;
import dev.cairn.s3.request.BucketRequest.PutBucketTagging;
import dev.cairn.s3.request.BucketRequest.PutBucketVersioning;
import dev.cairn.s3.request.ObjectRequest.AbortMultipartUpload;
import dev.cairn.s3.request.ObjectRequest.CompleteMultipartUpload;
import dev.cairn.s3.request.ObjectRequest.CopyObject;
import dev.cairn.s3.request.ObjectRequest.CreateMultipartUpload;
import dev.cairn.s3.request.ObjectRequest.DeleteObject;
import dev.cairn.s3.request.ObjectRequest.DeleteObjectTagging;
import dev.cairn.s3.request.ObjectRequest.GetObject;
import dev.cairn.s3.request.ObjectRequest.GetObjectAcl;
import dev.cairn.s3.request.ObjectRequest.GetObjectAttributes;
import dev.cairn.s3.request.ObjectRequest.GetObjectTagging;
import dev.cairn.s3.request.ObjectRequest.HeadObject;
import dev.cairn.s3.request.ObjectRequest.ListParts;
import dev.cairn.s3.request.ObjectRequest.PutObject;
import dev.cairn.s3.request.ObjectRequest.PutObjectAcl;
import dev.cairn.s3.request.ObjectRequest.PutObjectTagging;
import dev.cairn.s3.request.ObjectRequest.UploadPart;
import dev.cairn.s3.request.ObjectRequest.UploadPartCopy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import static dev.cairn.s3.request.QueryParams.emptyToNull;
import static dev.cairn.s3.request.QueryParams.orEmpty;

/**
 * Builds the typed record of an operation the parser chose, validating its parameters in the
 * order the handlers always checked them. Throws the S3Exception a bad parameter answers.
 */
final class TypedRequests {
    /** The response-* parameters of GetObject and the response headers they override. */
    private static final Map<String, String> RESPONSE_OVERRIDES = Map.of(
            "response-content-type", "Content-Type",
            "response-content-language", "Content-Language",
            "response-expires", "Expires",
            "response-cache-control", "Cache-Control",
            "response-content-disposition", "Content-Disposition",
            "response-content-encoding", "Content-Encoding");

    private TypedRequests() {
    }

    static S3Request build(S3Operation op, String bucketName, String keyName, Map<String, String> q,
                           Function<String, String> header) {
        if (op == S3Operation.LIST_BUCKETS) {
            String token = q.get("continuation-token");
            Integer max = QueryParams.maxBuckets(q.get("max-buckets"));
            return new S3Request.ListBuckets(max, token, token == null ? null : QueryParams.decodeToken(token),
                    q.get("prefix"), q.get("bucket-region"));
        }
        if (op == S3Operation.CREATE_BUCKET) {
            return new CreateBucket(BucketName.forNewBucket(bucketName));
        }
        BucketName bucket = BucketName.of(bucketName);
        if (keyName == null || op == S3Operation.PREFLIGHT) {
            return bucketRequest(op, bucket, keyName == null ? null : ObjectKey.of(keyName), q);
        }
        return objectRequest(op, bucket, ObjectKey.of(keyName), q, header);
    }

    private static S3Request bucketRequest(S3Operation op, BucketName b, ObjectKey key, Map<String, String> q) {
        return switch (op) {
            case HEAD_BUCKET -> new HeadBucket(b);
            case DELETE_BUCKET -> new DeleteBucket(b);
            case GET_BUCKET_LOCATION -> new GetBucketLocation(b);
            case GET_BUCKET_VERSIONING -> new GetBucketVersioning(b);
            case LIST_OBJECTS -> new ListObjects(b, orEmpty(q.get("prefix")), emptyToNull(q.get("delimiter")),
                    QueryParams.limit(q.get("max-keys"), "max-keys"), QueryParams.urlEncoding(q.get("encoding-type")),
                    emptyToNull(q.get("marker")), listingKeys(q, "max-keys"));
            case LIST_OBJECTS_V2 -> listObjectsV2(b, q);
            case LIST_OBJECT_VERSIONS -> listObjectVersions(b, q);
            case LIST_MULTIPART_UPLOADS -> {
                String prefix = orEmpty(q.get("prefix"));
                String delimiter = emptyToNull(q.get("delimiter"));
                int max = QueryParams.limit(q.get("max-uploads"), "max-uploads");
                String keyMarker = emptyToNull(q.get("key-marker"));
                String uploadIdMarker = keyMarker == null ? null : emptyToNull(q.get("upload-id-marker"));
                yield new ListMultipartUploads(b, prefix, delimiter, max,
                        QueryParams.urlEncoding(q.get("encoding-type")), keyMarker, uploadIdMarker,
                        listingKeys(q, "max-uploads"));
            }
            case DELETE_OBJECTS -> new DeleteObjects(b);
            case PUT_BUCKET_CORS -> new PutBucketCors(b);
            case PUT_BUCKET_ENCRYPTION -> new BucketRequest.PutBucketEncryption(b);
            case PUT_BUCKET_LIFECYCLE -> new BucketRequest.PutBucketLifecycle(b);
            case GET_BUCKET_LIFECYCLE -> new BucketRequest.GetBucketLifecycle(b);
            case DELETE_BUCKET_LIFECYCLE -> new BucketRequest.DeleteBucketLifecycle(b);
            case GET_BUCKET_ENCRYPTION -> new BucketRequest.GetBucketEncryption(b);
            case DELETE_BUCKET_ENCRYPTION -> new BucketRequest.DeleteBucketEncryption(b);
            case GET_BUCKET_CORS -> new GetBucketCors(b);
            case DELETE_BUCKET_CORS -> new DeleteBucketCors(b);
            case PREFLIGHT -> new Preflight(b, key);
            case POST_OBJECT -> new PostObject(b);
            case GET_BUCKET_TAGGING -> new GetBucketTagging(b);
            case PUT_BUCKET_TAGGING -> new PutBucketTagging(b);
            case PUT_BUCKET_VERSIONING -> new PutBucketVersioning(b);
            case GET_OBJECT_LOCK_CONFIGURATION -> new BucketRequest.GetObjectLockConfiguration(b);
            case PUT_OBJECT_LOCK_CONFIGURATION -> new BucketRequest.PutObjectLockConfiguration(b);
            case DELETE_BUCKET_TAGGING -> new DeleteBucketTagging(b);
            case GET_BUCKET_ACL -> new GetBucketAcl(b);
            case PUT_BUCKET_ACL -> new PutBucketAcl(b);
            case GET_BUCKET_POLICY -> new BucketRequest.GetBucketPolicy(b);
            case PUT_BUCKET_POLICY -> new BucketRequest.PutBucketPolicy(b);
            case DELETE_BUCKET_POLICY -> new BucketRequest.DeleteBucketPolicy(b);
            case GET_BUCKET_POLICY_STATUS -> new BucketRequest.GetBucketPolicyStatus(b);
            case GET_PUBLIC_ACCESS_BLOCK -> new BucketRequest.GetPublicAccessBlock(b);
            case PUT_PUBLIC_ACCESS_BLOCK -> new BucketRequest.PutPublicAccessBlock(b);
            case DELETE_PUBLIC_ACCESS_BLOCK -> new BucketRequest.DeletePublicAccessBlock(b);
            case GET_BUCKET_OWNERSHIP_CONTROLS -> new BucketRequest.GetBucketOwnershipControls(b);
            case PUT_BUCKET_OWNERSHIP_CONTROLS -> new BucketRequest.PutBucketOwnershipControls(b);
            case DELETE_BUCKET_OWNERSHIP_CONTROLS -> new BucketRequest.DeleteBucketOwnershipControls(b);
            default -> throw new IllegalStateException(op + " is not a bucket operation");
        };
    }

    private static ListObjectsV2 listObjectsV2(BucketName b, Map<String, String> q) {
        String prefix = orEmpty(q.get("prefix"));
        String delimiter = emptyToNull(q.get("delimiter"));
        int maxKeys = QueryParams.limit(q.get("max-keys"), "max-keys");
        boolean url = QueryParams.urlEncoding(q.get("encoding-type"));
        String token = q.get("continuation-token");
        String startAfter = emptyToNull(q.get("start-after"));
        String after = token != null ? QueryParams.decodeToken(token) : startAfter;
        return new ListObjectsV2(b, prefix, delimiter, maxKeys, url, token, startAfter, after,
                "true".equalsIgnoreCase(q.get("fetch-owner")), listingKeys(q, "max-keys"));
    }

    private static ListObjectVersions listObjectVersions(BucketName b, Map<String, String> q) {
        String prefix = orEmpty(q.get("prefix"));
        String delimiter = emptyToNull(q.get("delimiter"));
        int maxKeys = QueryParams.limit(q.get("max-keys"), "max-keys");
        boolean url = QueryParams.urlEncoding(q.get("encoding-type"));
        String keyMarker = emptyToNull(q.get("key-marker"));
        String versionIdMarker = emptyToNull(q.get("version-id-marker"));
        if (versionIdMarker != null && keyMarker == null) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
                    "A version-id marker cannot be specified without a key marker.")
                    .with("ArgumentName", "version-id-marker").with("ArgumentValue", versionIdMarker);
        }
        return new ListObjectVersions(b, prefix, delimiter, maxKeys, url, keyMarker,
                VersionId.parse(versionIdMarker, "version-id-marker"), listingKeys(q, "max-keys"));
    }

    /**
     * s3:prefix, s3:delimiter and s3:max-keys as the request sent them: a parameter given empty
     * ("prefix=") is the empty string, one not given is no key at all (policies tell them apart).
     */
    private static Map<String, String> listingKeys(Map<String, String> q, String maxName) {
        Map<String, String> out = new LinkedHashMap<>();
        if (q.containsKey("prefix")) {
            out.put("s3:prefix", q.get("prefix"));
        }
        if (q.containsKey("delimiter")) {
            out.put("s3:delimiter", q.get("delimiter"));
        }
        if (q.containsKey(maxName)) {
            out.put("s3:max-keys", q.get(maxName));
        }
        return Map.copyOf(out);
    }

    private static S3Request objectRequest(S3Operation op, BucketName b, ObjectKey k, Map<String, String> q,
                                           Function<String, String> header) {
        return switch (op) {
            case PUT_OBJECT -> new PutObject(b, k);
            case GET_OBJECT -> new GetObject(b, k, version(q), partNumberOrNull(q), responseOverrides(q));
            case HEAD_OBJECT -> new HeadObject(b, k, version(q), partNumberOrNull(q), responseOverrides(q));
            case DELETE_OBJECT -> new DeleteObject(b, k, version(q));
            case COPY_OBJECT -> new CopyObject(b, k, CopySource.parse(header.apply("x-amz-copy-source")));
            case GET_OBJECT_TAGGING -> new GetObjectTagging(b, k, version(q));
            case PUT_OBJECT_TAGGING -> new PutObjectTagging(b, k, version(q));
            case DELETE_OBJECT_TAGGING -> new DeleteObjectTagging(b, k, version(q));
            case GET_OBJECT_ACL -> new GetObjectAcl(b, k, version(q));
            case PUT_OBJECT_ACL -> new PutObjectAcl(b, k, version(q));
            case GET_OBJECT_ATTRIBUTES -> new GetObjectAttributes(b, k, version(q));
            case GET_OBJECT_RETENTION -> new ObjectRequest.GetObjectRetention(b, k, version(q));
            case PUT_OBJECT_RETENTION -> new ObjectRequest.PutObjectRetention(b, k, version(q));
            case GET_OBJECT_LEGAL_HOLD -> new ObjectRequest.GetObjectLegalHold(b, k, version(q));
            case PUT_OBJECT_LEGAL_HOLD -> new ObjectRequest.PutObjectLegalHold(b, k, version(q));
            case CREATE_MULTIPART_UPLOAD -> new CreateMultipartUpload(b, k);
            case UPLOAD_PART -> {
                int part = QueryParams.partNumber(q.get("partNumber"));
                yield new UploadPart(b, k, UploadId.of(q.get("uploadId")), part);
            }
            case UPLOAD_PART_COPY -> {
                int part = QueryParams.partNumber(q.get("partNumber"));
                UploadId upload = UploadId.of(q.get("uploadId"));
                yield new UploadPartCopy(b, k, upload, part, CopySource.parse(header.apply("x-amz-copy-source")));
            }
            case COMPLETE_MULTIPART_UPLOAD -> new CompleteMultipartUpload(b, k, UploadId.of(q.get("uploadId")));
            case ABORT_MULTIPART_UPLOAD -> new AbortMultipartUpload(b, k, UploadId.of(q.get("uploadId")));
            case LIST_PARTS -> {
                UploadId upload = UploadId.of(q.get("uploadId"));
                int max = QueryParams.limit(q.get("max-parts"), "max-parts");
                yield new ListParts(b, k, upload, max,
                        QueryParams.partNumberMarker(q.get("part-number-marker"), "part-number-marker"));
            }
            default -> throw new IllegalStateException(op + " is not an object operation");
        };
    }

    private static VersionId version(Map<String, String> q) {
        return VersionId.parse(q.get("versionId"), "versionId");
    }

    private static Integer partNumberOrNull(Map<String, String> q) {
        String v = q.get("partNumber");
        return v == null ? null : QueryParams.partNumber(v);
    }

    private static Map<String, String> responseOverrides(Map<String, String> q) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> p : RESPONSE_OVERRIDES.entrySet()) {
            String v = q.get(p.getKey());
            if (v != null) {
                out.put(p.getValue(), v);
            }
        }
        return Map.copyOf(out);
    }
}
