package io.transflux.connectors.callback;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which public-key URLs a callback may name (docs/protocols.md §5.6 step 1, docs/reliability.md §9 step 1). Checked by
 * parsing, never by prefix: scheme {@code http} or {@code https}; no userinfo, query or fragment; path
 * {@code /<name>.pem} with {@code [A-Za-z0-9_-]} names; host exactly {@value #OSS_KEY_HOST} without a port,
 * whose key is always fetched over {@code https} whatever scheme the header says; or a configured local host
 * ({@code host} or {@code host:port}, e.g. a local access point), fetched as given. Anything else, including
 * look-alike hosts and IP literals not configured, is refused. Immutable.
 */
public final class KeyUrlPolicy {

    /** The host serving OSS's callback public keys. */
    public static final String OSS_KEY_HOST = "gosspublic.alicdn.com";
    private static final Pattern PATH = Pattern.compile("/[A-Za-z0-9_-]+\\.pem");
    private static final KeyUrlPolicy OSS_ONLY = new KeyUrlPolicy(Set.of());

    private final Set<String> localHosts;

    private KeyUrlPolicy(Set<String> localHosts) {
        this.localHosts = Set.copyOf(localHosts);
    }

    /** Only {@value #OSS_KEY_HOST}. The default. */
    public static KeyUrlPolicy ossOnly() {
        return OSS_ONLY;
    }

    /**
     * Also allows keys served by {@code hostAndPort} ({@code 127.0.0.1:9000}, {@code localhost}) over http or
     * https, as given: for a local access point that signs callbacks with its own key.
     */
    public KeyUrlPolicy allowLocalHost(String hostAndPort) {
        Set<String> s = new LinkedHashSet<>(localHosts);
        s.add(Objects.requireNonNull(hostAndPort, "hostAndPort").toLowerCase(Locale.ROOT));
        return new KeyUrlPolicy(s);
    }

    /** The URL to fetch the key from, or empty when {@code keyUrl} is not allowed. */
    public Optional<URI> fetchUrl(String keyUrl) {
        URI u;
        try {
            u = new URI(keyUrl);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        String scheme = u.getScheme();
        if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || u.isOpaque()
                || u.getRawUserInfo() != null || u.getRawQuery() != null || u.getRawFragment() != null
                || u.getRawAuthority() == null || u.getRawAuthority().contains("@") || u.getHost() == null
                || u.getRawPath() == null || !PATH.matcher(u.getRawPath()).matches()) {
            return Optional.empty();
        }
        String host = u.getHost().toLowerCase(Locale.ROOT);
        if (host.equals(OSS_KEY_HOST) && u.getPort() == -1 && u.getRawAuthority().equalsIgnoreCase(OSS_KEY_HOST)) {
            return Optional.of(URI.create("https://" + OSS_KEY_HOST + u.getRawPath()));
        }
        String authority = u.getRawAuthority().toLowerCase(Locale.ROOT);
        if (localHosts.contains(authority)) {
            return Optional.of(u);
        }
        return Optional.empty();
    }

    public boolean permits(String keyUrl) {
        return fetchUrl(keyUrl).isPresent();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyUrlPolicy p && p.localHosts.equals(localHosts);
    }

    @Override
    public int hashCode() {
        return localHosts.hashCode();
    }

    @Override
    public String toString() {
        return "KeyUrlPolicy{" + OSS_KEY_HOST + (localHosts.isEmpty() ? "" : ", local=" + localHosts) + '}';
    }
}
