/**
 * Image stages with Alibaba OSS IMG syntax ({@code image/resize,m_lfit,w_200,h_200/quality,q_80/format,webp}):
 * resize, crop, rotate, auto-orient, format, quality and info. The one buffering stage of Transflux: it collects
 * the source up to {@link io.transflux.operators.image.ImageLimits#maxSourceBytes()}, picks a decoder from magic
 * bytes over an allow-list, probes the header against pixel limits before any raster exists, decodes
 * subsampled towards the target size on a bounded worker, applies the actions in order and encodes once.
 * {@link io.transflux.operators.image.Images} is the front door; {@link
 * io.transflux.operators.image.ImageStageProvider} registers the {@code image} category with the
 * {@link io.transflux.pipeline.StageRegistry}.
 */
@NullMarked
package io.transflux.operators.image;

import org.jspecify.annotations.NullMarked;
