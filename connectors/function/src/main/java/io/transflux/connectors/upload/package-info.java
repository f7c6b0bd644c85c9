/**
 * Streaming uploads of unknown length to S3-compatible and OSS object stores. {@link
 * io.transflux.connectors.upload.MultipartObjectSink} cuts the content into parts held in memory (at most two
 * at a time), sends a single {@code PutObject} when the content fits in one part and otherwise a multipart
 * upload, and aborts the upload on failure or cancellation so that no orphaned parts remain. The stores differ
 * only in URLs and signatures, which a {@link io.transflux.connectors.upload.StoreEndpoint} supplies
 * ({@code S3Store}, {@code OssStore}); both speak the same multipart XML.
 */
@NullMarked
package io.transflux.connectors.upload;

import org.jspecify.annotations.NullMarked;
