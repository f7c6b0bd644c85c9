package io.transflux.connectors.upload;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;

import org.jspecify.annotations.Nullable;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * The multipart XML S3 and OSS share: {@code InitiateMultipartUploadResult/UploadId}, the
 * {@code CompleteMultipartUpload} request body and {@code Error/Code}. Parsed with DOCTYPEs refused (no
 * external entities).
 */
final class StoreXml {

    private StoreXml() {
    }

    /** The text of the first {@code element} under the root, or null when absent or not XML. */
    static @Nullable String first(String xml, String rootName, String element) {
        if (xml.isBlank()) {
            return null;
        }
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setExpandEntityReferences(false);
            f.setNamespaceAware(false);
            Document d = f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
            if (!rootName.equals(d.getDocumentElement().getTagName())) {
                return null;
            }
            NodeList n = d.getElementsByTagName(element);
            return n.getLength() == 0 ? null : n.item(0).getTextContent();
        } catch (Exception e) {
            return null;
        }
    }

    /** The error code of an {@code <Error>} document, or null. */
    static @Nullable String errorCode(String xml) {
        return first(xml, "Error", "Code");
    }

    static String completeBody(List<String> etags) {
        StringBuilder b = new StringBuilder("<CompleteMultipartUpload>");
        for (int i = 0; i < etags.size(); i++) {
            b.append("<Part><PartNumber>").append(i + 1).append("</PartNumber><ETag>")
                    .append(escape(etags.get(i))).append("</ETag></Part>");
        }
        return b.append("</CompleteMultipartUpload>").toString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
