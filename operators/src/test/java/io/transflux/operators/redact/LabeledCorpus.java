package io.transflux.operators.redact;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A synthetic, labeled corpus: JSON lines, CSV rows and free text in several languages, with the byte
 * spans of every PII entity inserted (the ground truth) and confusable non-PII (order ids, timestamps,
 * versions, UUIDs, Luhn-invalid 16-digit numbers, hex ids, plain URLs, prices) that must not be flagged.
 *
 * <p>Formats follow how these values are written in the wild, independently of the detectors: NANP in its
 * usual punctuations, international numbers as their national plans group them after the country code,
 * card numbers of the main networks in plain, 4-4-4-4 and Amex 4-6-5 groupings, IBANs of several
 * countries with computed check digits, and so on. A span is the value itself; for {@code URL} it is the
 * scheme and credential-bearing authority, for {@code PASSWORD} the value after the key.
 *
 * <p>Recipe: {@code new LabeledCorpus(seed).generate(documents)}; the same seed gives the same corpus.
 */
final class LabeledCorpus {

    record Span(String type, int start, int end) {
    }

    record Corpus(byte[] bytes, List<Span> spans) {
    }

    private static final String[][] NAMES = {
        {"James", "Smith"}, {"Mary", "Johnson"}, {"Chloe", "Zhang"}, {"Matthew", "O'Brien"}, {"Sarah", "King"},
        {"Jürgen", "Müller"}, {"Zoë", "Dubois"}, {"José", "García"}, {"Ñuño", "Peña"}, {"Søren", "Kierkegård"},
        {"伟", "王"}, {"芳", "李"}, {"太郎", "山田"}, {"Priya", "Sharma"}, {"Olusegun", "Adeyemi"}, {"Анна", "Иванова"},
        {"Fatima", "Al-Sayed"}, {"Lucas", "Adams"}, {"Mohammed", "Lewis"}, {"Aoife", "Ní Bhriain"},
    };
    private static final String[][] ASCII_NAMES = {
        {"james", "smith"}, {"mary", "johnson"}, {"chloe", "zhang"}, {"matthew", "obrien"}, {"sarah", "king"},
        {"juergen", "mueller"}, {"zoe", "dubois"}, {"jose", "garcia"}, {"nuno", "pena"}, {"soren", "kierkegard"},
        {"wei", "wang"}, {"fang", "li"}, {"taro", "yamada"}, {"priya", "sharma"}, {"olusegun", "adeyemi"},
        {"anna", "ivanova"}, {"fatima", "al-sayed"}, {"lucas", "adams"}, {"mohammed", "lewis"}, {"aoife", "nibhriain"},
    };
    private static final String[] DOMAINS = {"gmail.com", "outlook.com", "icloud.com", "proton.me", "example.co.uk",
        "mail.example.org", "web.de", "orange.fr", "qq.com", "yahoo.co.jp", "corp.acme-widgets.com", "uni-hamburg.de"};
    private static final String B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    private static final String B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final String PW = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%()*-.:?@[]^_{}~";

    private final SplittableRandom rnd;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final List<Span> spans = new ArrayList<>();

    LabeledCorpus(long seed) {
        this.rnd = new SplittableRandom(seed);
    }

    Corpus generate(int documents) {
        for (int i = 0; i < documents; i++) {
            switch (rnd.nextInt(3)) {
                case 0 -> jsonLine(i);
                case 1 -> csvRow(i);
                default -> freeText();
            }
            text("\n");
        }
        return new Corpus(out.toByteArray(), List.copyOf(spans));
    }

    // ---- documents ---------------------------------------------------------------------------------

