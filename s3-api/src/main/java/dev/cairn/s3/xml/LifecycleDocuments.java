package dev.cairn.s3.xml;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.w3c.dom.Element;
import org.w3c.dom.Node;

import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import dev.cairn.s3.lifecycle.LifecycleConfiguration;
import dev.cairn.s3.lifecycle.LifecycleDays;
import dev.cairn.s3.lifecycle.LifecycleFilter;
import dev.cairn.s3.lifecycle.LifecycleRule;
import dev.cairn.s3.lifecycle.LifecycleTransition;

/**
 * The LifecycleConfiguration document of Put/GetBucketLifecycleConfiguration, validated as AWS
 * validates it: 1 to 1,000 rules with unique IDs of at most 255 characters (a rule without an ID
 * gets one), Status Enabled or Disabled, a Filter (Prefix, Tag, ObjectSizeGreaterThan,
 * ObjectSizeLessThan, or And of several) or the legacy rule-level Prefix, and at least one action:
 * Expiration (Days &gt; 0, or a Date at midnight UTC, or ExpiredObjectDeleteMarker, never two of
 * them), NoncurrentVersionExpiration (NoncurrentDays &gt; 0, NewerNoncurrentVersions 1 to 100),
 * AbortIncompleteMultipartUpload (DaysAfterInitiation &gt; 0), Transition and
 * NoncurrentVersionTransition ({@link LifecycleTransitions}: to the storage classes this server
 * maps onto a protection; GLACIER and DEEP_ARCHIVE are NotImplemented). The stored form is
 * {@link #write}'s canonical document, which always parses back to the same rules.
 */
public final class LifecycleDocuments {
    private static final String ROOT = "LifecycleConfiguration";
    private static final int MAX_ID_LENGTH = 255;
    private static final int MAX_NEWER_NONCURRENT = 100;
    private static final Set<String> RULE_ELEMENTS = Set.of("ID", "Status", "Filter", "Prefix", "Expiration",
            "NoncurrentVersionExpiration", "AbortIncompleteMultipartUpload", "Transition",
            "NoncurrentVersionTransition");
    private static final DateTimeFormatter DATE_OUT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(java.time.ZoneOffset.UTC);

    private LifecycleDocuments() {
    }

    /** A configuration validated before (a stored one): transitions are not checked against the served classes. */
    public static LifecycleConfiguration parse(byte[] body, Supplier<String> newId) {
        return parse(body, newId, null);
    }

