package io.transflux.connectors.s3;

import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * AWS credentials from the standard environment variables ({@code AWS_ACCESS_KEY_ID},
 * {@code AWS_SECRET_ACCESS_KEY}, {@code AWS_SESSION_TOKEN}), as Lambda sets them for the execution role.
 * {@link #toString()} shows only the key id's first four characters.
 */
public final class AwsCredentials {

    private final String accessKeyId;
    private final String secretAccessKey;
    private final @Nullable String sessionToken;

    private AwsCredentials(String accessKeyId, String secretAccessKey, @Nullable String sessionToken) {
        this.accessKeyId = Objects.requireNonNull(accessKeyId, "accessKeyId");
        this.secretAccessKey = Objects.requireNonNull(secretAccessKey, "secretAccessKey");
        this.sessionToken = sessionToken;
    }

    public static AwsCredentials of(String accessKeyId, String secretAccessKey, @Nullable String sessionToken) {
        return new AwsCredentials(accessKeyId, secretAccessKey, sessionToken);
    }

    /** From {@code env}; fails naming the missing variable (never a value). */
    public static AwsCredentials fromEnvironment(Map<String, String> env) {
        String id = env.get("AWS_ACCESS_KEY_ID");
        String secret = env.get("AWS_SECRET_ACCESS_KEY");
        if (id == null || id.isEmpty()) {
            throw new IllegalStateException("AWS_ACCESS_KEY_ID: required for signing WriteGetObjectResponse, missing");
        }
        if (secret == null || secret.isEmpty()) {
            throw new IllegalStateException("AWS_SECRET_ACCESS_KEY: required for signing WriteGetObjectResponse, missing");
        }
        String token = env.get("AWS_SESSION_TOKEN");
        return new AwsCredentials(id, secret, token == null || token.isEmpty() ? null : token);
    }

    /** The access key id (not a secret on its own; never log the rest). */
    public String accessKeyId() {
        return accessKeyId;
    }

    AwsCredentialsIdentity identity() {
        return sessionToken == null ? AwsCredentialsIdentity.create(accessKeyId, secretAccessKey)
                : AwsSessionCredentialsIdentity.create(accessKeyId, secretAccessKey, sessionToken);
    }

    @Override
    public String toString() {
        return "AwsCredentials{accessKeyId=" + accessKeyId.substring(0, Math.min(4, accessKeyId.length())) + "..., session="
                + (sessionToken != null) + '}';
    }
}
