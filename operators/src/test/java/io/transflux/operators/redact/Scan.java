package io.transflux.operators.redact;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Test driver: runs detectors or a spec through the scanner, whole or in given chunks. */
final class Scan {

    record Found(String type, long start, long end, String text) {
    }

    private Scan() {
    }

    /** The values {@code detector} finds in {@code text}, scanned alone. */
    static List<String> values(EntityDetector detector, String text) {
        List<String> out = new ArrayList<>();
        for (Found f : found(List.of(detector), text)) {
            out.add(f.text());
        }
        return out;
    }

    static List<Found> found(List<EntityDetector> detectors, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        List<Found> out = new ArrayList<>();
        RedactionScanner s = new RedactionScanner(new DetectorSet(detectors), new Replacer(RedactionSpec.defaults()),
                65536, false, JsonFilter.TEXT).listener((t, a, b) -> out.add(new Found(t, a, b,
                        new String(bytes, (int) a, (int) (b - a), StandardCharsets.UTF_8))));
        s.feed(ByteBuffer.wrap(bytes));
        s.finish();
        return out;
    }

    /** Redacts {@code input} split at {@code cuts} (sorted offsets) and returns the output bytes. */
    static byte[] redact(RedactionSpec spec, boolean json, byte[] input, int[] cuts, int maxChunk) {
        RedactionScanner s = new RedactionScanner(new DetectorSet(spec.detectors()), new Replacer(spec), maxChunk,
                false, json ? new JsonTokenizer(spec) : JsonFilter.TEXT);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int prev = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int c = i < cuts.length ? cuts[i] : input.length;
            for (ByteBuffer b : s.feed(ByteBuffer.wrap(input, prev, c - prev).slice())) {
                if (b.remaining() > maxChunk) {
                    throw new AssertionError("chunk of " + b.remaining() + " > " + maxChunk);
                }
                out.write(b.array(), b.arrayOffset() + b.position(), b.remaining());
            }
            prev = c;
        }
        for (ByteBuffer b : s.finish()) {
            out.write(b.array(), b.arrayOffset() + b.position(), b.remaining());
        }
        return out.toByteArray();
    }

    static String redact(RedactionSpec spec, String text) {
        return new String(redact(spec, false, text.getBytes(StandardCharsets.UTF_8), new int[0], 65536),
                StandardCharsets.UTF_8);
    }

    static String redactJson(RedactionSpec spec, String text) {
        return new String(redact(spec, true, text.getBytes(StandardCharsets.UTF_8), new int[0], 65536),
                StandardCharsets.UTF_8);
    }
}
