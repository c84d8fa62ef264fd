package dk.ipsbridge.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.ipsbridge.config.IpsProperties.Jobcenter;
import dk.ipsbridge.failure.BadInputException;
import dk.ipsbridge.failure.UnavailableException;
import org.springframework.stereotype.Component;

/**
 * The one HTTP client towards the EHRs and the jobcenters, configured once ({@link HttpSettings}): this is where TLS
 * and tokens go. Every call is bounded:
 * <ul>
 * <li>in time: {@code ips.operations.http-timeout} covers the whole call, connecting, the headers and the whole
 * body, so a server that drips its body slowly times out like one that never answers;</li>
 * <li>in size: at most {@code ips.operations.max-response-bytes} of body are read; one byte more is bad input
 * ({@code response-too-large});</li>
 * <li>against decompression bombs: no compressed answer is asked for ({@code Accept-Encoding: identity}) and one
 * that comes anyway ({@code Content-Encoding} other than identity) is refused unread as bad input
 * ({@code compressed-response}). Nothing is ever decompressed, so the size limit is the size of what is parsed;</li>
 * <li>redirects are never followed.</li>
 * </ul>
 * The body of a status that means retry later (429, 5xx) is not read. I/O errors and timeouts are
 * {@link UnavailableException}. What a status means is {@link Answer}'s business, not the client's.
 */
@Component
public class BoundedHttp {

    private final HttpSettings settings;
    private final HttpClient http;
    private final ObjectMapper json = ExternalJson.mapper();

    public BoundedHttp(HttpSettings settings) {
        this.settings = settings;
        this.http = HttpClient.newBuilder().connectTimeout(settings.httpTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** An answer: its status, headers and body (empty when not read). */
    public record Response(int status, HttpHeaders headers, byte[] body) {

        public Optional<String> header(String name) {
            return headers.firstValue(name);
        }

        /** The body as UTF-8 text. */
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** What the answer means, by the status table. */
        public Answer answer(Answer.Call call) {
            return Answer.of(call, status, header("Retry-After").orElse(null), text());
        }
    }

    /** A JSON answer: its status, and its body as a tree, null when empty or not JSON. */
    public record JsonAnswer(int status, JsonNode body) {
    }

    public HttpSettings settings() {
        return settings;
    }

    /**
     * {@code GET [base-url]/[path]} of a jobcenter's API (the outcomes feed, a case for reconciliation).
     *
     * @throws UnavailableException when the answer means retry later (429, 5xx), or on an I/O error or timeout
     * @throws BadInputException    as {@link #send}
     */
    public JsonAnswer getJson(Jobcenter jobcenter, String path, String what) {
        Response response = send(HttpRequest.newBuilder(URI.create(jobcenter.url(path)))
                .header("Accept", "application/json").GET(), what);
        Answer answer = response.answer(Answer.Call.READ);
        if (answer.meaning() == Answer.Meaning.RETRY_AFTER) {
            throw new UnavailableException(what + " answered " + response.status(), response.status(),
                    answer.retryAfter(), null);
        }
        return new JsonAnswer(response.status(), json(response.body()));
    }

    /**
     * Sends a request and reads the answer within the limits.
     *
     * @param what names the request in exception messages: ids only, never a payload or a person
     * @throws UnavailableException on an I/O error or when the timeout passes (status null)
     * @throws BadInputException    {@code response-too-large} or {@code compressed-response}
     */
    public Response send(HttpRequest.Builder request, String what) {
        HttpRequest req = request.timeout(settings.httpTimeout()).header("Accept-Encoding", "identity").build();
        long limit = settings.maxResponseBytes();
        AtomicReference<HttpResponse.ResponseInfo> answered = new AtomicReference<>();
        AtomicReference<BoundedBody> reading = new AtomicReference<>();
        CompletableFuture<HttpResponse<byte[]>> call = http.sendAsync(req, info -> {
            BoundedBody body = Answer.retries(info.statusCode()) ? BoundedBody.skipped(false)
                    : compressed(info.headers()) ? BoundedBody.skipped(true) : BoundedBody.upTo(limit);
            answered.set(info);
            reading.set(body);
            return body;
        });
        try {
            HttpResponse<byte[]> response = call.get(settings.httpTimeout().toNanos(), TimeUnit.NANOSECONDS);
            return new Response(response.statusCode(), response.headers(), response.body());
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new UnavailableException(what + " failed: timed out after " + settings.httpTimeout().toMillis()
                    + " ms", null, null, e);
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted", null, null, e);
        } catch (ExecutionException e) {
            // A body refused or skipped on purpose cancels the exchange; over HTTP/2 the cancel may fail the call
            // before the body's own outcome reaches it. That outcome, when there is one, is the answer.
            CompletableFuture<byte[]> body = reading.get() == null ? null
                    : reading.get().getBody().toCompletableFuture();
            if (body != null && body.isDone()) {
                try {
                    return new Response(answered.get().statusCode(), answered.get().headers(), body.join());
                } catch (CompletionException refused) {
                    throw failure(refused.getCause(), what, limit);
                }
            }
            throw failure(e.getCause(), what, limit);
        }
    }

    private static RuntimeException failure(Throwable cause, String what, long limit) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof BoundedBody.TooLarge) {
                return new BadInputException("response-too-large", what + " is larger than " + limit + " bytes", null);
            }
            if (t instanceof BoundedBody.Unread unread && unread.compressed) {
                return new BadInputException("compressed-response", what + " came compressed (Content-Encoding), "
                        + "which was not asked for; it was not read", null);
            }
        }
        return new UnavailableException(what + " failed: " + (cause == null ? "unknown" : cause.getClass()
                .getSimpleName()), null, null, cause);
    }

    private JsonNode json(byte[] body) {
        try {
            return body.length == 0 ? null : json.readTree(body);
        } catch (IOException e) { // JacksonException: not JSON
            return null;
        }
    }

    private static boolean compressed(HttpHeaders headers) {
        return headers.allValues("Content-Encoding").stream()
                .flatMap(value -> java.util.Arrays.stream(value.split(",")))
                .map(coding -> coding.trim().toLowerCase(Locale.ROOT))
                .anyMatch(coding -> !coding.isEmpty() && !"identity".equals(coding));
    }
}
