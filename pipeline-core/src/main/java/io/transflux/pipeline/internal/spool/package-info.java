/**
 * Plumbing shared across modules, not API: bounded temporary files ({@link Spool}) for stages and connectors that
 * must see a whole object before releasing a byte, all drawing on one JVM-wide disk budget ({@link SpoolBudget}).
 */
@NullMarked
package io.transflux.pipeline.internal.spool;

import org.jspecify.annotations.NullMarked;
