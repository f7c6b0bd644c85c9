/** Where objects go: the {@link io.transflux.pipeline.sink.ObjectSink} SPI and local files. */
@NullMarked
package io.transflux.pipeline.sink;

import org.jspecify.annotations.NullMarked;
