package dev.cairn.s3.xml;

import dev.cairn.metadata.Checksum;
import dev.cairn.metadata.ObjectRecord;
import dev.cairn.metadata.PartSummary;

import java.util.List;
import java.util.Set;

/** GetObjectAttributesResponse: only the attributes asked for; the ETag without quotes, as AWS sends it there. */
public final class AttributesDocuments {
    private AttributesDocuments() {
    }

    /** One page of the parts of a multipart object. */
    public record PartsPage(int marker, int maxParts, List<PartSummary> parts, boolean truncated) {
    }

    /** @param parts the page of parts to show, or null for an object uploaded in one piece (no ObjectParts) */
    public static byte[] attributes(ObjectRecord o, Set<String> wanted, PartsPage parts) {
        XmlWriter w = XmlWriter.document("GetObjectAttributesResponse");
        if (wanted.contains("ETag")) {
            w.element("ETag", o.etag());
        }
        if (wanted.contains("Checksum") && o.checksum() != null) {
            Checksum c = o.checksum();
            w.start("Checksum");
            ListDocuments.checksum(w, c);
            w.element("ChecksumType", c.type()).end();
        }
        if (wanted.contains("ObjectParts") && parts != null) {
            w.start("ObjectParts")
                    .element("PartsCount", o.parts().size())
                    .element("PartNumberMarker", parts.marker());
            if (!parts.parts().isEmpty()) {
                w.element("NextPartNumberMarker", parts.parts().get(parts.parts().size() - 1).partNumber());
            }
            w.element("MaxParts", parts.maxParts())
                    .element("IsTruncated", parts.truncated());
            for (PartSummary p : parts.parts()) {
                w.start("Part");
                ListDocuments.checksum(w, p.checksum());
                w.element("PartNumber", p.partNumber()).element("Size", p.size()).end();
            }
            w.end();
        }
        if (wanted.contains("StorageClass")) {
            w.element("StorageClass", o.storageClass());
        }
        if (wanted.contains("ObjectSize")) {
            w.element("ObjectSize", o.size());
        }
        return w.toBytes();
    }
}
