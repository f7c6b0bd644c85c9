package io.transflux.operators.redact;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

/**
 * Precision and recall per entity type on the labeled synthetic corpus ({@link LabeledCorpus}); a match
 * counts only when type, start and end all equal a ground-truth span. Required: precision >= 0.99 and
 * recall >= 0.995 for every structured type.
 */
class DetectionQualityTest {

    private static final int DOCUMENTS = 30_000;

    @Test
    void everyStructuredTypeMeetsPrecisionAndRecallTargets() {
        LabeledCorpus.Corpus corpus = new LabeledCorpus(42).generate(DOCUMENTS);
        List<Scan.Found> found = new ArrayList<>();
        RedactionScanner s = new RedactionScanner(new DetectorSet(DetectorSet.builtIns(Set.of())),
                new Replacer(RedactionSpec.defaults()), 65536, false, JsonFilter.TEXT)
                .listener((t, a, b) -> found.add(new Scan.Found(t, a, b, "")));
        byte[] bytes = corpus.bytes();
        for (int off = 0; off < bytes.length; off += 7777) {
            s.feed(ByteBuffer.wrap(bytes, off, Math.min(7777, bytes.length - off)));
        }
        s.finish();

        Set<String> truth = new HashSet<>();
        Map<String, int[]> counts = new TreeMap<>(); // type -> {truth, predicted, truePositive}
        for (LabeledCorpus.Span sp : corpus.spans()) {
            truth.add(sp.type() + "@" + sp.start() + "-" + sp.end());
            counts.computeIfAbsent(sp.type(), k -> new int[3])[0]++;
        }
        Map<String, List<String>> falsePositives = new HashMap<>();
        Set<String> hit = new HashSet<>();
        for (Scan.Found f : found) {
            String key = f.type() + "@" + f.start() + "-" + f.end();
            int[] c = counts.computeIfAbsent(f.type(), k -> new int[3]);
            c[1]++;
            if (truth.contains(key)) {
                c[2]++;
                hit.add(key);
            } else {
                falsePositives.computeIfAbsent(f.type(), k -> new ArrayList<>())
                        .add(context(bytes, (int) f.start(), (int) f.end()));
            }
        }
        Map<String, List<String>> misses = new HashMap<>();
        for (LabeledCorpus.Span sp : corpus.spans()) {
            if (!hit.contains(sp.type() + "@" + sp.start() + "-" + sp.end())) {
                misses.computeIfAbsent(sp.type(), k -> new ArrayList<>()).add(context(bytes, sp.start(), sp.end()));
            }
        }
        StringBuilder report = new StringBuilder(String.format("%-34s %7s %7s %9s %9s%n", "type", "truth", "found",
                "precision", "recall"));
        counts.forEach((type, c) -> report.append(String.format("%-34s %7d %7d %9.4f %9.4f%n", type, c[0], c[1],
                c[1] == 0 ? 1.0 : (double) c[2] / c[1], c[0] == 0 ? 1.0 : (double) c[2] / c[0])));
        misses.forEach((t, l) -> report.append("misses ").append(t).append(": ").append(first(l)).append('\n'));
        falsePositives.forEach((t, l) -> report.append("false positives ").append(t).append(": ").append(first(l))
                .append('\n'));
        System.out.println("Detection quality on " + bytes.length + " bytes, " + DOCUMENTS + " documents:\n" + report);

        assertThat(counts.keySet()).containsAll(RedactionSpec.BUILT_IN_TYPES);
        counts.forEach((type, c) -> {
            assertThat(c[0]).as("ground-truth %s spans", type).isGreaterThanOrEqualTo(500);
            assertThat((double) c[2] / c[1]).as("precision of %s; false positives e.g. %s", type,
                    first(falsePositives.get(type))).isGreaterThanOrEqualTo(0.99);
            assertThat((double) c[2] / c[0]).as("recall of %s; misses e.g. %s", type, first(misses.get(type)))
                    .isGreaterThanOrEqualTo(0.995);
        });
    }

    private static List<String> first(List<String> l) {
        return l == null ? List.of() : l.subList(0, Math.min(5, l.size()));
    }

    private static String context(byte[] b, int s, int e) {
        int from = Math.max(0, s - 30);
        int to = Math.min(b.length, e + 30);
        return new String(b, from, s - from, StandardCharsets.UTF_8) + "⟦" + new String(b, s, e - s, StandardCharsets.UTF_8)
                + "⟧" + new String(b, e, to - e, StandardCharsets.UTF_8);
    }
}
