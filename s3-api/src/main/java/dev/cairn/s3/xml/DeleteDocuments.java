package dev.cairn.s3.xml;

import java.util.List;

/** DeleteResult of DeleteObjects. */
public final class DeleteDocuments {
    private DeleteDocuments() {
    }

    /** One key's outcome: deleted (code null) or an error. */
    public record Outcome(String key, String code, String message) {
        public static Outcome deleted(String key) {
            return new Outcome(key, null, null);
        }

        public static Outcome failed(String key, String code, String message) {
            return new Outcome(key, code, message);
        }
    }

    /** Quiet mode lists only the errors. */
    public static byte[] deleteResult(List<Outcome> outcomes, boolean quiet) {
        XmlWriter w = XmlWriter.document("DeleteResult");
        for (Outcome o : outcomes) {
            if (o.code() == null) {
                if (!quiet) {
                    w.start("Deleted").element("Key", o.key()).end();
                }
            } else {
                w.start("Error").element("Key", o.key()).element("Code", o.code())
                        .element("Message", o.message()).end();
            }
        }
        return w.toBytes();
    }
}
