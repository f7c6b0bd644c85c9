package io.transflux.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * {@code decompress/zip} over a presigned-style URL: the stage finds the entry through the central directory
 * with ranged GETs (If-Match on the first reply's ETag) instead of streaming the whole archive.
 */
class ZipOverHttpTest {

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d+)");

    @TempDir
    Path dir;

    @Test
    void readsTheNamedEntryThroughRangedRequests() throws Exception {
        byte[] first = new byte[2 << 20];
        new Random(3).nextBytes(first);
        byte[] second = "the second entry\n".repeat(1000).getBytes(StandardCharsets.UTF_8);
        byte[] zip = zip(first, second);
        List<String> requests = new CopyOnWriteArrayList<>();
        DisposableServer server = HttpServer.create().host("127.0.0.1").port(0)
                .handle((req, res) -> {
                    String range = req.requestHeaders().get("Range");
                    requests.add(range == null ? "full" : range + " if-match=" + req.requestHeaders().get("If-Match"));
                    res.header("ETag", "\"z1\"");
                    if (range == null) {
                        return res.header("Content-Length", Integer.toString(zip.length)).sendByteArray(Mono.just(zip));
                    }
                    Matcher m = RANGE.matcher(range);
                    if (!m.matches()) {
                        return res.status(416).send();
                    }
                    int a = Integer.parseInt(m.group(1));
                    int b = Math.min(Integer.parseInt(m.group(2)), zip.length - 1);
                    return res.status(206)
                            .header("Content-Range", "bytes " + a + "-" + b + "/" + zip.length)
                            .header("Content-Length", Integer.toString(b - a + 1))
                            .sendByteArray(Mono.just(Arrays.copyOfRange(zip, a, b + 1)));
                })
                .bindNow(Duration.ofSeconds(10));
        try {
            String entry = Base64.getUrlEncoder().withoutPadding()
                    .encodeToString("logs/second.txt".getBytes(StandardCharsets.UTF_8));
            Path out = dir.resolve("second.txt");
            List<String> cmd = ChildJvm.command("run", "--pipeline", "decompress/zip,entry_" + entry,
                    "--in", "http://127.0.0.1:" + server.port() + "/bkt/archive.zip?X-Amz-Signature=s",
                    "--out", out.toString(), "--allow-private-hosts");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

            assertThat(p.exitValue()).as(log).isZero();
            assertThat(Files.readAllBytes(out)).isEqualTo(second);
            assertThat(requests.get(0)).isEqualTo("full");
            assertThat(requests.subList(1, requests.size()))
                    .isNotEmpty()
                    .allSatisfy(r -> assertThat(r).matches("bytes=\\d+-\\d+ if-match=\"z1\""));
        } finally {
            server.disposeNow();
        }
    }

    private static byte[] zip(byte[] first, byte[] second) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            z.putNextEntry(new ZipEntry("logs/first.bin"));
            z.write(first);
            z.closeEntry();
            z.putNextEntry(new ZipEntry("logs/second.txt"));
            z.write(second);
            z.closeEntry();
        }
        return bytes.toByteArray();
    }
}
