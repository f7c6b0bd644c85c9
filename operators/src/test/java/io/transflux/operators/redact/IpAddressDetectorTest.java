package io.transflux.operators.redact;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressDetectorTest {

    private final EntityDetector detector = new IpAddressDetector();

    @ParameterizedTest
    @ValueSource(strings = {"10.47.150.57", "9.9.9.9", "1.10.100.200", "192.168.0.1", "255.255.255.255", "0.0.0.0", "2001:db8:6d61:2c43::be39", "2001:0db8:85a3:0000:0000:8a2e:0370:7334", "fe80::1", "::1", "::ffff:192.0.2.128", "2001:db8::"})
    void findsWholeEntityInContext(String entity) {
        assertThat(Scan.values(detector, "see " + entity + ", thanks")).containsExactly(entity);
        assertThat(Scan.values(detector, entity)).containsExactly(entity);
        assertThat(Scan.values(detector, "{\"v\":\"" + entity + "\"}")).containsExactly(entity);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.3", "60.45", "1.2345.6.7", "5.0 (X11", "1a.2.3.4", "256.1.1.1", "1.2.3.4.5", "01.2.3.4", "12:34:56", "00:1a:2b:3c:4d:5e", "dead::beef", "std::vector", "v1.2.3.4", "2024-05-01T12:34:56Z", "1:2:3:4:5:6:7:8:9", "::"})
    void ignoresConfusables(String text) {
        assertThat(Scan.values(detector, "x " + text + " y")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"calling inventory at 172.242.129.208:8080 now", "proxy 10.0.0.1:443", "[::1]:443"})
    void findsTheAddressBeforeAPort(String text) {
        String address = text.contains("[") ? "::1" : text.replaceAll(".* ([0-9.]+):[0-9]+.*", "$1");
        assertThat(Scan.values(detector, text)).containsExactly(address);
    }
}
