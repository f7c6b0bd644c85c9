package io.transflux.connectors.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;

import io.transflux.pipeline.ErrorCode;
import io.transflux.pipeline.SourceException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostGuardTest {

    @ParameterizedTest
    @CsvSource({
        "127.0.0.1, loopback",
        "127.255.0.9, loopback",
        "::1, loopback",
        "169.254.169.254, link-local",
        "fe80::1, link-local",
        "fd00:ec2::254, private",
        "10.1.2.3, private",
        "172.16.0.1, private",
        "172.31.255.255, private",
        "192.168.1.1, private",
        "fc00::1, private",
        "100.64.0.1, carrier-grade NAT",
        "100.127.255.255, carrier-grade NAT",
        "224.0.0.1, multicast",
        "ff02::1, multicast",
        "0.0.0.0, unspecified",
        "::, unspecified",
        "255.255.255.255, reserved",
        "192.0.0.170, reserved",
        "::ffff:127.0.0.1, loopback",
        "::ffff:169.254.169.254, link-local",
        "::127.0.0.1, loopback",
        "64:ff9b::a9fe:a9fe, link-local (embedded in IPv6)",
        "2002:7f00:1::, loopback (embedded in IPv6)",
        "2001:0:4136:e378::1, reserved",
    })
    void refusesNonPublicAddressesByDefault(String address, String why) {
        byte[] bytes = IpRange.literal(address);

        assertThat(bytes).isNotNull();
        assertThat(HostGuard.publicOnly().refusal(bytes)).isEqualTo(why);
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "52.216.8.1", "172.32.0.1", "172.15.255.255", "100.128.0.1", "11.0.0.1",
        "2600:1f18:4000::1", "64:ff9b::808:808", "2002:808:808::"})
    void permitsPublicAddresses(String address) throws UnknownHostException {
        assertThat(HostGuard.publicOnly().refusal(IpRange.literal(address))).isNull();
        assertThat(HostGuard.publicOnly().permitsAddress(InetAddress.getByName(address))).isTrue();
    }

    @Test
    void allowsLoopbackOnlyWhenAskedTo() {
        HostGuard guard = HostGuard.publicOnly().allowLoopback();

        assertThat(guard.refusal(IpRange.literal("127.0.0.1"))).isNull();
        assertThat(guard.refusal(IpRange.literal("::1"))).isNull();
        assertThat(guard.refusal(IpRange.literal("10.0.0.1"))).isEqualTo("private");
        assertThat(guard.refusal(IpRange.literal("169.254.169.254"))).isEqualTo("link-local");
    }

    @Test
    void allowsAnExplicitRangeOverItsClass() {
        HostGuard guard = HostGuard.publicOnly().allowRange("10.1.2.0/24");

        assertThat(guard.refusal(IpRange.literal("10.1.2.200"))).isNull();
        assertThat(guard.refusal(IpRange.literal("10.1.3.1"))).isEqualTo("private");
        assertThat(HostGuard.publicOnly().allowPrivateNetworks().refusal(IpRange.literal("10.1.3.1"))).isNull();
    }

    @Test
    void rejectsMalformedRanges() {
        assertThatThrownBy(() -> HostGuard.publicOnly().allowRange("example.com/8"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected an IPv4 or IPv6 literal");
        assertThatThrownBy(() -> HostGuard.publicOnly().allowRange("10.0.0.0/33"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("actual 33, expected [0, 32]");
    }

    @Test
    void matchesHostPatternsFullyAndCaseInsensitively() {
        HostGuard guard = HostGuard.publicOnly()
                .allowHosts("[a-z0-9-]+-\\d{12}\\.s3-accesspoint(\\.dualstack)?\\.us-east-1\\.amazonaws\\.com");

        assertThat(guard.permitsHostName("myap-123456789012.s3-accesspoint.us-east-1.amazonaws.com")).isTrue();
        assertThat(guard.permitsHostName("MyAp-123456789012.S3-AccessPoint.us-east-1.amazonaws.com")).isTrue();
        assertThat(guard.permitsHostName("myap-123456789012.s3-accesspoint.us-east-1.amazonaws.com.evil.io")).isFalse();
        assertThat(guard.permitsHostName("169.254.169.254")).isFalse();
        assertThat(HostGuard.publicOnly().permitsHostName("anything.example")).isTrue();
    }

    @Test
    void comparesByValue() {
        assertThat(HostGuard.publicOnly().allowLoopback().allowHosts("a\\.b"))
                .isEqualTo(HostGuard.publicOnly().allowHosts("a\\.b").allowLoopback())
                .hasSameHashCodeAs(HostGuard.publicOnly().allowHosts("a\\.b").allowLoopback())
                .isNotEqualTo(HostGuard.publicOnly().allowLoopback());
        assertThat(HostGuard.publicOnly().allowLoopback().allowLoopback()).isEqualTo(HostGuard.publicOnly().allowLoopback());
    }

    @Test
    void refusesAPublicNameThatResolvesToAPrivateAddress() throws UnknownHostException {
        // What a DNS-rebinding attacker's name resolves to at connect time; the selector sees the IP.
        InetSocketAddress rebound = new InetSocketAddress(
                InetAddress.getByAddress("bucket.attacker.example", new byte[] {(byte) 169, (byte) 254, (byte) 169, (byte) 254}), 80);
        InetSocketAddress fine = new InetSocketAddress(InetAddress.getByAddress("bucket.attacker.example", new byte[] {8, 8, 8, 8}), 80);
        GuardedAddressSelector selector = new GuardedAddressSelector(HostGuard.publicOnly());

        List<? extends java.net.SocketAddress> selected = selector.apply(new Object(), List.of(fine));
        assertThat(selected).isEqualTo(List.of(fine));
        assertThatThrownBy(() -> selector.apply(new Object(), List.of(fine, rebound)))
                .isInstanceOfSatisfying(SourceException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_NOT_ALLOWED);
                    assertThat(e).hasMessageContaining("bucket.attacker.example resolved to 169.254.169.254, a link-local address");
                });
    }

    @Test
    void givesEqualGuardsEqualSelectorsSoPoolsAreShared() {
        assertThat(new GuardedAddressSelector(HostGuard.publicOnly().allowLoopback()))
                .isEqualTo(new GuardedAddressSelector(HostGuard.publicOnly().allowLoopback()))
                .hasSameHashCodeAs(new GuardedAddressSelector(HostGuard.publicOnly().allowLoopback()));
    }
}
