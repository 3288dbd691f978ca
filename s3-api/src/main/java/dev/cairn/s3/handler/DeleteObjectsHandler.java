package dev.cairn.s3.handler;

import dev.cairn.metadata.MetadataException;
import dev.cairn.metadata.WriteCondition;
import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import dev.cairn.s3.http.Names;
import dev.cairn.s3.http.S3Exchange;
import dev.cairn.s3.xml.DeleteDocuments;
import dev.cairn.s3.xml.XmlReader;
import io.vertx.core.Future;
import org.w3c.dom.Element;

import java.util.ArrayList;
import java.util.List;

/** DeleteObjects: up to 1,000 keys in one request, quiet or verbose. */
public final class DeleteObjectsHandler {
    static final int MAX_KEYS = 1000;
    private static final int MAX_BODY = 2 * 1024 * 1024;

    private final S3Services s;

    public DeleteObjectsHandler(S3Services services) {
        this.s = services;
    }

    public Future<Void> deleteObjects(S3Exchange ex) {
        Names.checkExistingBucket(ex.bucket());
        return s.requireBucket(ex)
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
                    return s.blocking(ex, () -> deleteAll(ex.bucket(), keys)).compose(results ->
                            ex.sendXml(200, DeleteDocuments.deleteResult(results, quiet)));
                });
    }

    /**
     * A key to delete, the version the request named (only "null" exists in Cairn) and the
     * conditions (ETag, Size, LastModifiedTime) the deletion needs.
     */
    private record Target(String key, String versionId, WriteCondition condition) {
    }

    private List<DeleteDocuments.Outcome> deleteAll(String bucket, List<Target> targets) {
        List<DeleteDocuments.Outcome> out = new ArrayList<>(targets.size());
        for (Target t : targets) {
            try {
                Names.checkKey(t.key());
                VersionIds.check(t.versionId(), "VersionId");
                s.metadata().deleteObject(bucket, t.key(), t.condition());
                out.add(DeleteDocuments.Outcome.deleted(t.key(), t.versionId()));
            } catch (S3Exception e) {
                out.add(DeleteDocuments.Outcome.failed(t.key(), t.versionId(), e.error().code(), e.getMessage()));
            } catch (MetadataException.PreconditionFailed e) {
                out.add(failed(t, S3ErrorCode.PRECONDITION_FAILED));
            } catch (MetadataException.NoSuchKey e) {
                out.add(failed(t, S3ErrorCode.NO_SUCH_KEY));
            } catch (RuntimeException e) {
                out.add(DeleteDocuments.Outcome.failed(t.key(), t.versionId(), S3ErrorCode.INTERNAL_ERROR.code(),
                        S3ErrorCode.INTERNAL_ERROR.message()));
            }
        }
        return out;
    }

    private static DeleteDocuments.Outcome failed(Target t, S3ErrorCode code) {
        return DeleteDocuments.Outcome.failed(t.key(), t.versionId(), code.code(), code.message());
    }

    private static String trim(String s) {
        return s == null ? null : s.trim();
    }
}
