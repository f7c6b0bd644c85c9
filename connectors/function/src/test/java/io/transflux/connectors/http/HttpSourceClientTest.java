package io.transflux.connectors.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import io.transflux.pipeline.SourceException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

class HttpSourceClientTest {

    private final FaultOrigin origin = FaultOrigin.start();
    private final HttpSourceSpec spec = HttpSourceSpec.builder().hostGuard(HostGuard.publicOnly().allowLoopback()).build();

    @AfterEach
    void stop() {
        origin.close();
    }

    @Test
    void ownsAndDisposesItsDedicatedPool() {
        origin.otherwise(FaultOrigin.object(new byte[] {4, 2}, "\"e\""));
        HttpSourceClient client = HttpSourceClient.builder().name("dedicated").maxConnections(2)
                .pendingAcquireTimeout(Duration.ofSeconds(1)).maxIdleTime(Duration.ofSeconds(5))
                .maxLifeTime(Duration.ofSeconds(20)).evictionInterval(Duration.ofSeconds(1)).build();
        HttpObjectSource source = HttpObjectSource.builder(origin.url("/o")).client(client).spec(spec).build();

        assertThat(OriginTestBase.readAll(source.open().block(OriginTestBase.WAIT))).containsExactly(4, 2);
        client.disposeLater().block(OriginTestBase.WAIT);

        assertThat(client.isDisposed()).isTrue();
        assertThat(client).hasToString("HttpSourceClient{dedicated, disposed}");
        assertThatThrownBy(() -> source.open().block(OriginTestBase.WAIT)).isInstanceOf(SourceException.class)
                .hasMessageContaining("is disposed");
    }

    @Test
    void leavesAnAdoptedPoolAlone() {
        origin.otherwise(FaultOrigin.object(new byte[] {9}, "\"e\""));
        ConnectionProvider provider = ConnectionProvider.create("adopted", 2);
        try {
            HttpSourceClient wrapped = HttpSourceClient.wrap(HttpClient.create(provider));
            HttpSourceClient using = HttpSourceClient.using(provider);
            read(using);

            wrapped.dispose();
            using.dispose();

            assertThat(wrapped.isDisposed()).isTrue();
            assertThat(using).hasToString("HttpSourceClient{adopted, disposed}");
            // The caller's pool still serves: only our view of it was disposed.
            assertThat(read(HttpSourceClient.using(provider))).containsExactly(9);
            assertThatThrownBy(() -> read(using)).isInstanceOf(SourceException.class).hasMessageContaining("disposed");
        } finally {
            provider.disposeLater().block(OriginTestBase.WAIT);
        }
    }

    private byte[] read(HttpSourceClient client) {
        return OriginTestBase.readAll(HttpObjectSource.builder(origin.url("/o")).client(client).spec(spec).build()
                .open().block(OriginTestBase.WAIT));
    }

    @Test
    void renewingThePoolClosesItsConnectionsAndLaterSourcesConnectAfresh() throws Exception {
        origin.otherwise(FaultOrigin.object(new byte[] {7}, "\"e\""));
        // One connection: the second read waits for the first one's release instead of racing it and opening
        // another, so the counts below depend only on keep-alive and on the renewal.
        HttpSourceClient client = HttpSourceClient.builder().name("renewed").maxConnections(1).build();
        try {
            assertThat(read(client)).containsExactly(7);
            assertThat(read(client)).containsExactly(7);
            assertThat(origin.connectionsOpened()).as("kept alive and reused").isEqualTo(1);
            assertThat(origin.connectionsClosed()).isZero();

            client.renewPool().block(OriginTestBase.WAIT);

            awaitClosed(1);
            assertThat(client.isDisposed()).isFalse();
            assertThat(client).hasToString("HttpSourceClient{renewed}");
            assertThat(read(client)).containsExactly(7);
            assertThat(origin.connectionsOpened()).as("a new connection from the fresh pool").isEqualTo(2);
        } finally {
            client.disposeLater().block(OriginTestBase.WAIT);
        }
    }

    @Test
    void renewingLeavesAnAdoptedPoolAlone() {
        origin.otherwise(FaultOrigin.object(new byte[] {5}, "\"e\""));
        // One connection: the second read waits for the first one's release instead of racing it and opening
        // another, so a second connection can only mean the renewal touched the caller's pool.
        ConnectionProvider provider = ConnectionProvider.create("adopted-renew", 1);
        try {
            HttpSourceClient using = HttpSourceClient.using(provider);
            assertThat(read(using)).containsExactly(5);

            using.renewPool().block(OriginTestBase.WAIT);

            assertThat(read(using)).containsExactly(5);
            assertThat(origin.connectionsOpened()).as("the caller's pooled connection is reused").isEqualTo(1);
        } finally {
            provider.disposeLater().block(OriginTestBase.WAIT);
        }
    }

    private void awaitClosed(int expected) throws InterruptedException {
        long deadline = System.nanoTime() + OriginTestBase.WAIT.toNanos();
        while (origin.connectionsClosed() < expected && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(origin.connectionsClosed()).isEqualTo(expected);
    }

    @Test
    void refusesToBuildASourceWithoutAClient() {
        assertThatThrownBy(() -> HttpObjectSource.builder("https://h.example/o").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("client: not set");
    }
}
