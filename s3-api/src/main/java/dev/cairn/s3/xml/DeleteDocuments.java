package dev.cairn.s3.xml;

import java.util.List;

/** DeleteResult of DeleteObjects. */
public final class DeleteDocuments {
    private DeleteDocuments() {
    }

    /**
     * One key's outcome: deleted (code null) or an error; versionId as the request named it (null
     * when not); {@code markerVersionId} the version id of the delete marker the deletion made or
     * removed (null when none).
     */
    public record Outcome(String key, String versionId, String code, String message, String markerVersionId) {
        public static Outcome deleted(String key, String versionId, String markerVersionId) {
            return new Outcome(key, versionId, null, null, markerVersionId);
        }

        public static Outcome failed(String key, String versionId, String code, String message) {
            return new Outcome(key, versionId, code, message, null);
        }
    }

    /** Quiet mode lists only the errors. */
    public static byte[] deleteResult(List<Outcome> outcomes, boolean quiet) {
        XmlWriter w = XmlWriter.document("DeleteResult");
        for (Outcome o : outcomes) {
            if (o.code() == null) {
                if (!quiet) {
                    w.start("Deleted").element("Key", o.key()).element("VersionId", o.versionId());
                    if (o.markerVersionId() != null) {
                        w.element("DeleteMarker", true).element("DeleteMarkerVersionId", o.markerVersionId());
                    }
                    w.end();
                }
            } else {
                w.start("Error").element("Key", o.key()).element("VersionId", o.versionId()).element("Code", o.code())
                        .element("Message", o.message()).end();
            }
        }
        return w.toBytes();
    }
}