    private void jsonLine(int seq) {
        int n = rnd.nextInt(NAMES.length);
        text("{\"ts\":\"" + isoTimestamp() + "\",\"seq\":" + seq + ",\"trace_id\":\"" + hex(32) + "\",\"order\":\""
                + orderId() + "\",\"user\":{\"name\":\"" + NAMES[n][0] + " " + NAMES[n][1].replace("'", "\\u0027")
                + "\",\"email\":\"");
        entity("EMAIL", email(n));
        text("\",\"phone\":\"");
        entity("PHONE", phone());
        text("\"},\"client_ip\":\"");
        entity("IP_ADDRESS", rnd.nextInt(4) == 0 ? ipv6() : ipv4());
        text("\",\"ua\":\"Mozilla/5.0 (X11; Linux x86_64) Chrome/" + version4() + "\",\"build\":\"" + version()
                + "\",\"request_id\":\"" + uuid() + "\",\"ref\":\"" + luhnInvalid16() + "\",\"msg\":\"");
        message(n);
        text("\"");
        if (rnd.nextInt(3) == 0) {
            text(",\"billing\":{\"card\":\"");
            entity("CREDIT_DEBIT_NUMBER", card());
            text("\",\"iban\":\"");
            entity("INTERNATIONAL_BANK_ACCOUNT_NUMBER", iban());
            text("\",\"amount\":" + price() + "}");
        }
        if (rnd.nextInt(5) == 0) {
            text(",\"config\":{\"aws_access_key_id\":\"");
            entity("AWS_ACCESS_KEY", accessKey());
            text("\",\"aws_secret_access_key\":\"");
            entity("AWS_SECRET_KEY", secretKey());
            text("\",\"db\":\"");
            url();
            text("/orders?sslmode=require\",\"password\":\"");
            entity("PASSWORD", password());
            text("\"}");
        }
        if (rnd.nextInt(4) == 0) {
            text(",\"device\":{\"mac\":\"");
            entity("MAC_ADDRESS", mac());
            text("\",\"ssn\":\"");
            entity("SSN", ssn());
            text("\"}");
        }
        text("}");
    }

    private void csvRow(int seq) {
        int n = rnd.nextInt(NAMES.length);
        text(seq + ",\"" + NAMES[n][1].replace("'", "''") + ", " + NAMES[n][0] + "\",");
        entity("EMAIL", email(n));
        text(",");
        entity("PHONE", phone());
        text(",");
        entity("CREDIT_DEBIT_NUMBER", card());
        text(",");
        entity("SSN", ssn());
        text(",");
        entity("IP_ADDRESS", rnd.nextBoolean() ? ipv4() : ipv6());
        text("," + isoDate() + "," + price() + "," + orderId() + "," + uuid() + ",");
        entity("INTERNATIONAL_BANK_ACCOUNT_NUMBER", iban());
        text(",");
        entity("MAC_ADDRESS", mac());
        text(",v" + version() + "," + luhnInvalid16());
    }

    private void freeText() {
        int n = rnd.nextInt(NAMES.length);
        String name = NAMES[n][0] + " " + NAMES[n][1];
        switch (rnd.nextInt(8)) {
            case 0 -> {
                text("Hi " + name + ", your order " + orderId() + " shipped on " + isoDate() + ". Questions? Write to ");
                entity("EMAIL", email(n));
                text(" or call ");
                entity("PHONE", phone());
                text(". Ref " + uuid() + ".");
            }
            case 1 -> {
                text("Sehr geehrte/r " + name + ", Ihre IBAN ");
                entity("INTERNATIONAL_BANK_ACCOUNT_NUMBER", iban());
                text(" wurde am " + rnd.nextInt(1, 29) + "." + rnd.nextInt(1, 13) + ".2024 um " + time()
                        + " Uhr hinterlegt. Tel.: ");
                entity("PHONE", phone());
            }
            case 2 -> {
                text("Bonjour " + name + ", la carte ");
                entity("CREDIT_DEBIT_NUMBER", card());
                text(" a été refusée (réf. " + luhnInvalid16() + ", version " + version() + "). Contact : ");
                entity("EMAIL", email(n));
            }
            case 3 -> {
                text("客户" + NAMES[n][1] + NAMES[n][0] + "的电话：");
                entity("PHONE", phone());
                text("，邮箱：");
                entity("EMAIL", email(n));
                text("。订单号" + orderId() + "，登录IP：");
                entity("IP_ADDRESS", ipv4());
                text("。");
            }
            case 4 -> {
                text("[" + isoTimestamp() + "] WARN sshd[" + rnd.nextInt(100, 65000) + "]: Failed password for "
                        + ASCII_NAMES[n][0] + " from ");
                entity("IP_ADDRESS", rnd.nextBoolean() ? ipv4() : ipv6());
                text(" port " + rnd.nextInt(1024, 65536) + " ssh2; iface mac ");
                entity("MAC_ADDRESS", mac());
                text(" build " + version4());
            }
            case 5 -> {
                text("Dear " + name + ", we verified SSN ");
                entity("SSN", ssn());
                text(" on " + isoDate() + " at " + time() + ". Your case number is " + orderId() + " and amount $"
                        + price() + ". See https://support.example.com/cases/" + rnd.nextInt(100000) + "?lang=en.");
            }
            case 6 -> {
                text("export AWS_ACCESS_KEY_ID=");
                entity("AWS_ACCESS_KEY", accessKey());
                text(" AWS_SECRET_ACCESS_KEY=");
                entity("AWS_SECRET_KEY", secretKey());
                text(" DATABASE_URL=");
                url();
                text("/app db_password=");
                entity("PASSWORD", password());
                text(" release=" + version());
            }
            default -> {
                text("Estimado " + name + ": su tarjeta ");
                entity("CREDIT_DEBIT_NUMBER", card());
                text(" y su teléfono ");
                entity("PHONE", phone());
                text(" quedaron registrados el " + isoDate() + " (trace " + hex(16) + ", epoch "
                        + (1_700_000_000L + rnd.nextInt(100_000_000)) + ").");
            }
        }
    }

