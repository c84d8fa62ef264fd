package dk.ipsbridge.jobcenter;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.ipsbridge.config.IpsProperties.Jobcenter;
import dk.ipsbridge.config.OperationsProperties;
import dk.ipsbridge.failure.BadInputException;
import dk.ipsbridge.failure.RetryAfter;
import dk.ipsbridge.failure.UnavailableException;
import org.springframework.stereotype.Component;

/**
 * Reads from a jobcenter's API (the outcomes feed, a case for reconciliation): size-limited JSON, with the error
 * policy's exceptions: 429, 5xx and I/O errors are {@link UnavailableException}, an oversized body is bad input.
 */
@Component
public class JobcenterHttp {

    private final OperationsProperties ops;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build()).build());

    JobcenterHttp(OperationsProperties ops) {
        this.ops = ops;
        this.http = HttpClient.newBuilder().connectTimeout(ops.httpTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** A jobcenter's answer; {@code body} is null when it is empty or not JSON. */
    public record Answer(int status, JsonNode body) {
    }

    /** {@code GET [base-url]/[path]}; {@code what} names the request in errors (ids only). */
    public Answer get(Jobcenter jobcenter, String path, String what) {
        String base = jobcenter.baseUrl().toString();
        HttpRequest request = HttpRequest.newBuilder(URI.create((base.endsWith("/") ? base : base + "/") + path))
                .timeout(ops.httpTimeout()).header("Accept", "application/json").GET().build();
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            int status = response.statusCode();
            try (InputStream in = response.body()) {
                if (status == 429 || status >= 500) {
                    throw new UnavailableException(what + " answered " + status, status,
                            RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null)), null);
                }
                byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, ops.maxResponseBytes() + 1));
                if (body.length > ops.maxResponseBytes()) {
                    throw new BadInputException("response-too-large",
                            what + " is larger than " + ops.maxResponseBytes() + " bytes", null);
                }
                return new Answer(status, parse(body));
            }
        } catch (IOException e) {
            throw new UnavailableException(what + " failed: " + e.getClass().getSimpleName(), null, null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted", null, null, e);
        }
    }

    private JsonNode parse(byte[] body) {
        try {
            return body.length == 0 ? null : json.readTree(body);
        } catch (IOException e) { // JacksonException: not JSON
            return null;
        }
    }
}
