package io.transflux.connectors.process;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.transflux.connectors.ConnectorException;
import io.transflux.pipeline.Pipeline;
import io.transflux.pipeline.PipelineSpecException;
import io.transflux.pipeline.StageRegistry;
import org.jspecify.annotations.Nullable;

/**
 * An OSS process string split into its pipeline part and an optional trailing {@code sys/saveas} stage:
 * {@code image/resize,w_100|sys/saveas,o_dGVzdC5qcGc,b_dGVzdA} gives the pipeline {@code image/resize,w_100}
 * and {@link SaveAs} {@code test.jpg} in {@code test}. {@code sys/saveas} must be the last stage and appear once;
 * other {@code sys/} stages are refused. Failures are {@link ConnectorException}s with status 400 and OSS code
 * {@code InvalidArgument} (or those {@link SaveAs} lists).
 */
public final class ProcessRequest {

    /** Upper bound on a process string, in characters. */
    public static final int MAX_LENGTH = 8 * 1024;

    private final String pipelineSpec;
    private final @Nullable SaveAs saveAs;

    private ProcessRequest(String pipelineSpec, @Nullable SaveAs saveAs) {
        this.pipelineSpec = pipelineSpec;
        this.saveAs = saveAs;
    }

    /** Parses a process string; the pipeline part is checked later, by {@link #pipeline(StageRegistry)}. */
    public static ProcessRequest parse(String process) {
        Objects.requireNonNull(process, "process");
        if (process.length() > MAX_LENGTH) {
            throw new ConnectorException(400, "InvalidArgument", "x-oss-process: " + process.length()
                    + " characters, expected at most " + MAX_LENGTH);
        }
        String[] stages = process.split("\\|", -1);
        List<String> pipeline = new ArrayList<>();
        SaveAs saveAs = null;
        for (int i = 0; i < stages.length; i++) {
            String stage = stages[i].trim();
            if (stage.startsWith("sys/")) {
                if (!stage.equals(SaveAs.STAGE) && !stage.startsWith(SaveAs.STAGE + ",")) {
                    throw new ConnectorException(400, "InvalidArgument", "stage " + i
                            + ": only sys/saveas is supported among the sys/ stages");
                }
                if (i != stages.length - 1) {
                    throw new ConnectorException(400, "InvalidArgument", "stage " + i
                            + ": sys/saveas must be the last stage");
                }
                saveAs = SaveAs.parse(stage);
            } else {
                pipeline.add(stage);
            }
        }
        return new ProcessRequest(String.join("|", pipeline), saveAs);
    }

    /** Builds the process string for {@code pipeline} saved to {@code saveAs}. */
    public static ProcessRequest of(String pipelineSpec, @Nullable SaveAs saveAs) {
        return parse(saveAs == null ? pipelineSpec
                : (pipelineSpec.isBlank() ? saveAs.toString() : pipelineSpec + "|" + saveAs));
    }

    /** The stages before {@code sys/saveas}, e.g. {@code image/resize,w_100}; empty when there are none. */
    public String pipelineSpec() {
        return pipelineSpec;
    }

    public Optional<SaveAs> saveAs() {
        return Optional.ofNullable(saveAs);
    }

    /** The pipeline part parsed against {@code registry}; a bad spec is 400 {@code InvalidArgument}. */
    public Pipeline pipeline(StageRegistry registry) {
        try {
            return Pipeline.parse(pipelineSpec, registry);
        } catch (PipelineSpecException e) {
            throw new ConnectorException(400, "InvalidArgument", "x-oss-process: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof ProcessRequest r && r.pipelineSpec.equals(pipelineSpec) && Objects.equals(r.saveAs, saveAs);
    }

    @Override
    public int hashCode() {
        return Objects.hash(pipelineSpec, saveAs);
    }

    /** The canonical process string. */
    @Override
    public String toString() {
        if (saveAs == null) {
            return pipelineSpec;
        }
        return pipelineSpec.isEmpty() ? saveAs.toString() : pipelineSpec + "|" + saveAs;
    }
}
