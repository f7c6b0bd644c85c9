package io.transflux.connectors.accesspoint;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import org.jspecify.annotations.Nullable;

/**
 * Splits an {@code application/vnd.awslambda.http-integration-response} stream (docs/protocols.md §11.3): a JSON
 * prelude ({@code statusCode}, {@code headers}, {@code cookies}), 8 NUL bytes, then the body. A plain state
 * machine, fed one buffer at a time from one thread; it owns what it holds until {@link #release()}.
 */
final class PreludeSplitter {

    /** The prelude's largest size; API Gateway documents 16 KB for the same format, function URLs nothing. */
    static final int MAX_PRELUDE_BYTES = 16 * 1024;
    static final int DELIMITER_BYTES = 8;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The parsed prelude. */
    record Prelude(int status, Map<String, String> headers, List<String> cookies) {
    }

    private @Nullable CompositeByteBuf held = Unpooled.compositeBuffer();
    private @Nullable Prelude prelude;

    /** The prelude once complete, else null. */
    @Nullable Prelude prelude() {
        return prelude;
    }

    /**
     * Feeds {@code in} (ownership passes here). Before the prelude is complete, returns null; the call that
     * completes it returns the body bytes that followed the delimiter (possibly empty); after that, {@code in}
     * itself.
     *
     * @throws IllegalStateException for a prelude over {@link #MAX_PRELUDE_BYTES}, not JSON, or a short delimiter
     */
    @Nullable ByteBuf feed(ByteBuf in) {
        if (prelude != null) {
            return in;
        }
        CompositeByteBuf h = held;
        if (h == null) {
            in.release();
            throw new IllegalStateException("prelude splitter released");
        }
        h.addComponent(true, in);
        int nul = h.indexOf(h.readerIndex(), h.writerIndex(), (byte) 0);
        if (nul < 0) {
            if (h.readableBytes() > MAX_PRELUDE_BYTES) {
                throw new IllegalStateException("prelude: no delimiter within " + MAX_PRELUDE_BYTES + " bytes");
            }
            return null;
        }
        if (nul - h.readerIndex() > MAX_PRELUDE_BYTES) {
            throw new IllegalStateException("prelude: larger than " + MAX_PRELUDE_BYTES + " bytes");
        }
        if (h.writerIndex() - nul < DELIMITER_BYTES) {
            return null;
        }
        for (int i = 0; i < DELIMITER_BYTES; i++) {
            if (h.getByte(nul + i) != 0) {
                throw new IllegalStateException("prelude: delimiter is not 8 NUL bytes");
            }
        }
        byte[] json = new byte[nul - h.readerIndex()];
        h.getBytes(h.readerIndex(), json);
        prelude = parse(json);
        h.readerIndex(nul + DELIMITER_BYTES);
        ByteBuf rest = h.readRetainedSlice(h.readableBytes());
        h.release();
        held = null;
        return rest;
    }

    void release() {
        CompositeByteBuf h = held;
        held = null;
        if (h != null) {
            h.release();
        }
    }

    private static Prelude parse(byte[] json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("prelude: not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new IllegalStateException("prelude: not a JSON object");
        }
        int status = root.path("statusCode").asInt(200);
        if (status < 100 || status > 599) {
            throw new IllegalStateException("prelude: statusCode " + status + " out of range");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        root.path("headers").fields().forEachRemaining(e -> headers.put(e.getKey(), e.getValue().asText()));
        List<String> cookies = new ArrayList<>();
        root.path("cookies").forEach(c -> cookies.add(c.asText()));
        return new Prelude(status, headers, cookies);
    }
}
