package dev.cairn.s3.xml;

import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import dev.cairn.s3.cors.CorsRule;
import org.w3c.dom.Element;

import java.util.ArrayList;
import java.util.List;

/**
 * The CORSConfiguration document: parsed and validated from PutBucketCors, written for
 * GetBucketCors (and as the stored form of a bucket's rules).
 */
public final class CorsDocuments {
    /** AWS: a CORS configuration holds at most 100 rules. */
    public static final int MAX_RULES = 100;
    private static final int MAX_ID_LENGTH = 255;

    private CorsDocuments() {
    }

    /** Parses and validates; MalformedXML for a bad document, InvalidRequest for a bad method or wildcard. */
    public static List<CorsRule> parse(byte[] body) {
        Element root = XmlReader.parse(body, "CORSConfiguration");
        List<Element> ruleElements = XmlReader.children(root, "CORSRule");
        if (ruleElements.isEmpty() || ruleElements.size() > MAX_RULES) {
            throw XmlReader.malformed();
        }
        List<CorsRule> rules = new ArrayList<>();
        for (Element e : ruleElements) {
            rules.add(rule(e));
        }
        return rules;
    }

    private static CorsRule rule(Element e) {
        String id = XmlReader.childText(e, "ID");
        if (id != null && id.length() > MAX_ID_LENGTH) {
            throw XmlReader.malformed();
        }
        List<String> origins = texts(e, "AllowedOrigin");
        List<String> methods = texts(e, "AllowedMethod");
        if (origins.isEmpty() || methods.isEmpty()) {
            throw XmlReader.malformed();
        }
        for (String m : methods) {
            if (!CorsRule.METHODS.contains(m)) {
                throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                        "Found unsupported HTTP method in CORS config. Unsupported method is " + m);
            }
        }
        for (String o : origins) {
            oneWildcard(o, "AllowedOrigin \"" + o + "\" can not have more than one wildcard.");
        }
        List<String> headers = texts(e, "AllowedHeader");
        for (String h : headers) {
            oneWildcard(h, "AllowedHeader \"" + h + "\" can not have more than one wildcard.");
        }
        String maxAge = XmlReader.childText(e, "MaxAgeSeconds");
        Integer age = null;
        if (maxAge != null) {
            try {
                age = Integer.valueOf(maxAge.trim());
            } catch (NumberFormatException bad) {
                throw XmlReader.malformed();
            }
        }
        return new CorsRule(id, origins, methods, headers, texts(e, "ExposeHeader"), age);
    }

    private static void oneWildcard(String value, String message) {
        if (value.indexOf('*') != value.lastIndexOf('*')) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, message);
        }
    }

    private static List<String> texts(Element parent, String name) {
        List<String> out = new ArrayList<>();
        for (Element c : XmlReader.children(parent, name)) {
            out.add(c.getTextContent().trim());
        }
        return out;
    }

    public static byte[] write(List<CorsRule> rules) {
        XmlWriter w = XmlWriter.document("CORSConfiguration");
        for (CorsRule r : rules) {
            w.start("CORSRule").element("ID", r.id());
            r.allowedHeaders().forEach(h -> w.element("AllowedHeader", h));
            r.allowedMethods().forEach(m -> w.element("AllowedMethod", m));
            r.allowedOrigins().forEach(o -> w.element("AllowedOrigin", o));
            r.exposeHeaders().forEach(h -> w.element("ExposeHeader", h));
            w.element("MaxAgeSeconds", r.maxAgeSeconds()).end();
        }
        return w.toBytes();
    }
}
