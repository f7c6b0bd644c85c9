/**
 * OSS-style server-side processing: {@link io.transflux.connectors.process.ProcessRequest} splits a process
 * string such as {@code image/resize,w_100|sys/saveas,o_<key>,b_<bucket>} into the pipeline part and the
 * trailing {@link io.transflux.connectors.process.SaveAs} target (docs/protocols.md §6.4), mapping bad input to the
 * OSS error codes; {@link io.transflux.connectors.process.ProcessAndSave} runs one job from an
 * {@code ObjectSource} through the pipeline into the sink a {@link io.transflux.connectors.process.TargetSinks}
 * names, and answers with the {@link io.transflux.connectors.process.ProcessResult} JSON OSS returns.
 */
@NullMarked
package io.transflux.connectors.process;

import org.jspecify.annotations.NullMarked;
