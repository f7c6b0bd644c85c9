package io.transflux.connectors.http;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.transflux.pipeline.ObjectStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.publisher.Flux;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;

/**
 * Reading a 16 MiB object over loopback: {@link HttpObjectSource} (copy into owned heap chunks, idle
 * watchdog, deadline, resume bookkeeping) against the baseline of plain Reactor Netty
 * {@code responseContent()} with the same single copy per inbound buffer and the same decoder piece
 * size. {@code chunkBytes} sets that piece size for both (Reactor Netty's default is 8 KiB).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HttpObjectSourceBenchmark {

    private static final int SIZE = 16 * 1024 * 1024;
    private static final int PIECE = 64 * 1024;

    @Param({"8192", "65536"})
    int chunkBytes;

    private DisposableServer server;
    private ConnectionProvider provider;
    private HttpSourceClient sourceClient;
    private HttpObjectSource source;
    private HttpClient baseline;
    private String url;

    @Setup(Level.Trial)
    @SuppressWarnings("deprecation") // maxChunkSize: the same decoder setting HttpObjectSource applies
    public void start() {
        byte[] body = new byte[SIZE];
        new Random(1).nextBytes(body);
        server = HttpServer.create().host("127.0.0.1").port(0)
                .handle((req, res) -> res.header("Content-Length", Integer.toString(SIZE)).header("ETag", "\"bench\"")
                        .send(Flux.range(0, SIZE / PIECE).map(i -> Unpooled.wrappedBuffer(body, i * PIECE, PIECE))))
                .bindNow(Duration.ofSeconds(10));
        url = "http://127.0.0.1:" + server.port() + "/bench/object?X-Amz-Signature=abc";
        provider = ConnectionProvider.builder("bench").maxConnections(2).build();
        sourceClient = HttpSourceClient.using(provider);
        source = HttpObjectSource.builder(url).client(sourceClient)
                .spec(HttpSourceSpec.builder().hostGuard(HostGuard.publicOnly().allowLoopback()).chunkBytes(chunkBytes).build())
                .build();
        baseline = HttpClient.create(provider).httpResponseDecoder(d -> d.maxChunkSize(chunkBytes));
    }

    @TearDown(Level.Trial)
    public void stop() {
        provider.disposeLater().block(Duration.ofSeconds(10));
        server.disposeNow(Duration.ofSeconds(10));
    }

    @Benchmark
    public long httpObjectSource() {
        return source.open().flatMapMany(ObjectStream::content)
                .map(ByteBuffer::remaining)
                .reduce(0L, Long::sum)
                .block(Duration.ofSeconds(30));
    }

    @Benchmark
    public long reactorNettyCopyBaseline() {
        return baseline.get().uri(url).responseContent()
                .map(HttpObjectSourceBenchmark::copy)
                .map(ByteBuffer::remaining)
                .reduce(0L, Long::sum)
                .block(Duration.ofSeconds(30));
    }

    private static ByteBuffer copy(ByteBuf buf) {
        byte[] owned = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), owned);
        return ByteBuffer.wrap(owned);
    }
}
