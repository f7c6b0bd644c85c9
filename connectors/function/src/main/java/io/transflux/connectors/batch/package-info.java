/**
 * Transforming stored objects into other stored objects, one task per object: the job that S3 Batch Operations
 * ({@code S3BatchOperationsHandler}), OSS event triggers ({@code OssEventTriggerHandler}) and {@code transflux
 * batch} run. {@link io.transflux.connectors.batch.BatchJob} reads the exact version, runs the pipeline, writes
 * the target with {@link io.transflux.connectors.upload.MultipartObjectSink} (aborted on failure, so no partial
 * target) and records the source ETag and a pipeline hash in the target's metadata, so a rerun skips what is
 * done. Each task ends in a {@link io.transflux.connectors.batch.TaskResult} with Batch Operations' result codes.
 */
@NullMarked
package io.transflux.connectors.batch;

import org.jspecify.annotations.NullMarked;
