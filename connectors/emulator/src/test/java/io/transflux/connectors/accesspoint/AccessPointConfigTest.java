package io.transflux.connectors.accesspoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.transflux.connectors.ChecksumDelivery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessPointConfigTest {

    @TempDir
    Path dir;

    @Test
    void yamlFileGivesAccessPointsWithTheirFeaturesAndDelivery() throws Exception {
        Path f = dir.resolve("serve.yaml");
        Files.writeString(f, String.join("\n",
                "allowAnonymous: false",
                "accessPoints:",
                "  - bucket: logs",
                "    prefix: app",
                "    pipeline: ''",
                "    flavor: oss",
                "    allowedFeatures: [GetObject-Range, HeadObject-PartNumber]",
                "    checksumDelivery: trailer",
                "  - bucket: logs",
                ""));
        AccessPointConfig c = AccessPointConfig.read(f);
        assertThat(c.allowAnonymous()).isFalse();
        assertThat(c.accessPoints()).hasSize(2);
        AccessPointSpec a = c.accessPoints().get(0);
        assertThat(a.flavor()).isEqualTo(Flavor.OSS);
        assertThat(a.features()).containsExactlyInAnyOrder(Feature.GET_OBJECT_RANGE, Feature.HEAD_OBJECT_PART_NUMBER);
        assertThat(a.checksumDelivery()).isEqualTo(ChecksumDelivery.TRAILER);
        assertThat(c.accessPoints().get(1).features()).isEmpty();
    }

    @Test
    void jsonFileWithAnUnknownKeyFailsNamingIt() throws Exception {
        Path f = dir.resolve("serve.json");
        Files.writeString(f, "{\"accessPoints\":[{\"bucket\":\"logs\",\"pipelin\":\"x\"}]}");
        assertThatThrownBy(() -> AccessPointConfig.read(f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("config.accessPoints[0]: unknown key 'pipelin'");
    }

    @Test
    void longestPrefixWinsAndUncoveredKeysUseTheDefault() throws Exception {
        Files.createDirectories(dir.resolve("logs"));
        AccessPointSpec whole = AccessPointSpec.builder().bucket("logs").build();
        AccessPointSpec app = AccessPointSpec.builder().bucket("logs").prefix("app/").build();
        try (LocalAccessPoint ap = LocalAccessPoint.builder().root(dir).port(0).accessPoints(List.of(whole, app)).start()) {
            assertThat(ap.accessPointFor("logs", "app/x")).isEqualTo(app);
            assertThat(ap.accessPointFor("logs", "other")).isEqualTo(whole);
            assertThat(ap.accessPointFor("other", "k").name()).isEqualTo("default-olap");
        }
    }
}
