/**
 * Plumbing shared across modules, not API: URI text as S3, OSS and SigV4 spell it ({@link PercentEncoding}).
 */
@NullMarked
package io.transflux.pipeline.internal.uri;

import org.jspecify.annotations.NullMarked;
