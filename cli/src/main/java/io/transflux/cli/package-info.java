/**
 * The {@code transflux} command line: picocli commands over the pipeline, operators and connectors.
 * {@link io.transflux.cli.Transflux} is the entry point; each sub-command is its own class.
 */
@NullMarked
package io.transflux.cli;

import org.jspecify.annotations.NullMarked;
