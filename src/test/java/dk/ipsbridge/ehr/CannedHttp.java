package dk.ipsbridge.ehr;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import ca.uhn.fhir.context.FhirContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dk.ipsbridge.config.IpsProperties.Source;
import dk.ipsbridge.http.Http;

/**
 * A local HTTP server that answers every request with the answer set last and counts the requests: an EHR that says
 * whatever a test wants, or a server that must never be asked (an external DTD).
 */
final class CannedHttp implements AutoCloseable {

    /** The default response size limit, {@code ips.operations.max-response-bytes}. */
    static final long TEN_MB = 10L * 1024 * 1024;

    static {
        // headers and body go out as separate writes: without this, Nagle and delayed ACKs cost 40 ms an answer
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private record Answer(int status, String contentType, byte[] body) {
    }

    private final HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private volatile Answer answer = new Answer(404, null, new byte[0]);

    CannedHttp() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    /** Every request from now on is answered so; {@code contentType} null sends none. */
    void answer(int status, String contentType, byte[] body) {
        answer = new Answer(status, contentType, body);
    }

    URI url(String path) {
        return URI.create("http://localhost:" + server.getAddress().getPort() + path);
    }

    /** This server as the FHIR base of an EHR source. */
    Source source() {
        return new Source("ehr", url("/fhir"), Duration.ofSeconds(30), 100);
    }

    int requests() {
        return requests.get();
    }

    /** An EHR client with the default settings, but for the response size limit. */
    static EhrClient client(long maxResponseBytes) {
        return new EhrClient(FhirContext.forR4Cached(),
                Http.client(Map.of("max-response-bytes", String.valueOf(maxResponseBytes))));
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        try (InputStream in = exchange.getRequestBody(); OutputStream out = exchange.getResponseBody()) {
            in.readAllBytes();
            Answer a = answer;
            if (a.contentType() != null) {
                exchange.getResponseHeaders().set("Content-Type", a.contentType());
            }
            boolean bodiless = a.status() == 204 || a.status() == 304 || a.body().length == 0;
            exchange.sendResponseHeaders(a.status(), bodiless ? -1 : a.body().length);
            if (!bodiless) {
                out.write(a.body());
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
