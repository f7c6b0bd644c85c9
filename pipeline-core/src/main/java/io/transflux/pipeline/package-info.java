/**
 * The front door of Transflux: {@link io.transflux.pipeline.ObjectStream} (content plus metadata),
 * {@link io.transflux.pipeline.Operator}, {@link io.transflux.pipeline.Pipeline} and its spec grammar,
 * {@link io.transflux.pipeline.Limits}, and the one unchecked exception hierarchy rooted at
 * {@link io.transflux.pipeline.PipelineException}.
 */
@NullMarked
package io.transflux.pipeline;

import org.jspecify.annotations.NullMarked;
