package io.transflux.connectors.s3;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.transflux.connectors.HeaderMapDeserializer;
import org.jspecify.annotations.Nullable;
import io.transflux.pipeline.internal.secret.LogSafe;

/**
 * The S3 Object Lambda event (https://docs.aws.amazon.com/AmazonS3/latest/userguide/olap-event-context.html).
 * Every property has its explicit JSON name; unknown properties are ignored at every level, because S3 adds
 * fields with minor protocol versions. Exactly one of the four contexts is present. {@link #toString()}
 * never prints URLs or tokens.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record S3ObjectLambdaEvent(
        @JsonProperty("xAmzRequestId") @Nullable String xAmzRequestId,
        @JsonProperty("protocolVersion") @Nullable String protocolVersion,
        @JsonProperty("getObjectContext") @Nullable GetObjectContext getObjectContext,
        @JsonProperty("headObjectContext") @Nullable InputContext headObjectContext,
        @JsonProperty("listObjectsContext") @Nullable InputContext listObjectsContext,
        @JsonProperty("listObjectsV2Context") @Nullable InputContext listObjectsV2Context,
        @JsonProperty("configuration") @Nullable Configuration configuration,
        @JsonProperty("userRequest") @Nullable UserRequest userRequest,
        @JsonProperty("userIdentity") @Nullable UserIdentity userIdentity) {

    /** {@code getObjectContext}: the presigned source URL and the WGOR route and token. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record GetObjectContext(
            @JsonProperty("inputS3Url") @Nullable String inputS3Url,
            @JsonProperty("outputRoute") @Nullable String outputRoute,
            @JsonProperty("outputToken") @Nullable String outputToken) {

        @Override
        public String toString() {
            return "GetObjectContext{inputS3Url=" + LogSafe.url(inputS3Url) + ", outputRoute="
                    + outputRoute + ", outputToken=" + LogSafe.token(outputToken) + '}';
        }
    }

    /** {@code headObjectContext}, {@code listObjectsContext}, {@code listObjectsV2Context}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record InputContext(@JsonProperty("inputS3Url") @Nullable String inputS3Url) {
        @Override
        public String toString() {
            return "InputContext{inputS3Url=" + LogSafe.url(inputS3Url) + '}';
        }
    }

    /** {@code configuration}; {@code payload} is always a string (often JSON). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Configuration(
            @JsonProperty("accessPointArn") @Nullable String accessPointArn,
            @JsonProperty("supportingAccessPointArn") @Nullable String supportingAccessPointArn,
            @JsonProperty("payload") @Nullable String payload) {
    }

    /**
     * {@code userRequest}: the caller's decoded URL and headers. Header values arrive as strings (AWS) or as
     * arrays of strings (MinIO); arrays are joined with {@code ", "}.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record UserRequest(
            @JsonProperty("url") @Nullable String url,
            @JsonProperty("headers") @JsonDeserialize(using = HeaderMapDeserializer.class)
            @Nullable Map<String, String> headers) {

        @Override
        public String toString() {
            return "UserRequest{url=" + LogSafe.url(url) + ", headers="
                    + (headers == null ? "{}" : headers.keySet()) + '}';
        }
    }

    /** {@code userIdentity}: all optional (MinIO sends only type, principalId, accessKeyId). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record UserIdentity(
            @JsonProperty("type") @Nullable String type,
            @JsonProperty("principalId") @Nullable String principalId,
            @JsonProperty("arn") @Nullable String arn,
            @JsonProperty("accountId") @Nullable String accountId,
            @JsonProperty("accessKeyId") @Nullable String accessKeyId) {

        @Override
        public String toString() {
            return "UserIdentity{type=" + type + ", accountId=" + accountId + '}';
        }
    }
}
