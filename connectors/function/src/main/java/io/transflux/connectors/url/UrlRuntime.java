package io.transflux.connectors.url;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import io.transflux.connectors.ErrorMapping;
import io.transflux.connectors.ErrorReply;
import org.jspecify.annotations.Nullable;

/**
 * The custom runtime of the function-URL handler, for {@code provided.al2023} (the Java managed runtime cannot
 * stream: docs/protocols.md §11.4). The {@code bootstrap} script runs {@code java -cp transflux-function.jar
 * io.transflux.connectors.url.UrlRuntime}; it builds the {@link ObjectUrlFunction} from the environment once, then
 * loops: take the next event from the Runtime API, answer it with a streamed response. One invocation at a time,
 * as Lambda runs one per execution environment.
 */
public final class UrlRuntime {

    private UrlRuntime() {
    }

    public static void main(String[] args) {
        String api = System.getenv("AWS_LAMBDA_RUNTIME_API");
        if (api == null || api.isEmpty()) {
            System.err.println("transflux: AWS_LAMBDA_RUNTIME_API is not set; run under Lambda or `transflux serve`");
            System.exit(2);
        }
        RuntimeApiClient client = new RuntimeApiClient(api);
        ObjectUrlFunction fn;
        try {
            fn = ObjectUrlFunction.fromEnvironment(System.getenv());
        } catch (RuntimeException e) {
            // Configuration messages name the variable, never a secret.
            client.initError("Runtime.InvalidConfiguration", String.valueOf(e.getMessage()));
            System.err.println("transflux: init failed: " + e.getMessage());
            System.exit(1);
            return;
        }
        System.err.println("transflux: function URL runtime ready: " + fn);
        run(client, fn);
    }

    static void run(RuntimeApiClient client, ObjectUrlFunction fn) {
        while (true) {
            RuntimeApiClient.Invocation inv = client.next();
            long left = inv.deadlineEpochMs() - System.currentTimeMillis();
            HttpReply reply;
            try {
                reply = fn.handle(inv.event()).block(Duration.ofMillis(Math.max(1, left)));
            } catch (RuntimeException e) {
                ErrorReply r = ErrorMapping.map(e);
                client.error(inv.id(), "Function." + (r.code() == null ? "InternalError" : r.code()),
                        r.message() == null ? "" : r.message());
                System.err.println("transflux: " + inv.id() + " failed before its response: " + r.code());
                continue;
            }
            if (reply == null) {
                client.error(inv.id(), "Function.NoResponse", "The function produced no response.");
                continue;
            }
            AtomicReference<@Nullable Throwable> bodyError = new AtomicReference<>();
            try {
                Integer st = client.stream(inv.id(), reply, bodyError).block();
                Throwable be = bodyError.get();
                System.err.println("transflux: " + inv.id() + " " + reply.status()
                        + (be == null ? "" : " body failed: " + ErrorMapping.map(be).code())
                        + " (Runtime API " + st + ")");
            } catch (RuntimeException e) {
                System.err.println("transflux: " + inv.id() + " response stream broke: " + e.getClass().getSimpleName());
            }
        }
    }
}
