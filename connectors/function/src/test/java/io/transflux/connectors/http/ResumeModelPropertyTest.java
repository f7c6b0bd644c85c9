package io.transflux.connectors.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.transflux.testing.LeakDetectionExtension;
import net.jqwik.api.AfterFailureMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import reactor.netty.resources.ConnectionProvider;

/**
 * docs/reliability.md §10 "resume model": wherever the connection breaks (up to the budget), the subscriber
 * gets the object's bytes exactly once, and every resume asks for exactly the bytes not yet delivered.
 */
class ResumeModelPropertyTest {

    private static final int SIZE = 150_000;
    private static final byte[] BODY = new byte[SIZE];
    private static final String ETAG = "\"model\"";

    static {
        new Random(77).nextBytes(BODY);
    }

    @Property(tries = 25, afterFailure = AfterFailureMode.SAMPLE_FIRST)
    void anyCutPointsDeliverTheObjectExactlyOnce(@ForAll @Size(max = 3) List<@IntRange(min = 1, max = 45_000) Integer> cuts) {
        FaultOrigin origin = FaultOrigin.start();
        ConnectionProvider provider = ConnectionProvider.builder("resume-model").maxConnections(2).build();
        try {
            for (int cut : cuts) {
                origin.then(FaultOrigin.cut(BODY, ETAG, cut, false));
            }
            origin.then(FaultOrigin.object(BODY, ETAG));
            HttpObjectSource source = HttpObjectSource.builder(origin.url("/model"))
                    .client(HttpSourceClient.using(provider))
                    .spec(HttpSourceSpec.builder().hostGuard(HostGuard.publicOnly().allowLoopback())
                            .resumeBackoff(Duration.ZERO, Duration.ZERO).chunkBytes(4096).build())
                    .build();

            byte[] read = OriginTestBase.readAll(source.open().block(OriginTestBase.WAIT));

            assertThat(read).isEqualTo(BODY);
            List<String> ranges = new ArrayList<>();
            origin.requests().forEach(r -> ranges.add(r.header(HttpHeaderNames.RANGE)));
            List<String> expected = new ArrayList<>();
            expected.add(null);
            long offset = 0;
            for (int cut : cuts) {
                offset += cut;
                expected.add("bytes=" + offset + "-");
            }
            assertThat(ranges).isEqualTo(expected);
        } finally {
            provider.disposeLater().block(OriginTestBase.WAIT);
            origin.close();
        }
    }

    @AfterContainer
    static void noLeaks() throws InterruptedException {
        // jqwik containers are not seen by the Jupiter leak extension: check explicitly.
        LeakDetectionExtension.assertNoLeaks(ResumeModelPropertyTest.class.getName());
    }
}
