package io.transflux.connectors;

import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * A status with an optional error code and static message, as {@link ErrorMapping} produces them. A 304
 * carries neither code nor message.
 *
 * @param status  the status to forward, e.g. 404
 * @param code    the error code ({@code ^[A-Z][a-zA-Z]+$}), e.g. {@code NoSuchKey}; null for 304
 * @param message a static message; null for 304
 */
public record ErrorReply(int status, @Nullable String code, @Nullable String message) {

    private static final Pattern CODE = Pattern.compile("^[A-Z][a-zA-Z]+$");

    /** True when {@code code} is acceptable as {@code x-amz-fwd-error-code}. */
    public static boolean isValidCode(String code) {
        return code.length() <= 64 && CODE.matcher(code).matches();
    }
}
