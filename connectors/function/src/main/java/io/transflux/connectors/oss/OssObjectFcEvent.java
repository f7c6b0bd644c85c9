package io.transflux.connectors.oss;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.transflux.connectors.HeaderMapDeserializer;
import org.jspecify.annotations.Nullable;
import io.transflux.pipeline.internal.secret.LogSafe;

/**
 * The OSS Object FC event. Only {@code getObjectContext.{inputOssUrl, outputRoute, outputToken}} are confirmed
 * (docs/protocols.md §3.1) and required; {@code userRequest}, {@code configuration} and {@code requestId} follow the
 * S3 layout as a guess and are optional. Unknown fields are ignored.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record OssObjectFcEvent(
        @JsonProperty("requestId") @Nullable String requestId,
        @JsonProperty("getObjectContext") @Nullable GetObjectContext getObjectContext,
        @JsonProperty("configuration") @Nullable Configuration configuration,
        @JsonProperty("userRequest") @Nullable UserRequest userRequest) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record GetObjectContext(
            @JsonProperty("inputOssUrl") @Nullable String inputOssUrl,
            @JsonProperty("outputRoute") @Nullable String outputRoute,
            @JsonProperty("outputToken") @Nullable String outputToken) {

        @Override
        public String toString() {
            return "GetObjectContext{inputOssUrl=" + LogSafe.url(inputOssUrl) + ", outputRoute=" + outputRoute
                    + ", outputToken=" + LogSafe.token(outputToken) + '}';
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Configuration(@JsonProperty("payload") @Nullable String payload) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record UserRequest(
            @JsonProperty("url") @Nullable String url,
            @JsonProperty("headers") @JsonDeserialize(using = HeaderMapDeserializer.class)
            @Nullable Map<String, String> headers) {

        @Override
        public String toString() {
            return "UserRequest{url=" + LogSafe.url(url) + ", headers=" + (headers == null ? "{}" : headers.keySet()) + '}';
        }
    }
}
