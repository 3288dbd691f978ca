package dev.cairn.s3.handler;

import dev.cairn.metadata.ObjectRecord;
import dev.cairn.metadata.PartSummary;
import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import dev.cairn.s3.http.S3Exchange;
import dev.cairn.s3.request.ObjectRequest;
import dev.cairn.s3.request.QueryParams;
import dev.cairn.s3.xml.AttributesDocuments;
import io.vertx.core.Future;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * GetObjectAttributes: the attributes named by x-amz-object-attributes (ETag, Checksum,
 * ObjectParts, StorageClass, ObjectSize) read from the object's record, with ObjectParts paged by
 * x-amz-max-parts and x-amz-part-number-marker.
 */
final class ObjectAttributesHandler {
    static final List<String> ATTRIBUTES = List.of("ETag", "Checksum", "ObjectParts", "StorageClass", "ObjectSize");

    private final S3Services s;

    ObjectAttributesHandler(S3Services services) {
        this.s = services;
    }

    Future<Void> getObjectAttributes(S3Exchange ex, ObjectRequest.GetObjectAttributes op) {
        List<String> values = ex.request().headers().getAll("x-amz-object-attributes");
        Set<String> wanted = attributes(values.isEmpty() ? null : String.join(",", values));
        int maxParts = QueryParams.limit(ex.header("x-amz-max-parts"), "x-amz-max-parts");
        int marker = QueryParams.partNumberMarker(ex.header("x-amz-part-number-marker"),
                "x-amz-part-number-marker");
        dev.cairn.s3.crypto.SseRequest presented = Encryptions.presented(s, ex, "");
        return s.requireVersion(ex, op.bucket(), op.key(), op.versionId())
                .compose(o -> {
                    // an SSE-C object's attributes need its key, as its data does
                    dev.cairn.s3.crypto.SealingKeys.checkPresented(Encryptions.sealingOf(o.sealing()), presented);
                    ex.response().putHeader("Last-Modified", S3Exchange.httpDate(o.modifiedMillis()));
                    return ex.sendXml(200, AttributesDocuments.attributes(o, wanted, parts(o, marker, maxParts)));
                });
    }

    private static AttributesDocuments.PartsPage parts(ObjectRecord o, int marker, int maxParts) {
        if (o.parts().isEmpty()) {
            return null;
        }
        List<PartSummary> after = o.parts().stream().filter(p -> p.partNumber() > marker).toList();
        List<PartSummary> page = after.subList(0, Math.min(maxParts, after.size()));
        return new AttributesDocuments.PartsPage(marker, maxParts, page, after.size() > page.size());
    }

    /** The attribute names of the header (comma-separated, maybe repeated); InvalidArgument when missing or unknown. */
    static Set<String> attributes(String header) {
        if (header == null || header.isBlank()) {
            throw invalidAttribute("");
        }
        Set<String> out = new LinkedHashSet<>();
        for (String name : header.split(",")) {
            String n = name.trim();
            if (!ATTRIBUTES.contains(n)) {
                throw invalidAttribute(n);
            }
            out.add(n);
        }
        return out;
    }

    private static S3Exception invalidAttribute(String value) {
        return new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid attribute name specified.")
                .with("ArgumentName", "x-amz-object-attributes").with("ArgumentValue", value);
    }
}
