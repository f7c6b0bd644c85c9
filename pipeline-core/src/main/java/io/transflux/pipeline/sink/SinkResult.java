package io.transflux.pipeline.sink;

/**
 * What a sink stored.
 *
 * @param bytesWritten the number of content bytes written
 * @param location     where they went (a path, a key, {@code -} for stdout); never a URL with secrets
 */
public record SinkResult(long bytesWritten, String location) {
}
