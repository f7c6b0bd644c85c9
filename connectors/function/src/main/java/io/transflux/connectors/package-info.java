/**
 * The platform-neutral object-transformation function: {@link io.transflux.connectors.ObjectLambdaFunction}
 * opens the source, applies the {@link io.transflux.pipeline.Pipeline}, honours Range or partNumber on the
 * transformed bytes, streams the answer to a {@link io.transflux.connectors.ResponseWriter} (the S3 or OSS
 * WriteGetObjectResponse client) and reports an {@link io.transflux.connectors.InvocationOutcome}. Error
 * mapping ({@link io.transflux.connectors.ErrorMapping}) lives here once for both platforms; secrets in logs and
 * messages are rendered by pipeline-core's {@code internal.secret.LogSafe}.
 */
@NullMarked
package io.transflux.connectors;

import org.jspecify.annotations.NullMarked;
