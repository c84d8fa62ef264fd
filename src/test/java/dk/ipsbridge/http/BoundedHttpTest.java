package dk.ipsbridge.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPOutputStream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dk.ipsbridge.config.IpsProperties.Jobcenter;
import dk.ipsbridge.failure.BadInputException;
import dk.ipsbridge.failure.UnavailableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The one HTTP client's limits, against a real local HTTP server. */
class BoundedHttpTest {

    private static final int LIMIT = 4096;

    static {
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server = server();
    private final List<HttpExchange> received = new CopyOnWriteArrayList<>();
    private final BoundedHttp http = Http.client(Map.of("http-timeout", "1s", "max-response-bytes",
            String.valueOf(LIMIT)));

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void shouldReadABodyOfExactlyTheLimit() {
        answer(exchange -> send(exchange, 200, new byte[LIMIT]));

        BoundedHttp.Response response = http.send(jobcenter(), get(), "test read");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).hasSize(LIMIT);
    }

    @Test
    void shouldRefuseABodyOneByteOverTheLimitAsBadInput() {
        answer(exchange -> send(exchange, 200, new byte[LIMIT + 1]));

        assertThatThrownBy(() -> http.send(jobcenter(), get(), "test read")).isInstanceOf(BadInputException.class)
                .hasMessage("test read is larger than 4096 bytes")
                .satisfies(e -> assertThat(((BadInputException) e).reason()).isEqualTo("response-too-large"));
    }

