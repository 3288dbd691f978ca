package dev.cairn.s3.xml;

import java.util.List;

/** DeleteResult of DeleteObjects. */
public final class DeleteDocuments {
    private DeleteDocuments() {
    }

    /** One key's outcome: deleted (code null) or an error; versionId as the request named it (null when not). */
    public record Outcome(String key, String versionId, String code, String message) {
        public static Outcome deleted(String key, String versionId) {
            return new Outcome(key, versionId, null, null);
        }

        public static Outcome failed(String key, String versionId, String code, String message) {
            return new Outcome(key, versionId, code, message);
        }
    }

    /** Quiet mode lists only the errors. */
    public static byte[] deleteResult(List<Outcome> outcomes, boolean quiet) {
        XmlWriter w = XmlWriter.document("DeleteResult");
        for (Outcome o : outcomes) {
            if (o.code() == null) {
                if (!quiet) {
                    w.start("Deleted").element("Key", o.key()).element("VersionId", o.versionId()).end();
                }
            } else {
                w.start("Error").element("Key", o.key()).element("VersionId", o.versionId()).element("Code", o.code())
                        .element("Message", o.message()).end();
            }
        }
        return w.toBytes();
    }
}
