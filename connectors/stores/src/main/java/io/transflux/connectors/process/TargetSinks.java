package io.transflux.connectors.process;

import io.transflux.pipeline.sink.ObjectSink;

/**
 * Names the sink that stores a processed object: {@code S3Store::sink}, {@code OssStore::sink}, or a local
 * access point's atomic file sink. The sink must leave no object behind when its content fails.
 */
@FunctionalInterface
public interface TargetSinks {

    ObjectSink sink(String bucket, String object);
}