    /**
     * @param newId  gives the ID of a rule that has none
     * @param served the storage classes this server maps onto a protection (transition targets)
     * @throws S3Exception MalformedXML, InvalidArgument, InvalidRequest, InvalidStorageClass or
     *                     NotImplemented, as AWS answers (or Cairn, for what it cannot do)
     */
    public static LifecycleConfiguration parse(byte[] body, Supplier<String> newId, Predicate<String> served) {
        Element root = XmlReader.parse(body, ROOT);
        List<Element> ruleElements = XmlReader.children(root, "Rule");
        if (ruleElements.isEmpty() || ruleElements.size() > LifecycleConfiguration.MAX_RULES
                || elementCount(root) != ruleElements.size()) {
            throw XmlReader.malformed();
        }
        List<LifecycleRule> rules = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Element e : ruleElements) {
            LifecycleRule r = rule(e, newId, served);
            if (!ids.add(r.id())) {
                throw invalid("Rule ID must be unique. Found same ID for more than one rule", "ID", r.id());
            }
            rules.add(r);
        }
        return new LifecycleConfiguration(rules);
    }

    private static LifecycleRule rule(Element e, Supplier<String> newId, Predicate<String> served) {
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c && !RULE_ELEMENTS.contains(c.getLocalName() != null ? c.getLocalName()
                    : c.getTagName())) {
                throw XmlReader.malformed();
            }
        }
        String id = XmlReader.childText(e, "ID");
        if (id == null || id.isEmpty()) {
            id = newId.get();
        }
        if (id.length() > MAX_ID_LENGTH) {
            throw invalid("ID length should not exceed allowed limit of " + MAX_ID_LENGTH, "ID", id);
        }
        String status = XmlReader.childText(e, "Status");
        if (!"Enabled".equals(status) && !"Disabled".equals(status)) {
            throw XmlReader.malformed();
        }
        String legacy = XmlReader.childText(e, "Prefix");
        Element filterElement = single(e, "Filter");
        if (legacy != null && filterElement != null) {
            throw XmlReader.malformed();
        }
        LifecycleFilter filter = legacy != null ? new LifecycleFilter(legacy, Map.of(), null, null)
                : filterElement == null ? LifecycleFilter.ALL : filter(filterElement);

        Integer days = null;
        Long date = null;
        boolean markers = false;
        Element exp = single(e, "Expiration");
        if (exp != null) {
            String d = XmlReader.childText(exp, "Days");
            String dt = XmlReader.childText(exp, "Date");
            String m = XmlReader.childText(exp, "ExpiredObjectDeleteMarker");
            if (d == null && dt == null && m == null || (d != null ? 1 : 0) + (dt != null ? 1 : 0) + (m != null ? 1 : 0) > 1) {
                throw XmlReader.malformed();
            }
            if (d != null) {
                days = positive(d, "'Days' for Expiration action must be a positive integer", "Days");
            }
            if (dt != null) {
                date = midnight(dt);
            }
            if (m != null) {
                markers = bool(m);
                if (markers && !filter.tags().isEmpty()) {
                    throw invalid("ExpiredObjectDeleteMarker cannot be specified with tag-based filters",
                            "ExpiredObjectDeleteMarker", m);
                }
                if (markers && filter.testsTagsOrSize()) {
                    throw XmlReader.malformed(); // what AWS answers for a size filter with it
                }
            }
        }
        Integer noncurrentDays = null;
        Integer newer = null;
        Element nve = single(e, "NoncurrentVersionExpiration");
        if (nve != null) {
            String nd = XmlReader.childText(nve, "NoncurrentDays");
            if (nd == null) {
                throw XmlReader.malformed();
            }
            noncurrentDays = positive(nd, "'NoncurrentDays' for NoncurrentVersionExpiration action must be a "
                    + "positive integer", "NoncurrentDays");
            String nn = XmlReader.childText(nve, "NewerNoncurrentVersions");
            if (nn != null) {
                newer = positive(nn, "'NewerNoncurrentVersions' for NoncurrentVersionExpiration action must be a "
                        + "positive integer", "NewerNoncurrentVersions");
                if (newer > MAX_NEWER_NONCURRENT) {
                    throw invalid("'NewerNoncurrentVersions' for NoncurrentVersionExpiration action must be at most "
                            + MAX_NEWER_NONCURRENT, "NewerNoncurrentVersions", nn);
                }
            }
        }
        Integer abortDays = null;
        Element abort = single(e, "AbortIncompleteMultipartUpload");
        if (abort != null) {
            String a = XmlReader.childText(abort, "DaysAfterInitiation");
            if (a == null) {
                throw XmlReader.malformed();
            }
            abortDays = positive(a, "'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a "
                    + "positive integer", "DaysAfterInitiation");
            if (filter.testsTagsOrSize()) {
                throw invalid("AbortIncompleteMultipartUpload cannot be specified with tags or object size filters",
                        "AbortIncompleteMultipartUpload", a);
            }
        }
        List<LifecycleTransition> transitions = LifecycleTransitions.current(e, served);
        List<LifecycleTransition> noncurrentTransitions = LifecycleTransitions.noncurrent(e, served);
        if (days == null && date == null && !markers && noncurrentDays == null && abortDays == null
                && transitions.isEmpty() && noncurrentTransitions.isEmpty()) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "At least one action needs to be specified in a rule");
        }
        LifecycleTransitions.expirationsLater(days, date, noncurrentDays, transitions, noncurrentTransitions);
        return new LifecycleRule(id, "Enabled".equals(status), filter, legacy != null, days, date, markers,
                noncurrentDays, newer, abortDays, transitions, noncurrentTransitions);
    }

    private static LifecycleFilter filter(Element f) {
        Element and = single(f, "And");
        int top = elementCount(f);
        if (top > 1) {
            throw XmlReader.malformed(); // several predicates need an And
        }
        LifecycleFilter parsed = predicates(and != null ? and : f, and != null);
        if (parsed.sizeGreaterThan() != null && parsed.sizeLessThan() != null
                && parsed.sizeGreaterThan() >= parsed.sizeLessThan()) {
            throw invalid("ObjectSizeGreaterThan must be less than ObjectSizeLessThan", "ObjectSizeGreaterThan",
                    parsed.sizeGreaterThan().toString());
        }
        return parsed;
    }

    private static LifecycleFilter predicates(Element e, boolean and) {
        String prefix = XmlReader.childText(e, "Prefix");
        Map<String, String> tags = new LinkedHashMap<>();
        List<Element> tagElements = XmlReader.children(e, "Tag");
        if (!and && tagElements.size() > 1) {
            throw XmlReader.malformed();
        }
        for (Element t : tagElements) {
            String k = XmlReader.childText(t, "Key");
            String v = XmlReader.childText(t, "Value");
            if (k == null || v == null) {
                throw XmlReader.malformed();
            }
            if (tags.put(k, v) != null) {
                throw invalid("Duplicate Tag Keys are not allowed.", "Tag", k);
            }
        }
        return new LifecycleFilter(prefix, tags, size(XmlReader.childText(e, "ObjectSizeGreaterThan")),
                size(XmlReader.childText(e, "ObjectSizeLessThan")));
    }

    private static Long size(String text) {
        if (text == null) {
            return null;
        }
        try {
            long v = Long.parseLong(text.trim());
            if (v < 0) {
                throw invalid("Object size filters must not be negative", "ObjectSize", text);
            }
            return v;
        } catch (NumberFormatException e) {
            throw XmlReader.malformed();
        }
    }

    private static int positive(String text, String message, String name) {
        return atLeast(text, 1, message, name);
    }

    /** An integer of at least {@code min}: MalformedXML when it is none, InvalidArgument when it is below. */
    static int atLeast(String text, int min, String message, String name) {
        int v;
        try {
            v = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw XmlReader.malformed();
        }
        if (v < min) {
            throw invalid(message, name, text);
        }
        return v;
    }

    static long midnight(String text) {
        Instant t;
        try {
            t = ZonedDateTime.parse(text.trim(), DateTimeFormatter.ISO_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw XmlReader.malformed();
        }
        if (t.toEpochMilli() % LifecycleDays.DAY_MILLIS != 0) {
            throw invalid("'Date' must be at midnight GMT", "Date", text);
        }
        return t.toEpochMilli();
    }

    private static boolean bool(String text) {
        return switch (text.trim()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw XmlReader.malformed();
        };
    }

    private static Element single(Element parent, String name) {
        List<Element> c = XmlReader.children(parent, name);
        if (c.size() > 1) {
            throw XmlReader.malformed();
        }
        return c.isEmpty() ? null : c.get(0);
    }

    private static int elementCount(Element e) {
        int n = 0;
        for (Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (c instanceof Element) {
                n++;
            }
        }
        return n;
    }

    static S3Exception invalid(String message, String name, String value) {
        return new S3Exception(S3ErrorCode.INVALID_ARGUMENT, message).with("ArgumentName", name)
                .with("ArgumentValue", value);
    }

    /** The canonical document of a configuration (what GetBucketLifecycleConfiguration answers). */
    public static byte[] write(LifecycleConfiguration config) {
        XmlWriter w = XmlWriter.document(ROOT);
        for (LifecycleRule r : config.rules()) {
            w.start("Rule").element("ID", r.id());
            if (r.legacyPrefix()) {
                w.elementAlways("Prefix", r.filter().prefix().isEmpty() ? null : r.filter().prefix());
            } else {
                writeFilter(w, r.filter());
            }
            w.element("Status", r.enabled() ? "Enabled" : "Disabled");
            LifecycleTransitions.write(w, r.transitions(), r.noncurrentTransitions(),
                    millis -> DATE_OUT.format(Instant.ofEpochMilli(millis)));
            if (r.expiresCurrent() || r.expiredObjectDeleteMarker()) {
                w.start("Expiration").element("Days", r.expirationDays())
                        .element("Date", r.expirationDateMillis() == null ? null
                                : DATE_OUT.format(Instant.ofEpochMilli(r.expirationDateMillis())))
                        .element("ExpiredObjectDeleteMarker", r.expiredObjectDeleteMarker() ? "true" : null).end();
            }
            if (r.noncurrentDays() != null) {
                w.start("NoncurrentVersionExpiration").element("NoncurrentDays", r.noncurrentDays())
                        .element("NewerNoncurrentVersions", r.newerNoncurrentVersions()).end();
            }
            if (r.abortDays() != null) {
                w.start("AbortIncompleteMultipartUpload").element("DaysAfterInitiation", r.abortDays()).end();
            }
            w.end();
        }
        return w.toBytes();
    }

    private static void writeFilter(XmlWriter w, LifecycleFilter f) {
        w.start("Filter");
        boolean and = f.predicates() > 1;
        if (and) {
            w.start("And");
        }
        if (!f.prefix().isEmpty() || f.predicates() == 0) {
            w.elementAlways("Prefix", f.prefix().isEmpty() ? null : f.prefix());
        }
        for (Map.Entry<String, String> t : new TreeMap<>(f.tags()).entrySet()) {
            w.start("Tag").element("Key", t.getKey()).elementAlways("Value", t.getValue().isEmpty() ? null
                    : t.getValue()).end();
        }
        w.element("ObjectSizeGreaterThan", f.sizeGreaterThan()).element("ObjectSizeLessThan", f.sizeLessThan());
        if (and) {
            w.end();
        }
        w.end();
    }
}
