/**
 * Plumbing shared across modules, not API: the one timeout mechanism for streams ({@link StreamTimeout}), a total
 * deadline and a demand-aware idle timer, each a single task on a Reactor scheduler that fails the stream with the
 * caller's typed error.
 */
@NullMarked
package io.transflux.pipeline.internal.timeout;

import org.jspecify.annotations.NullMarked;
