/**
 * The HTTP source: {@link io.transflux.connectors.http.HttpObjectSource} reads one object from a
 * presigned URL over Reactor Netty as a backpressured stream of owned heap buffers, resuming broken
 * reads with {@code Range} + {@code If-Match} and never joining bytes of two object versions. Around it:
 * {@link io.transflux.connectors.http.HttpSourceSpec} (timeouts, deadline, resume budget),
 * {@link io.transflux.connectors.http.HttpSourceClient} (the disposable connection pool),
 * {@link io.transflux.connectors.http.HostGuard} (SSRF guard, checked on the resolved address at
 * connect time); URLs appear in messages only as {@code LogSafe.url} renders them (without their
 * signatures). Netty {@code ByteBuf}s never leave this package.
 */
@NullMarked
package io.transflux.connectors.http;

import org.jspecify.annotations.NullMarked;
