/**
 * The local access point behind {@code transflux serve}: an HTTP server on loopback that plays S3 Object Lambda
 * (or OSS Object FC) for real, unmodified clients. A caller's GET becomes a function invocation with a
 * platform-shaped event whose presigned input URL points at this server's internal object endpoint (files under
 * a root folder, one sub-folder per bucket); the function's WriteGetObjectResponse arrives back here, is verified
 * (SigV4 with signing name {@code s3-object-lambda}, or OSS V1/V4) and streamed to the waiting caller with
 * backpressure. {@link io.transflux.connectors.accesspoint.LocalAccessPoint} is the front door,
 * {@link io.transflux.connectors.accesspoint.AccessPointSpec} one access point's settings and
 * {@link io.transflux.connectors.accesspoint.AccessPointConfig} a JSON or YAML file of them.
 */
@NullMarked
package io.transflux.connectors.accesspoint;

import org.jspecify.annotations.NullMarked;
