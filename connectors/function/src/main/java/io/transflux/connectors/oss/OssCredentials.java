package io.transflux.connectors.oss;

import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Alibaba Cloud credentials: from the FC context, or from {@code ALIBABA_CLOUD_ACCESS_KEY_ID},
 * {@code ALIBABA_CLOUD_ACCESS_KEY_SECRET} and {@code ALIBABA_CLOUD_SECURITY_TOKEN}. {@link #toString()} never
 * shows the secret or token.
 */
public record OssCredentials(String accessKeyId, String accessKeySecret, @Nullable String securityToken) {

    public OssCredentials {
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(accessKeySecret, "accessKeySecret");
        if (securityToken != null && securityToken.isEmpty()) {
            securityToken = null;
        }
    }

    public static OssCredentials fromEnvironment(Map<String, String> env) {
        String id = env.get("ALIBABA_CLOUD_ACCESS_KEY_ID");
        String secret = env.get("ALIBABA_CLOUD_ACCESS_KEY_SECRET");
        if (id == null || id.isEmpty() || secret == null || secret.isEmpty()) {
            throw new IllegalStateException("ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET: required "
                    + "when the FC context has no credentials, missing");
        }
        return new OssCredentials(id, secret, env.get("ALIBABA_CLOUD_SECURITY_TOKEN"));
    }

    @Override
    public String toString() {
        return "OssCredentials{accessKeyId=" + accessKeyId.substring(0, Math.min(4, accessKeyId.length()))
                + "..., sts=" + (securityToken != null) + '}';
    }
}
