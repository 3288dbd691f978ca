package dev.cairn.s3.xml;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A small streaming writer for S3 response documents. Escapes text, closes what it opens, and
 * always starts with the XML declaration. Documents are built by the typed result records in
 * this package; handlers never write element names themselves.
 */
public final class XmlWriter {
    public static final String S3_NS = "http://s3.amazonaws.com/doc/2006-03-01/";

    private final StringBuilder out = new StringBuilder(256);
    private final Deque<String> open = new ArrayDeque<>();

    private XmlWriter() {
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    }

    /** A document whose root element carries the S3 namespace. */
    public static XmlWriter document(String root) {
        XmlWriter w = new XmlWriter();
        w.out.append('<').append(root).append(" xmlns=\"").append(S3_NS).append("\">");
        w.open.push(root);
        return w;
    }

    /** A document whose root carries {@code namespace} (IAM's documents). */
    public static XmlWriter document(String root, String namespace) {
        XmlWriter w = new XmlWriter();
        w.out.append('<').append(root).append(" xmlns=\"").append(namespace).append("\">");
        w.open.push(root);
        return w;
    }

    /** A document whose root has no namespace (error documents, as AWS sends them). */
    public static XmlWriter plainDocument(String root) {
        XmlWriter w = new XmlWriter();
        w.out.append('<').append(root).append('>');
        w.open.push(root);
        return w;
    }

    public XmlWriter start(String name) {
        out.append('<').append(name).append('>');
        open.push(name);
        return this;
    }

    /** An element with attributes (names as written, values escaped). */
    public XmlWriter start(String name, java.util.Map<String, String> attributes) {
        out.append('<').append(name);
        for (java.util.Map.Entry<String, String> a : new java.util.TreeMap<>(attributes).entrySet()) {
            out.append(' ').append(a.getKey()).append("=\"");
            escape(a.getValue());
            out.append('"');
        }
        out.append('>');
        open.push(name);
        return this;
    }

    public XmlWriter end() {
        out.append("</").append(open.pop()).append('>');
        return this;
    }

    /** An element with text content; nothing is written when {@code value} is null. */
    public XmlWriter element(String name, Object value) {
        if (value != null) {
            out.append('<').append(name).append('>');
            escape(String.valueOf(value));
            out.append("</").append(name).append('>');
        }
        return this;
    }

    /** An element always written, empty when value is null. */
    public XmlWriter elementAlways(String name, Object value) {
        if (value == null) {
            out.append('<').append(name).append("/>");
            return this;
        }
        return element(name, value);
    }

    /** Escaped text inside the element opened last. */
    public XmlWriter text(String value) {
        escape(value);
        return this;
    }

    public byte[] toBytes() {
        while (!open.isEmpty()) {
            end();
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void escape(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                case '\r' -> out.append("&#13;");
                case '\n' -> out.append("&#10;");
                case '\t' -> out.append("&#9;");
                default -> {
                    if (c < 0x20) {
                        out.append("&#").append((int) c).append(';');
                    } else {
                        out.append(c);
                    }
                }
            }
        }
    }
}
