package io.transflux.cli;

import java.util.Locale;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses byte sizes such as {@code 1048576}, {@code 64KiB}, {@code 4GiB} (binary units) or {@code unlimited}. */
final class ByteSizeConverter implements ITypeConverter<Long> {

    @Override
    public Long convert(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("unlimited")) {
            return Long.MAX_VALUE;
        }
        long unit = 1;
        String[][] units = {{"kib", "k"}, {"mib", "m"}, {"gib", "g"}, {"tib", "t"}};
        for (int i = units.length - 1; i >= 0; i--) {
            for (String suffix : units[i]) {
                if (v.endsWith(suffix)) {
                    unit = 1L << (10 * (i + 1));
                    v = v.substring(0, v.length() - suffix.length()).trim();
                    i = -1;
                    break;
                }
            }
        }
        try {
            long n = Long.parseLong(v);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return Math.multiplyExact(n, unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new TypeConversionException("'" + value + "' is not a byte size: expected e.g. 1048576, 64KiB, 4GiB or unlimited");
        }
    }
}