    private void message(int n) {
        switch (rnd.nextInt(4)) {
            case 0 -> {
                text("payment authorized card=");
                entity("CREDIT_DEBIT_NUMBER", card());
                text(" amount=" + price());
            }
            case 1 -> {
                text("password reset requested for ");
                entity("EMAIL", email(n));
                text(", sms sent to ");
                entity("PHONE", phone());
            }
            case 2 -> {
                text("KYC check passed ssn=");
                entity("SSN", ssn());
            }
            default -> text("cache miss for key user:" + rnd.nextInt(100000) + ":profile after " + rnd.nextInt(1000) + "ms");
        }
    }

    // ---- entities ----------------------------------------------------------------------------------

    private String email(int n) {
        String f = ASCII_NAMES[n][0];
        String l = ASCII_NAMES[n][1];
        String local = switch (rnd.nextInt(6)) {
            case 0 -> f + "." + l;
            case 1 -> f + "_" + l + rnd.nextInt(100);
            case 2 -> f.charAt(0) + l;
            case 3 -> f + "+news" + rnd.nextInt(10);
            case 4 -> l + "-" + f + rnd.nextInt(1000);
            default -> f + l;
        };
        String e = local + "@" + DOMAINS[rnd.nextInt(DOMAINS.length)];
        return rnd.nextInt(10) == 0 ? e.toUpperCase(Locale.ROOT) : e;
    }

    private String phone() {
        int a = rnd.nextInt(200, 1000);
        int x = rnd.nextInt(200, 1000);
        String s = String.format("%04d", rnd.nextInt(10000));
        return switch (rnd.nextInt(20)) {
            case 0 -> "(" + a + ") " + x + "-" + s;
            case 1 -> a + "-" + x + "-" + s;
            case 2 -> a + "." + x + "." + s;
            case 3 -> "+1 " + a + " " + x + " " + s;
            case 4 -> "+1-" + a + "-" + x + "-" + s;
            case 5 -> "1-" + a + "-" + x + "-" + s;
            case 6 -> "+1" + a + x + s;
            case 7 -> "+1 (" + a + ") " + x + "-" + s;
            case 8 -> "+44 20 " + digits(4) + " " + digits(4);
            case 9 -> "+44 7" + digits(3) + " " + digits(6);
            case 10 -> "+49 30 " + digits(8);
            case 11 -> "+49 (0)" + rnd.nextInt(30, 90) + " " + digits(7);
            case 12 -> "+33 " + rnd.nextInt(1, 8) + " " + digits(2) + " " + digits(2) + " " + digits(2) + " " + digits(2);
            case 13 -> "+86 1" + rnd.nextInt(30, 90) + " " + digits(4) + " " + digits(4);
            case 14 -> "+86 1" + rnd.nextInt(30, 90) + digits(8);
            case 15 -> "+81 3-" + digits(4) + "-" + digits(4);
            case 16 -> "+81 90-" + digits(4) + "-" + digits(4);
            case 17 -> "+91 9" + digits(4) + " " + digits(5);
            case 18 -> "+55 11 9" + digits(4) + "-" + digits(4);
            default -> "+61 2 " + digits(4) + " " + digits(4);
        };
    }

