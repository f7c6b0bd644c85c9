/**
 * Plumbing shared across modules, not API: how secrets (presigned-URL queries, tokens) are rendered in logs and
 * error messages ({@link LogSafe}).
 */
@NullMarked
package io.transflux.pipeline.internal.secret;

import org.jspecify.annotations.NullMarked;
