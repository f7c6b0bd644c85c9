package io.transflux.cli;

import java.net.URI;
import java.util.Map;

import io.transflux.connectors.s3.S3Store;
import io.transflux.connectors.upload.MultipartSpec;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The S3 store options that {@code process} and {@code batch} share (a picocli mixin): where to write, how to sign,
 * how big the multipart parts are. Bad values are usage errors naming the option.
 */
final class S3StoreOptions {

    @Option(names = "--endpoint", paramLabel = "URL", description = "S3-compatible endpoint, addressed path-style.")
    @Nullable String endpoint;

    @Option(names = "--region", paramLabel = "REGION", description = "Signing region (default: AWS_REGION or us-east-1).")
    @Nullable String region;

    @Option(names = "--part-size", paramLabel = "BYTES", converter = ByteSizeConverter.class,
            description = "Multipart part size (default 8MiB; S3 needs at least 5MiB; at most two parts per object "
                    + "are held in memory).")
    long partSize = MultipartSpec.DEFAULT_PART_SIZE;

    MultipartSpec multipartSpec(CommandLine cmd) {
        try {
            return MultipartSpec.builder().partSize((int) Math.min(Integer.MAX_VALUE, partSize)).build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cmd, "--part-size: " + e.getMessage());
        }
    }

    /** The store from the environment's credentials, with {@code --region} and {@code --endpoint} applied. */
    S3Store store(CommandLine cmd) {
        Map<String, String> env = System.getenv();
        S3Store s;
        try {
            s = S3Store.fromEnvironment(env);
        } catch (IllegalStateException e) {
            throw new ParameterException(cmd, e.getMessage().replace("WriteGetObjectResponse", "S3 requests"));
        }
        if (region != null) {
            s = s.region(region);
        }
        if (endpoint != null) {
            try {
                URI.create(endpoint);
                s = s.endpointOverride(endpoint);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(cmd, "--endpoint: expected http(s)://host[:port]");
            }
        }
        return s;
    }
}
