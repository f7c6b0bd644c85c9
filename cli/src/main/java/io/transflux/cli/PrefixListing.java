package io.transflux.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.time.Duration;
import java.util.Map;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;

import io.transflux.connectors.SourceOpener;
import io.transflux.connectors.batch.ManifestLine;
import io.transflux.connectors.upload.StoreEndpoint;
import io.transflux.pipeline.SourceException;
import io.transflux.pipeline.ErrorCode;
import org.jspecify.annotations.Nullable;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The objects under a prefix, from ListObjectsV2 ({@code list-type=2}, {@code encoding-type=url}), one page
 * (at most 1,000 keys) at a time: the next page is requested only when the previous one is consumed, so memory
 * stays one page whatever the bucket holds. Keys ending in {@code /} (folder markers) are left out.
 */
final class PrefixListing {

    private static final int MAX_PAGE_BYTES = 4 * 1024 * 1024;

    private PrefixListing() {
    }

    record Page(List<String> keys, @Nullable String next) {
    }

    static Flux<ManifestLine> list(StoreEndpoint store, SourceOpener opener, String bucket, String prefix) {
        return page(store, opener, bucket, prefix, null)
                .expand(p -> p.next() == null ? Mono.empty() : page(store, opener, bucket, prefix, p.next()), 1)
                .concatMapIterable(Page::keys, 1)
                .filter(k -> !k.endsWith("/"))
                .map(k -> ManifestLine.listed(bucket, k));
    }

    private static Mono<Page> page(StoreEndpoint store, SourceOpener opener, String bucket, String prefix,
            @Nullable String token) {
        return Mono.defer(() -> {
            SortedMap<String, @Nullable String> q = new TreeMap<>();
            q.put("list-type", "2");
            q.put("encoding-type", "url");
            q.put("prefix", prefix);
            if (token != null) {
                q.put("continuation-token", token);
            }
            // HttpObjectSource sends no Authorization header: the listing is read through a presigned URL.
            return opener.get(store.presign("GET", bucket, "", q, Duration.ofMinutes(15)), Map.of()).open()
                    .flatMap(s -> s.content().reduce(new ByteArrayOutputStream(), (out, b) -> {
                        if (out.size() + b.remaining() > MAX_PAGE_BYTES) {
                            throw new SourceException(ErrorCode.SOURCE_ERROR, 200, null,
                                    "ListObjectsV2: a page larger than " + MAX_PAGE_BYTES + " bytes");
                        }
                        byte[] a = new byte[b.remaining()];
                        b.get(a);
                        out.write(a, 0, a.length);
                        return out;
                    }))
                    .map(out -> parse(out.toByteArray()));
        });
    }

    static Page parse(byte[] xml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setExpandEntityReferences(false);
            Document d = f.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
            Element root = d.getDocumentElement();
            if (!"ListBucketResult".equals(root.getTagName())) {
                throw new IllegalStateException("ListObjectsV2: expected ListBucketResult, got " + root.getTagName());
            }
            boolean encoded = "url".equals(text(root, "EncodingType"));
            NodeList contents = root.getElementsByTagName("Contents");
            List<String> keys = new ArrayList<>(contents.getLength());
            for (int i = 0; i < contents.getLength(); i++) {
                String k = text((Element) contents.item(i), "Key");
                if (k != null) {
                    keys.add(encoded ? URLDecoder.decode(k, StandardCharsets.UTF_8) : k);
                }
            }
            boolean truncated = "true".equals(text(root, "IsTruncated"));
            String next = text(root, "NextContinuationToken");
            return new Page(keys, truncated && next != null && !next.isEmpty() ? next : null);
        } catch (IllegalStateException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("ListObjectsV2: the answer is not a listing (" + e.getClass().getSimpleName()
                    + ")", e);
        }
    }

    private static @Nullable String text(Element parent, String name) {
        NodeList n = parent.getElementsByTagName(name);
        return n.getLength() == 0 ? null : n.item(0).getTextContent();
    }
}
