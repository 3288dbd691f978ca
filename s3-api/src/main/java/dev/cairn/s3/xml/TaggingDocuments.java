package dev.cairn.s3.xml;

import org.w3c.dom.Element;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The Tagging document of object and bucket tagging: {@code <Tagging><TagSet><Tag><Key/><Value/></Tag>...}. */
public final class TaggingDocuments {
    private TaggingDocuments() {
    }

    /** A tag as the client sent it; duplicates are kept so that they can be refused. */
    public record Tag(String key, String value) {
    }

    /** The tags of a Tagging document in document order; MalformedXML when it is not one. */
    public static List<Tag> parse(byte[] body) {
        Element root = XmlReader.parse(body, "Tagging");
        List<Element> sets = XmlReader.children(root, "TagSet");
        if (sets.size() != 1) {
            throw XmlReader.malformed();
        }
        List<Tag> tags = new ArrayList<>();
        for (Element tag : XmlReader.children(sets.get(0), "Tag")) {
            String key = XmlReader.childText(tag, "Key");
            String value = XmlReader.childText(tag, "Value");
            if (key == null || value == null) {
                throw XmlReader.malformed();
            }
            tags.add(new Tag(key, value));
        }
        return tags;
    }

    /** The Tagging document of a tag set, tags in key order. */
    public static byte[] tagging(Map<String, String> tags) {
        XmlWriter w = XmlWriter.document("Tagging").start("TagSet");
        for (Map.Entry<String, String> t : new TreeMap<>(tags).entrySet()) {
            w.start("Tag").element("Key", t.getKey()).elementAlways("Value", t.getValue()).end();
        }
        return w.toBytes();
    }
}
