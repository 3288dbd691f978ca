package dev.cairn.s3.xml;

import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses small request documents (CreateBucketConfiguration, CompleteMultipartUpload, Delete)
 * with a hardened DOM parser: no DTDs, no external entities. Any failure is MalformedXML.
 */
public final class XmlReader {
    private static final DocumentBuilderFactory FACTORY = newFactory();

    private XmlReader() {
    }

    public static Element parse(byte[] body) {
        if (body.length == 0) {
            throw malformed();
        }
        try {
            DocumentBuilder builder = FACTORY.newDocumentBuilder();
            builder.setErrorHandler(new org.xml.sax.helpers.DefaultHandler());
            Document doc = builder.parse(new ByteArrayInputStream(body));
            return doc.getDocumentElement();
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw malformed();
        }
    }

    /** The root element, checked to have the given local name. */
    public static Element parse(byte[] body, String rootName) {
        Element root = parse(body);
        if (!rootName.equals(localName(root))) {
            throw malformed();
        }
        return root;
    }

    public static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(localName(e))) {
                out.add(e);
            }
        }
        return out;
    }

    /** Text of the single child with that name, or null when there is none. */
    public static String childText(Element parent, String name) {
        List<Element> c = children(parent, name);
        if (c.isEmpty()) {
            return null;
        }
        if (c.size() > 1) {
            throw malformed();
        }
        return c.get(0).getTextContent();
    }

    public static S3Exception malformed() {
        return new S3Exception(S3ErrorCode.MALFORMED_XML);
    }

    private static String localName(Element e) {
        return e.getLocalName() != null ? e.getLocalName() : e.getTagName();
    }

    private static DocumentBuilderFactory newFactory() {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            return f;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }
}