    private String card() {
        String number = switch (rnd.nextInt(6)) {
            case 0 -> luhn("4", 16);
            case 1 -> luhn("5" + rnd.nextInt(1, 6), 16);
            case 2 -> luhn(Integer.toString(rnd.nextInt(2221, 2721)), 16);
            case 3 -> luhn(rnd.nextBoolean() ? "34" : "37", 15);
            case 4 -> luhn("6011", 16);
            default -> luhn("4", rnd.nextBoolean() ? 13 : 19);
        };
        int style = rnd.nextInt(3);
        if (style == 0) {
            return number;
        }
        String sep = style == 1 ? " " : "-";
        if (number.length() == 15) {
            return number.substring(0, 4) + sep + number.substring(4, 10) + sep + number.substring(10);
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < number.length(); i += 4) {
            if (i > 0) {
                b.append(sep);
            }
            b.append(number, i, Math.min(number.length(), i + 4));
        }
        return b.toString();
    }

    private String ssn() {
        int area;
        do {
            area = rnd.nextInt(1, 900);
        } while (area == 666);
        String sep = rnd.nextInt(5) == 0 ? " " : "-";
        return String.format("%03d%s%02d%s%04d", area, sep, rnd.nextInt(1, 100), sep, rnd.nextInt(1, 10000));
    }

    private String ipv4() {
        return rnd.nextInt(1, 256) + "." + rnd.nextInt(256) + "." + rnd.nextInt(256) + "." + rnd.nextInt(256);
    }

    private String ipv6() {
        String[] g = new String[8];
        for (int i = 0; i < 8; i++) {
            g[i] = Integer.toHexString(rnd.nextInt(0x10000));
        }
        g[0] = rnd.nextBoolean() ? "2001" : "fe80";
        switch (rnd.nextInt(4)) {
            case 0:
                return String.join(":", g);
            case 1: {
                int from = rnd.nextInt(1, 6);
                int to = rnd.nextInt(from + 1, 8);
                return String.join(":", java.util.Arrays.copyOfRange(g, 0, from)) + "::"
                        + String.join(":", java.util.Arrays.copyOfRange(g, to, 8));
            }
            case 2:
                return "2001:db8::" + g[7];
            default:
                return "::ffff:" + ipv4();
        }
    }

    private String mac() {
        StringBuilder b = new StringBuilder();
        int style = rnd.nextInt(3);
        String hex = hex(12);
        if (rnd.nextBoolean()) {
            hex = hex.toUpperCase(Locale.ROOT);
        }
        if (style == 2) {
            return hex.substring(0, 4) + "." + hex.substring(4, 8) + "." + hex.substring(8);
        }
        for (int i = 0; i < 12; i += 2) {
            if (i > 0) {
                b.append(style == 0 ? ':' : '-');
            }
            b.append(hex, i, i + 2);
        }
        return b.toString();
    }

    private String iban() {
        String country;
        String bban;
        switch (rnd.nextInt(6)) {
            case 0 -> {
                country = "DE";
                bban = digits(18);
            }
            case 1 -> {
                country = "GB";
                bban = letters(4) + digits(14);
            }
            case 2 -> {
                country = "FR";
                bban = digits(10) + alnum(11) + digits(2);
            }
            case 3 -> {
                country = "NL";
                bban = letters(4) + digits(10);
            }
            case 4 -> {
                country = "ES";
                bban = digits(20);
            }
            default -> {
                country = "IT";
                bban = letters(1) + digits(10) + alnum(12);
            }
        }
        String rearranged = bban + country + "00";
        int r = 0;
        for (char c : rearranged.toCharArray()) {
            r = c <= '9' ? (r * 10 + c - '0') % 97 : (r * 100 + c - 'A' + 10) % 97;
        }
        String iban = country + String.format("%02d", 98 - r) + bban;
        if (rnd.nextBoolean()) {
            return iban;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < iban.length(); i += 4) {
            if (i > 0) {
                b.append(' ');
            }
            b.append(iban, i, Math.min(iban.length(), i + 4));
        }
        return b.toString();
    }

