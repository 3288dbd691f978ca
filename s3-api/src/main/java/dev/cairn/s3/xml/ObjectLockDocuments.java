package dev.cairn.s3.xml;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import org.w3c.dom.Element;

import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;

/** ObjectLockConfiguration, Retention and LegalHold documents. */
public final class ObjectLockDocuments {
    public static final String GOVERNANCE = "GOVERNANCE";
    public static final String COMPLIANCE = "COMPLIANCE";
    private static final long DAY_MILLIS = 86_400_000L;

    private ObjectLockDocuments() {
    }

    /** A bucket's default retention: {@code mode} for {@code days} or {@code years} (one is 0). */
    public record DefaultRetention(String mode, int days, int years) {
        /** Until when an object written at {@code millis} is retained. */
        public long retainUntil(long millis) {
            return days > 0 ? millis + days * DAY_MILLIS
                    : Instant.ofEpochMilli(millis).atZone(java.time.ZoneOffset.UTC).plusYears(years).toInstant()
                    .toEpochMilli();
        }
    }

    /** The configuration of a bucket with object lock: the default retention or null. */
    public static byte[] configuration(DefaultRetention rule) {
        XmlWriter w = XmlWriter.document("ObjectLockConfiguration").element("ObjectLockEnabled", "Enabled");
        if (rule != null) {
            w.start("Rule").start("DefaultRetention").element("Mode", rule.mode());
            if (rule.days() > 0) {
                w.element("Days", rule.days());
            } else {
                w.element("Years", rule.years());
            }
            w.end().end();
        }
        return w.toBytes();
    }

    /**
     * The default retention an ObjectLockConfiguration body sets (null: none); MalformedXML when
     * ObjectLockEnabled is not Enabled or the rule is not a mode with exactly one positive period.
     */
    public static DefaultRetention parseConfiguration(byte[] body) {
        Element root = XmlReader.parse(body, "ObjectLockConfiguration");
        if (!"Enabled".equals(trim(XmlReader.childText(root, "ObjectLockEnabled")))) {
            throw XmlReader.malformed();
        }
        var rules = XmlReader.children(root, "Rule");
        if (rules.isEmpty()) {
            return null;
        }
        var retention = XmlReader.children(rules.get(0), "DefaultRetention");
        if (rules.size() > 1 || retention.size() != 1) {
            throw XmlReader.malformed();
        }
        Element r = retention.get(0);
        String mode = mode(XmlReader.childText(r, "Mode"));
        String days = trim(XmlReader.childText(r, "Days"));
        String years = trim(XmlReader.childText(r, "Years"));
        if (mode == null || (days == null) == (years == null)) {
            throw XmlReader.malformed();
        }
        int d = positive(days);
        int y = positive(years);
        if (d > 36_500 || y > 100) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Default retention period too large")
                    .with("ArgumentName", days != null ? "Days" : "Years");
        }
        return new DefaultRetention(mode, d, y);
    }

    private static int positive(String n) {
        if (n == null) {
            return 0;
        }
        try {
            int v = Integer.parseInt(n);
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // below
        }
        throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Default retention period must be a positive integer value");
    }

    /** A Retention document (an empty one when {@code mode} is null). */
    public static byte[] retention(String mode, long retainUntilMillis) {
        XmlWriter w = XmlWriter.document("Retention");
        if (mode != null) {
            w.element("Mode", mode).element("RetainUntilDate", BucketDocuments.timestamp(retainUntilMillis));
        }
        return w.toBytes();
    }

    /** Mode and retain-until of a Retention body; both absent means no retention (mode null). */
    public record Retention(String mode, long retainUntilMillis) {
    }

    public static Retention parseRetention(byte[] body) {
        Element root = XmlReader.parse(body, "Retention");
        String mode = XmlReader.childText(root, "Mode");
        String until = XmlReader.childText(root, "RetainUntilDate");
        if (mode == null && until == null) {
            return new Retention(null, 0);
        }
        if (mode == null || until == null) {
            throw XmlReader.malformed();
        }
        String m = mode(mode);
        if (m == null) {
            throw XmlReader.malformed();
        }
        return new Retention(m, date(until, "RetainUntilDate"));
    }

    public static byte[] legalHold(boolean on) {
        return XmlWriter.document("LegalHold").element("Status", on ? "ON" : "OFF").toBytes();
    }

    public static boolean parseLegalHold(byte[] body) {
        Element root = XmlReader.parse(body, "LegalHold");
        return onOff(XmlReader.childText(root, "Status"), true);
    }

    /** GOVERNANCE or COMPLIANCE (null for anything else). */
    public static String mode(String text) {
        String m = trim(text);
        return GOVERNANCE.equals(m) || COMPLIANCE.equals(m) ? m : null;
    }

    /** ON or OFF; anything else is MalformedXML (a body) or InvalidArgument (a header). */
    public static boolean onOff(String text, boolean body) {
        String s = trim(text);
        if ("ON".equals(s) || "OFF".equals(s)) {
            return "ON".equals(s);
        }
        if (body) {
            throw XmlReader.malformed();
        }
        throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Legal Hold must be either of 'ON' or 'OFF'")
                .with("ArgumentName", "x-amz-object-lock-legal-hold").with("ArgumentValue", text);
    }

    /** An ISO 8601 timestamp in epoch millis; InvalidArgument naming {@code what} when it is not one. */
    public static long date(String text, String what) {
        try {
            return Instant.parse(text.trim()).toEpochMilli();
        } catch (DateTimeParseException e) {
            try {
                return java.time.OffsetDateTime.parse(text.trim()).toInstant().toEpochMilli();
            } catch (DateTimeParseException e2) {
                throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "The retain until date must be a timestamp")
                        .with("ArgumentName", what).with("ArgumentValue", text);
            }
        }
    }

    private static String trim(String s) {
        return s == null ? null : s.trim();
    }
}
