package io.transflux.operators.redact;

import io.transflux.pipeline.ErrorCode;
import io.transflux.pipeline.PipelineException;

/**
 * {@code redact/detect} found a selected entity: the request is refused. Connectors report it as 403
 * {@code AccessDenied}, "Document contains PII". The message names the entity type and byte offset of
 * the first match, never its value.
 */
public final class PiiDetectedException extends PipelineException {

    private static final long serialVersionUID = 1L;

    private final String entityType;
    private final long offset;

    public PiiDetectedException(String entityType, long offset) {
        super(ErrorCode.ACCESS_DENIED, "Document contains PII: " + entityType + " at byte offset " + offset);
        this.entityType = entityType;
        this.offset = offset;
    }

    /** The entity type of the first match, e.g. {@code EMAIL}. */
    public String entityType() {
        return entityType;
    }

    /** The byte offset of the first match in the object. */
    public long offset() {
        return offset;
    }
}