    @Test
    void shouldRefuseAnEndlessChunkedBodyWithoutReadingItAll() {
        answer(exchange -> {
            exchange.sendResponseHeaders(200, 0); // chunked
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 100_000; i++) {
                    out.write(new byte[1024]);
                }
            } catch (IOException e) {
                // the client hung up, as it should
            }
        });

        assertThatThrownBy(() -> http.send(jobcenter(), get(), "test read")).isInstanceOf(BadInputException.class)
                .satisfies(e -> assertThat(((BadInputException) e).reason()).isEqualTo("response-too-large"));
    }

    @Test
    void shouldTimeOutABodyThatDripsSlowerThanTheTimeoutAllows() {
        answer(exchange -> {
            exchange.sendResponseHeaders(200, 100);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 100; i++) { // one byte every 100 ms: 10 s for the body, the timeout is 1 s
                    out.write('x');
                    out.flush();
                    pause(100);
                }
            } catch (IOException e) {
                // the client hung up, as it should
            }
        });
        long start = System.nanoTime();

        assertThatThrownBy(() -> http.send(jobcenter(), get(), "test read")).isInstanceOf(UnavailableException.class)
                .hasMessage("test read failed: timed out after 1000 ms")
                .satisfies(e -> assertThat(((UnavailableException) e).status()).isNull());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void shouldTimeOutAServerThatSendsNoHeaders() {
        answer(exchange -> {
            pause(3000);
            send(exchange, 200, new byte[0]);
        });
        long start = System.nanoTime();

        assertThatThrownBy(() -> http.send(jobcenter(), get(), "test read")).isInstanceOf(UnavailableException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
    }

    @Test
    void shouldRefuseACompressedAnswerUnreadAndAskForNone() throws IOException {
        // a gzip bomb: 100 MB of zeros in about 100 KB
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
            byte[] zeros = new byte[1024 * 1024];
            for (int i = 0; i < 100; i++) {
                gzip.write(zeros);
            }
        }
        answer(exchange -> {
            exchange.getResponseHeaders().set("Content-Encoding", "gzip");
            send(exchange, 200, compressed.toByteArray());
        });

        assertThatThrownBy(() -> http.send(jobcenter(), get(), "test read")).isInstanceOf(BadInputException.class)
                .satisfies(e -> assertThat(((BadInputException) e).reason()).isEqualTo("compressed-response"));
        assertThat(received.get(0).getRequestHeaders().getFirst("Accept-Encoding")).isEqualTo("identity");
    }

    @Test
    void shouldReadAnAnswerWhoseEncodingIsIdentity() {
        answer(exchange -> {
            exchange.getResponseHeaders().set("Content-Encoding", "identity");
            send(exchange, 200, "{}".getBytes());
        });

        assertThat(http.send(jobcenter(), get(), "test read").text()).isEqualTo("{}");
    }

    @Test
    void shouldNotReadTheBodyOfABusyAnswerAndGiveItsRetryAfter() {
        answer(exchange -> {
            exchange.getResponseHeaders().set("Retry-After", "120");
            send(exchange, 503, new byte[LIMIT * 10]); // over the limit, but never read
        });

        BoundedHttp.Response response = http.send(jobcenter(), get(), "test read");

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.body()).isEmpty();
        Answer answer = response.answer(Answer.Call.READ);
        assertThat(answer.meaning()).isEqualTo(Answer.Meaning.RETRY_AFTER);
        assertThat(answer.retryAfter()).isEqualTo(Duration.ofSeconds(120));
        assertThatThrownBy(() -> http.getJson(jobcenter(), "outcomes", "outcomes of jc-a"))
                .isInstanceOf(UnavailableException.class).hasMessage("outcomes of jc-a answered 503")
                .satisfies(e -> {
                    assertThat(((UnavailableException) e).status()).isEqualTo(503);
                    assertThat(((UnavailableException) e).retryAfter()).isEqualTo(Duration.ofSeconds(120));
                });
    }

    @Test
    void shouldNotFollowARedirect() {
        answer(exchange -> {
            exchange.getResponseHeaders().set("Location", "http://localhost:9/elsewhere");
            send(exchange, 302, new byte[0]);
        });

        BoundedHttp.Response response = http.send(jobcenter(), get(), "test read");

        assertThat(response.status()).isEqualTo(302);
        assertThat(response.answer(Answer.Call.READ).meaning()).isEqualTo(Answer.Meaning.BAD_INPUT);
        assertThat(received).hasSize(1);
    }

    @Test
    void shouldCallAnUnreachableServerUnavailable() {
        server.stop(0);

        assertThatThrownBy(() -> http.send(jobcenter(), get(), "test read")).isInstanceOf(UnavailableException.class)
                .hasMessageStartingWith("test read failed: ");
    }

    @Test
    void shouldReadAJobcentersJsonOrNullWhenItIsNotJson() {
        answer(exchange -> send(exchange, 200, "{\"items\":[]}".getBytes()));
        assertThat(http.getJson(jobcenter(), "outcomes", "outcomes").body().has("items")).isTrue();
        assertThat(received.get(0).getRequestURI().getPath()).isEqualTo("/api/outcomes");
        assertThat(received.get(0).getRequestHeaders().getFirst("Accept")).isEqualTo("application/json");

        answer(exchange -> send(exchange, 404, "<html>".getBytes()));
        BoundedHttp.JsonAnswer notJson = http.getJson(jobcenter(), "cases/c1", "case c1");
        assertThat(notJson.status()).isEqualTo(404);
        assertThat(notJson.body()).isNull();

        answer(exchange -> send(exchange, 200, "{\"a\":1,\"a\":2}".getBytes()));
        assertThat(http.getJson(jobcenter(), "cases/c1", "case c1").body()).isNull();
    }

    private void answer(HttpHandler handler) {
        server.removeContext("/");
        server.createContext("/", exchange -> {
            received.add(exchange);
            exchange.getRequestBody().readAllBytes();
            handler.handle(exchange);
        });
    }

    private HttpRequest.Builder get() {
        return HttpRequest.newBuilder(url("/fhir/Patient")).GET();
    }

    private Jobcenter jobcenter() {
        return new Jobcenter("jc-a", "Jobcenter A", url("/api"), List.of("http://cvr.dk|1"));
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        try (OutputStream out = exchange.getResponseBody()) {
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            out.write(body);
        } catch (IOException e) {
            // the client hung up (a refused body): nothing to do
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis); // the server side of a slow answer, not a wait in the test
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static HttpServer server() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> send(exchange, 404, new byte[0]));
            server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
            server.start();
            return server;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
