package io.transflux.connectors.http;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * Which hosts and addresses an {@link HttpObjectSource} may connect to (SSRF guard). Immutable;
 * every {@code allow...} method returns a changed copy.
 *
 * <p>Two checks, both required:
 * <ol>
 *   <li><b>Host name</b>, before connecting: when {@linkplain #allowHosts(String...) host patterns} are
 *       configured, the URL's host must fully match one of them (case-insensitive). With no patterns any
 *       name passes this step.</li>
 *   <li><b>Address</b>, at connect time: the name is resolved once, every resolved address is checked, and
 *       the connection goes to the checked address (no second lookup, so DNS rebinding cannot swap it).
 *       If any resolved address is refused, the connection is refused: a public name that also
 *       answers with a private address is treated as hostile. IP-literal hosts are checked the same way
 *       before any connection is attempted.</li>
 * </ol>
 *
 * <p>Refused unless allowed explicitly ({@link #allowLoopback()}, {@link #allowPrivateNetworks()},
 * {@link #allowRange(String)}):
 * <table>
 *   <caption>Refused address classes</caption>
 *   <tr><th>Class</th><th>IPv4</th><th>IPv6</th></tr>
 *   <tr><td>loopback</td><td>127.0.0.0/8</td><td>::1</td></tr>
 *   <tr><td>link-local (incl. instance metadata)</td><td>169.254.0.0/16 (169.254.169.254)</td>
 *       <td>fe80::/10</td></tr>
 *   <tr><td>private</td><td>10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16</td>
 *       <td>fc00::/7 (incl. fd00:ec2::254), fec0::/10</td></tr>
 *   <tr><td>carrier-grade NAT</td><td>100.64.0.0/10</td><td>—</td></tr>
 *   <tr><td>multicast</td><td>224.0.0.0/4</td><td>ff00::/8</td></tr>
 *   <tr><td>unspecified</td><td>0.0.0.0/8</td><td>::</td></tr>
 *   <tr><td>reserved</td><td>192.0.0.0/24, 192.0.2.0/24, 198.18.0.0/15, 198.51.100.0/24,
 *       203.0.113.0/24, 240.0.0.0/4 (incl. 255.255.255.255)</td><td>2001::/32 (Teredo), 100::/64</td></tr>
 * </table>
 * IPv6 forms that embed an IPv4 address ({@code ::ffff:a.b.c.d}, {@code ::a.b.c.d}, NAT64
 * {@code 64:ff9b::/96}, 6to4 {@code 2002::/16}) are judged by the embedded IPv4 address.
 */
public final class HostGuard {

    /** Address classes refused by default. */
    enum AddressClass {
        LOOPBACK("loopback", "127.0.0.0/8", "::1/128"),
        LINK_LOCAL("link-local", "169.254.0.0/16", "fe80::/10"),
        PRIVATE("private", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7", "fec0::/10"),
        CARRIER_GRADE_NAT("carrier-grade NAT", "100.64.0.0/10"),
        MULTICAST("multicast", "224.0.0.0/4", "ff00::/8"),
        UNSPECIFIED("unspecified", "0.0.0.0/8", "::/128"),
        RESERVED("reserved", "192.0.0.0/24", "192.0.2.0/24", "198.18.0.0/15", "198.51.100.0/24",
                "203.0.113.0/24", "240.0.0.0/4", "2001::/32", "100::/64");

        final String label;
        final List<IpRange> ranges;

        AddressClass(String label, String... cidrs) {
            this.label = label;
            this.ranges = Arrays.stream(cidrs).map(IpRange::parse).collect(Collectors.toUnmodifiableList());
        }

        boolean contains(byte[] address) {
            for (IpRange r : ranges) {
                if (r.contains(address)) {
                    return true;
                }
            }
            return false;
        }
    }

    private static final IpRange NAT64 = IpRange.parse("64:ff9b::/96");
    private static final IpRange SIX_TO_FOUR = IpRange.parse("2002::/16");
    private static final IpRange IPV4_COMPATIBLE = IpRange.parse("::/96");
    private static final HostGuard PUBLIC_ONLY = new HostGuard(List.of(), EnumSet.noneOf(AddressClass.class), List.of());

    private final List<Pattern> hostPatterns;
    private final Set<AddressClass> allowedClasses;
    private final List<IpRange> allowedRanges;

    private HostGuard(List<Pattern> hostPatterns, Set<AddressClass> allowedClasses, List<IpRange> allowedRanges) {
        this.hostPatterns = List.copyOf(hostPatterns);
        this.allowedClasses = Set.copyOf(allowedClasses);
        this.allowedRanges = List.copyOf(allowedRanges);
    }

    /** Any host name, public addresses only. The default. */
    public static HostGuard publicOnly() {
        return PUBLIC_ONLY;
    }

    /** Also allows loopback addresses: for a local access point and tests. */
    public HostGuard allowLoopback() {
        return allowClass(AddressClass.LOOPBACK);
    }

    /** Also allows private addresses (10/8, 172.16/12, 192.168/16, fc00::/7): for VPC endpoints. */
    public HostGuard allowPrivateNetworks() {
        return allowClass(AddressClass.PRIVATE);
    }

    /** Also allows one CIDR block, e.g. {@code 10.1.2.0/24}; it wins over every refused class. */
    public HostGuard allowRange(String cidr) {
        IpRange range = IpRange.parse(Objects.requireNonNull(cidr, "cidr"));
        if (allowedRanges.contains(range)) {
            return this;
        }
        List<IpRange> ranges = new ArrayList<>(allowedRanges);
        ranges.add(range);
        return new HostGuard(hostPatterns, allowedClasses, ranges);
    }

    /**
     * Restricts host names to those fully matching one of {@code regexes} (case-insensitive), added to
     * the patterns already present, e.g.
     * {@code ^[a-z0-9-]+-\d{12}\.s3-accesspoint(\.dualstack)?\.us-east-1\.amazonaws\.com$}.
     */
    public HostGuard allowHosts(String... regexes) {
        List<Pattern> patterns = new ArrayList<>(hostPatterns);
        for (String regex : regexes) {
            patterns.add(Pattern.compile(Objects.requireNonNull(regex, "regex"), Pattern.CASE_INSENSITIVE));
        }
        return new HostGuard(patterns, allowedClasses, allowedRanges);
    }

    private HostGuard allowClass(AddressClass c) {
        if (allowedClasses.contains(c)) {
            return this;
        }
        Set<AddressClass> classes = EnumSet.noneOf(AddressClass.class);
        classes.addAll(allowedClasses);
        classes.add(c);
        return new HostGuard(hostPatterns, classes, allowedRanges);
    }

    /** Whether the host name passes the pattern check (IP literals are still subject to the address check). */
    public boolean permitsHostName(String host) {
        if (hostPatterns.isEmpty()) {
            return true;
        }
        String h = host.toLowerCase(Locale.ROOT);
        for (Pattern p : hostPatterns) {
            if (p.matcher(h).matches()) {
                return true;
            }
        }
        return false;
    }

    /** Whether a connection to {@code address} is allowed. */
    public boolean permitsAddress(InetAddress address) {
        return refusal(IpRange.bytes(address)) == null;
    }

    /** Why {@code address} (4 or 16 bytes) is refused, or null when it is allowed. */
    @Nullable String refusal(byte[] address) {
        for (IpRange r : allowedRanges) {
            if (r.contains(address)) {
                return null;
            }
        }
        byte[] embedded = embeddedIpv4(address);
        if (embedded != null) {
            String inner = refusal(embedded);
            return inner == null ? null : inner + " (embedded in IPv6)";
        }
        for (AddressClass c : AddressClass.values()) {
            if (c.contains(address)) {
                return allowedClasses.contains(c) ? null : c.label;
            }
        }
        return null;
    }

    private static byte @Nullable [] embeddedIpv4(byte[] a) {
        if (a.length != 16) {
            return null;
        }
        if (NAT64.contains(a) || (IPV4_COMPATIBLE.contains(a) && !isTinyIpv6(a))) {
            return Arrays.copyOfRange(a, 12, 16);
        }
        if (SIX_TO_FOUR.contains(a)) {
            return Arrays.copyOfRange(a, 2, 6);
        }
        return null;
    }

    /** {@code ::} and {@code ::1} sit inside ::/96 but are their own classes, not embedded IPv4. */
    private static boolean isTinyIpv6(byte[] a) {
        for (int i = 12; i < 15; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return (a[15] & 0xff) <= 1;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof HostGuard g && allowedClasses.equals(g.allowedClasses)
                && allowedRanges.equals(g.allowedRanges) && patternTexts().equals(g.patternTexts());
    }

    @Override
    public int hashCode() {
        return Objects.hash(allowedClasses, allowedRanges, patternTexts());
    }

    private List<String> patternTexts() {
        return hostPatterns.stream().map(Pattern::pattern).collect(Collectors.toList());
    }

    @Override
    public String toString() {
        return "HostGuard{allowedClasses=" + allowedClasses + ", allowedRanges=" + allowedRanges
                + ", hostPatterns=" + patternTexts() + '}';
    }
}
