package dev.cairn.s3.handler;

import dev.cairn.metadata.MetadataException;
import dev.cairn.metadata.WriteCondition;
import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import dev.cairn.s3.http.S3Exchange;
import dev.cairn.s3.request.BucketName;
import dev.cairn.s3.request.BucketRequest;
import dev.cairn.s3.request.ObjectKey;
import dev.cairn.s3.request.Permission;
import dev.cairn.s3.request.VersionId;
import dev.cairn.s3.xml.DeleteDocuments;
import dev.cairn.s3.xml.XmlReader;
import io.vertx.core.Future;
import org.w3c.dom.Element;

import java.util.ArrayList;
import java.util.List;

/** DeleteObjects: up to 1,000 keys in one request, quiet or verbose. */
final class DeleteObjectsHandler {
    static final int MAX_KEYS = 1000;
    private static final int MAX_BODY = 2 * 1024 * 1024;

    private final S3Services s;

    DeleteObjectsHandler(S3Services services) {
        this.s = services;
    }

    Future<Void> deleteObjects(S3Exchange ex, BucketRequest.DeleteObjects op) {
        return s.requireBucket(ex, op.bucket())
                .compose(b -> SmallBodies.read(s, ex, MAX_BODY))
                .compose(body -> {
                    Element root = XmlReader.parse(body, "Delete");
                    boolean quiet = "true".equalsIgnoreCase(trim(XmlReader.childText(root, "Quiet")));
                    List<Element> objects = XmlReader.children(root, "Object");
                    if (objects.isEmpty() || objects.size() > MAX_KEYS) {
                        throw XmlReader.malformed();
                    }
                    List<Target> keys = new ArrayList<>(objects.size());
                    for (Element o : objects) {
                        String key = XmlReader.childText(o, "Key");
                        if (key == null) {
                            throw XmlReader.malformed();
                        }
                        keys.add(new Target(key, XmlReader.childText(o, "VersionId"), WriteConditions.ofDeleteEntry(
                                XmlReader.childText(o, "ETag"), XmlReader.childText(o, "Size"),
                                XmlReader.childText(o, "LastModifiedTime"))));
                    }
                    return authorizeEach(ex, op.bucket(), keys)
                            .compose(v -> ObjectLocks.bypass(s, ex, op.bucket(), null))
                            .compose(bypass -> s.blocking(ex, () -> deleteAll(op.bucket(), keys,
                                    ex.principal().canonicalId(), bypass)))
                            .compose(results -> ex.sendXml(200, DeleteDocuments.deleteResult(results, quiet)));
                });
    }

    /**
     * A key to delete, the version the request named and the
     * conditions (ETag, Size, LastModifiedTime) the deletion needs; {@code refusal} is set when
     * the key is invalid or the caller may not delete it.
     */
    private static final class Target {
        final String key;
        final String versionId;
        final WriteCondition condition;
        S3Exception refusal;

        Target(String key, String versionId, WriteCondition condition) {
            this.key = key;
            this.versionId = versionId;
            this.condition = condition;
        }
    }

    /** Validates every key and asks the authorizer about each (s3:DeleteObject, or s3:DeleteObjectVersion). */
    private Future<Void> authorizeEach(S3Exchange ex, BucketName bucket, List<Target> targets) {
        List<Future<Void>> checks = new ArrayList<>(targets.size());
        for (Target t : targets) {
            try {
                ObjectKey key = ObjectKey.of(t.key);
                VersionId version = VersionId.parse(t.versionId, "VersionId");
                String action = version == null ? "s3:DeleteObject" : "s3:DeleteObjectVersion";
                checks.add(s.authorizer().authorize(ex, List.of(new Permission(action, bucket, key)))
                        .otherwise(err -> {
                            t.refusal = err instanceof S3Exception e ? e : new S3Exception(S3ErrorCode.ACCESS_DENIED);
                            return null;
                        }));
            } catch (S3Exception e) {
                t.refusal = e;
            }
        }
        return Future.join(checks).mapEmpty();
    }

    private List<DeleteDocuments.Outcome> deleteAll(BucketName bucket, List<Target> targets, String requester,
                                                    boolean bypass) {
        List<DeleteDocuments.Outcome> out = new ArrayList<>(targets.size());
        for (Target t : targets) {
            if (t.refusal != null) {
                out.add(DeleteDocuments.Outcome.failed(t.key, t.versionId, t.refusal.error().code(),
                        t.refusal.getMessage()));
                continue;
            }
            try {
                ObjectDeletes.Outcome done = ObjectDeletes.delete(s, bucket.value(), t.key,
                        VersionId.parse(t.versionId, "VersionId"), t.condition, requester, bypass);
                out.add(DeleteDocuments.Outcome.deleted(t.key, t.versionId,
                        done.deleteMarker() ? done.versionId() : null));
            } catch (S3Exception e) {
                out.add(DeleteDocuments.Outcome.failed(t.key, t.versionId, e.error().code(), e.getMessage()));
            } catch (MetadataException.PreconditionFailed e) {
                out.add(failed(t, S3ErrorCode.PRECONDITION_FAILED));
            } catch (MetadataException.ObjectLocked e) {
                out.add(DeleteDocuments.Outcome.failed(t.key, t.versionId, S3ErrorCode.ACCESS_DENIED.code(),
                        "Access Denied because object protected by object lock."));
            } catch (MetadataException.NoSuchKey e) {
                out.add(failed(t, S3ErrorCode.NO_SUCH_KEY));
            } catch (RuntimeException e) {
                out.add(DeleteDocuments.Outcome.failed(t.key, t.versionId, S3ErrorCode.INTERNAL_ERROR.code(),
                        S3ErrorCode.INTERNAL_ERROR.message()));
            }
        }
        return out;
    }

    private static DeleteDocuments.Outcome failed(Target t, S3ErrorCode code) {
        return DeleteDocuments.Outcome.failed(t.key, t.versionId, code.code(), code.message());
    }

    private static String trim(String s) {
        return s == null ? null : s.trim();
    }
}