    private String accessKey() {
        return (rnd.nextBoolean() ? "AKIA" : "ASIA") + pick(B32, 16);
    }

    private String secretKey() {
        return pick(B64, 40);
    }

    private void url() {
        String scheme = new String[] {"postgres", "mysql", "https", "redis", "amqp", "mongodb+srv"}[rnd.nextInt(6)];
        String user = ASCII_NAMES[rnd.nextInt(ASCII_NAMES.length)][0];
        String host = rnd.nextBoolean() ? "db" + rnd.nextInt(10) + ".internal.example.com" : ipv4();
        String port = rnd.nextBoolean() ? ":" + rnd.nextInt(1024, 65536) : "";
        entity("URL", scheme + "://" + user + ":" + pick(ALNUM + "abcdefghijklmnop-_.~%", rnd.nextInt(8, 24)) + "@"
                + host + port);
    }

    private String password() {
        return pick(PW, rnd.nextInt(8, 24));
    }

    // ---- confusables -------------------------------------------------------------------------------

    private String orderId() {
        return switch (rnd.nextInt(4)) {
            case 0 -> "ORD-" + digits(8);
            case 1 -> "#" + letters(1) + "-" + digits(4) + "-" + digits(4);
            case 2 -> "PO" + digits(10);
            default -> "INV-2024-" + digits(6);
        };
    }

    private String isoTimestamp() {
        return "2024-" + two(rnd.nextInt(1, 13)) + "-" + two(rnd.nextInt(1, 29)) + "T" + time() + "."
                + String.format("%03d", rnd.nextInt(1000)) + "Z";
    }

    private String isoDate() {
        return "2024-" + two(rnd.nextInt(1, 13)) + "-" + two(rnd.nextInt(1, 29));
    }

    private String time() {
        return two(rnd.nextInt(24)) + ":" + two(rnd.nextInt(60)) + ":" + two(rnd.nextInt(60));
    }

    private String version() {
        return rnd.nextInt(0, 20) + "." + rnd.nextInt(0, 40) + "." + rnd.nextInt(0, 100)
                + (rnd.nextInt(4) == 0 ? "-rc" + rnd.nextInt(1, 5) : "");
    }

    private String version4() {
        return rnd.nextInt(100, 130) + ".0." + rnd.nextInt(4000, 7000) + "." + rnd.nextInt(1, 200);
    }

    private String uuid() {
        String h = hex(32);
        return h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12, 16) + "-" + h.substring(16, 20)
                + "-" + h.substring(20);
    }

    private String luhnInvalid16() {
        String valid = luhn(Integer.toString(rnd.nextInt(1, 10)), 16);
        int last = valid.charAt(15) - '0';
        String n = valid.substring(0, 15) + (last + rnd.nextInt(1, 10)) % 10;
        if (rnd.nextBoolean()) {
            return n;
        }
        return n.substring(0, 4) + " " + n.substring(4, 8) + " " + n.substring(8, 12) + " " + n.substring(12);
    }

    private String price() {
        return rnd.nextInt(1, 5000) + "." + two(rnd.nextInt(100));
    }

    // ---- plumbing ----------------------------------------------------------------------------------

    private void text(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
    }

    private void entity(String type, String value) {
        int start = out.size();
        text(value);
        spans.add(new Span(type, start, out.size()));
    }

    private String luhn(String prefix, int length) {
        StringBuilder b = new StringBuilder(prefix);
        while (b.length() < length - 1) {
            b.append(rnd.nextInt(10));
        }
        int sum = 0;
        for (int i = b.length() - 1, k = 0; i >= 0; i--, k++) {
            int d = b.charAt(i) - '0';
            if (k % 2 == 0) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
        }
        return b.append((10 - sum % 10) % 10).toString();
    }

    private String digits(int n) {
        return pick("0123456789", n);
    }

    private String letters(int n) {
        return pick("ABCDEFGHIJKLMNOPQRSTUVWXYZ", n);
    }

    private String alnum(int n) {
        return pick(ALNUM, n);
    }

    private String hex(int n) {
        return pick("0123456789abcdef", n);
    }

    private String pick(String alphabet, int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    private static String two(int v) {
        return v < 10 ? "0" + v : Integer.toString(v);
    }
}
