/** Where objects come from: the {@link io.transflux.pipeline.source.ObjectSource} SPI and local files. */
@NullMarked
package io.transflux.pipeline.source;

import org.jspecify.annotations.NullMarked;
