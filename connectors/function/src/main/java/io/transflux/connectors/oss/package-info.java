/**
 * The OSS Object FC adapter: the event ({@link io.transflux.connectors.oss.OssObjectFcEvent}), our own V1
 * (HMAC-SHA1) and V4 ({@code OSS4-HMAC-SHA256}) request signing ({@link io.transflux.connectors.oss.OssSigner}),
 * the WriteGetObjectResponse client ({@link io.transflux.connectors.oss.OssWgorClient}), the dispatcher
 * ({@link io.transflux.connectors.oss.OssObjectFc}) and the Function Compute entry point
 * ({@link io.transflux.connectors.oss.OssObjectFcHandler}).
 */
@NullMarked
package io.transflux.connectors.oss;

import org.jspecify.annotations.NullMarked;
