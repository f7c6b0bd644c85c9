package io.transflux.connectors.url;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;

import io.transflux.connectors.ConnectorException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ObjectPathTest {

    static final UrlFunctionSpec KEY = UrlFunctionSpec.builder().bucket("data").keyPrefix("public/").region("us-east-1").build();
    static final UrlFunctionSpec BUCKETS = UrlFunctionSpec.builder().bucketsInPath(Set.of("data", "logs"))
            .region("us-east-1").build();

    @Test
    void keyPathsLandUnderTheConfiguredBucketAndPrefixDecodedOnce() {
        assertThat(ObjectPath.parse("/a/b%20c/%E2%82%AC.txt", KEY)).isEqualTo(new ObjectPath("data", "public/a/b c/€.txt"));
        assertThat(ObjectPath.parse("/a+b%2525", KEY).key()).isEqualTo("public/a+b%25");
    }

    @Test
    void bucketPathsNameAnAllowedBucket() {
        assertThat(ObjectPath.parse("/logs/x.gz", BUCKETS)).isEqualTo(new ObjectPath("logs", "x.gz"));
        assertThatThrownBy(() -> ObjectPath.parse("/other/x.gz", BUCKETS)).isInstanceOf(ConnectorException.class)
                .satisfies(e -> assertThat(((ConnectorException) e).status()).isEqualTo(403));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/../x", "/a/../../x", "/%2e%2e/x", "/.%2E/x", "/a/./x", "/a%2Fb", "/a%2fb", "/a%5Cb", "/a\\b",
            "/a%0Ab", "/a%00b", "/a%7Fb", "/a%C2%85b", "//x", "/x/", "/", "", "x", "/a%zz", "/a%2", "/%FF%FE",
            "/logs/../data/x"})
    void traversalEncodedSeparatorsAndControlCharactersAre400(String raw) {
        assertThatThrownBy(() -> ObjectPath.parse(raw, KEY)).isInstanceOf(ConnectorException.class)
                .satisfies(e -> assertThat(((ConnectorException) e).status()).isEqualTo(400))
                .satisfies(e -> assertThat(((ConnectorException) e).errorCode()).isEqualTo("InvalidURI"));
    }

    @Test
    void keysOverS3sLimitAre400() {
        assertThatThrownBy(() -> ObjectPath.parse("/" + "k".repeat(1020), KEY)).isInstanceOf(ConnectorException.class);
        assertThat(ObjectPath.parse("/" + "k".repeat(1024 - "public/".length()), KEY).key()).hasSize(1024);
    }
}
