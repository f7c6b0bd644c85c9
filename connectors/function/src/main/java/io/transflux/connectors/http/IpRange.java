package io.transflux.connectors.http;

import java.net.InetAddress;
import java.util.Arrays;

import io.netty.util.NetUtil;
import org.jspecify.annotations.Nullable;

/** A CIDR block ({@code 10.0.0.0/8}, {@code fc00::/7}) matched against raw address bytes. */
final class IpRange {

    private final byte[] prefix;
    private final int bits;
    private final String text;

    private IpRange(byte[] prefix, int bits, String text) {
        this.prefix = prefix;
        this.bits = bits;
        this.text = text;
    }

    /** Parses {@code address/bits}; the address must be a literal, never a name (no DNS lookup). */
    static IpRange parse(String cidr) {
        int slash = cidr.indexOf('/');
        String addr = slash < 0 ? cidr : cidr.substring(0, slash);
        byte[] bytes = literal(addr);
        if (bytes == null) {
            throw new IllegalArgumentException("CIDR address: actual '" + addr + "', expected an IPv4 or IPv6 literal");
        }
        int max = bytes.length * 8;
        int bits;
        try {
            bits = slash < 0 ? max : Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("CIDR prefix length: actual '" + cidr.substring(slash + 1)
                    + "', expected a number in [0, " + max + "]");
        }
        if (bits < 0 || bits > max) {
            throw new IllegalArgumentException("CIDR prefix length: actual " + bits + ", expected [0, " + max + "]");
        }
        return new IpRange(bytes, bits, cidr);
    }

    /** The bytes of an IP literal (IPv4-mapped IPv6 folded to IPv4), or null when it is not one. */
    static byte @Nullable [] literal(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.indexOf('%') >= 0) {
            return null; // scoped IPv6 literals are not valid in URLs we fetch
        }
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(h);
        if (bytes == null) {
            return null;
        }
        return fold(bytes);
    }

    static byte[] bytes(InetAddress address) {
        return fold(address.getAddress());
    }

    /** Folds {@code ::ffff:a.b.c.d} to the 4-byte form so IPv4 rules apply to it. */
    private static byte[] fold(byte[] bytes) {
        if (bytes.length == 16) {
            for (int i = 0; i < 10; i++) {
                if (bytes[i] != 0) {
                    return bytes;
                }
            }
            if (bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff) {
                return Arrays.copyOfRange(bytes, 12, 16);
            }
        }
        return bytes;
    }

    boolean contains(byte[] address) {
        if (address.length != prefix.length) {
            return false;
        }
        int full = bits / 8;
        for (int i = 0; i < full; i++) {
            if (address[i] != prefix[i]) {
                return false;
            }
        }
        int rest = bits % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (address[full] & mask) == (prefix[full] & mask);
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof IpRange r && bits == r.bits && Arrays.equals(prefix, r.prefix);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(prefix) + bits;
    }

    @Override
    public String toString() {
        return text;
    }
}
