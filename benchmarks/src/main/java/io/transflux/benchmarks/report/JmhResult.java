package io.transflux.benchmarks.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One row of a JMH JSON result file: the method name (last segment of {@code benchmark}), its parameters, the
 * primary score with its error and unit, and the secondary metrics' scores (such as {@code gc.alloc.rate.norm}).
 */
record JmhResult(String benchmarkClass, String method, Map<String, String> params, double score, double error, String unit,
                 Map<String, Double> secondary) {

    static List<JmhResult> read(Path file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        List<JmhResult> out = new ArrayList<>();
        for (JsonNode n : root) {
            String full = n.get("benchmark").asText();
            int dot = full.lastIndexOf('.');
            String cls = full.substring(full.lastIndexOf('.', dot - 1) + 1, dot);
            Map<String, String> params = new HashMap<>();
            JsonNode p = n.get("params");
            if (p != null) {
                p.fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
            }
            JsonNode pm = n.get("primaryMetric");
            Map<String, Double> secondary = new HashMap<>();
            JsonNode sm = n.get("secondaryMetrics");
            if (sm != null) {
                sm.fields().forEachRemaining(e -> secondary.put(e.getKey(), e.getValue().get("score").asDouble()));
            }
            double error = pm.get("scoreError").isNumber() ? pm.get("scoreError").asDouble() : Double.NaN;
            out.add(new JmhResult(cls, full.substring(dot + 1), params, pm.get("score").asDouble(), error,
                    pm.get("scoreUnit").asText(), secondary));
        }
        return out;
    }

    String param(String name) {
        String v = params.get(name);
        if (v == null) {
            throw new IllegalArgumentException("JMH result " + benchmarkClass + "." + method + ": parameter " + name
                    + " missing, present " + params.keySet());
        }
        return v;
    }
}
