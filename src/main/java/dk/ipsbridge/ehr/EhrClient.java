package dk.ipsbridge.ehr;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.LenientErrorHandler;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.ipsbridge.config.IpsProperties.Source;
import dk.ipsbridge.config.OperationsProperties;
import dk.ipsbridge.failure.BadInputException;
import dk.ipsbridge.failure.RetryAfter;
import dk.ipsbridge.failure.UnavailableException;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.stereotype.Component;

/**
 * Reads FHIR R4 search pages from an EHR. Responses are size-limited and checked as JSON before HAPI parses them;
 * each entry is parsed on its own, so one broken resource does not hide the others. Parameters that identify a
 * person go in a POST body ({@link #postSearch}), never in a URL.
 */
@Component
public class EhrClient {

    private static final String FHIR_JSON = "application/fhir+json";
    private static final int ORIGINAL_KEPT = 64 * 1024;

    private final FhirContext fhir;
    private final OperationsProperties ops;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build()).build());

    EhrClient(FhirContext fhir, OperationsProperties ops) {
        this.fhir = fhir;
        this.ops = ops;
        this.http = HttpClient.newBuilder().connectTimeout(ops.httpTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** A search page: the resources that parsed, the entries that did not, and the next page's URL or null. */
    public record Page(List<Resource> resources, List<BadEntry> badEntries, String next) {
    }

    /** An entry that could not be read; {@code json} is kept for the operator, never logged. */
    public record BadEntry(String resourceType, String id, String problem, String json) {
    }

    /** GET search, for parameters that identify no person (_lastUpdated, _count, codes). */
    public Page search(Source source, String resourceType, Map<String, String> params) {
        URI uri = URI.create(base(source) + resourceType + "?" + form(params));
        return page(source, HttpRequest.newBuilder(uri).GET(), resourceType + " search");
    }

    /** POST search ({@code [base]/[type]/_search}), with the parameters in the body. */
    public Page postSearch(Source source, String resourceType, Map<String, String> params) {
        URI uri = URI.create(base(source) + resourceType + "/_search");
        return page(source, HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(params))), resourceType + " search");
    }

    /** The page a {@code Bundle.link} next points at; it must lie under the source's base URL. */
    public Page next(Source source, String nextUrl) {
        String base = base(source);
        String root = base.substring(0, base.length() - 1);
        if (!nextUrl.startsWith(base) && !nextUrl.startsWith(root + "?")) {
            throw new BadInputException("foreign-next-link", "a next link points outside the EHR's base URL", null);
        }
        return page(source, HttpRequest.newBuilder(URI.create(nextUrl)).GET(), "next page");
    }

    /** Reads one resource by type and logical id; null when the EHR does not have it. */
    public Resource read(Source source, String resourceType, String id) {
        URI uri = URI.create(base(source) + resourceType + "/" + URLEncoder.encode(id, StandardCharsets.UTF_8));
        String body = fetch(HttpRequest.newBuilder(uri).GET(), resourceType + " read", true);
        if (body == null) {
            return null;
        }
        JsonNode root = tree(body);
        if (!resourceType.equals(root.path("resourceType").asText())) {
            throw new BadInputException("unexpected-resource-type",
                    "expected " + resourceType + " but the EHR answered " + safe(root.path("resourceType").asText()),
                    truncate(body));
        }
        return (Resource) parser().parseResource(body);
    }

    /**
     * Conditional create ({@code If-None-Exist}): the EHR creates {@code resource} unless a resource matching the
     * criteria exists already, so writing the same thing twice leaves one.
     */
    public void createIfNoneExist(Source source, Resource resource, String ifNoneExist) {
        String type = resource.fhirType();
        fetch(HttpRequest.newBuilder(URI.create(base(source) + type)).header("Content-Type", FHIR_JSON)
                .header("If-None-Exist", ifNoneExist)
                .POST(HttpRequest.BodyPublishers.ofString(fhir.newJsonParser().encodeResourceToString(resource))),
                type + " create", false);
    }

    private Page page(Source source, HttpRequest.Builder request, String what) {
        String body = fetch(request, what, false);
        JsonNode root = tree(body);
        if (!"Bundle".equals(root.path("resourceType").asText())) {
            throw new BadInputException("unexpected-resource-type", what + " answered "
                    + safe(root.path("resourceType").asText("no resourceType")) + " instead of a Bundle",
                    truncate(body));
        }
        List<Resource> resources = new ArrayList<>();
        List<BadEntry> bad = new ArrayList<>();
        for (JsonNode entry : root.path("entry")) {
            JsonNode resource = entry.path("resource");
            if (resource.isMissingNode() || "OperationOutcome".equals(resource.path("resourceType").asText())) {
                continue;
            }
            try {
                resources.add((Resource) parser().parseResource(resource.toString()));
            } catch (RuntimeException e) {
                bad.add(new BadEntry(safe(resource.path("resourceType").asText("unknown")),
                        safe(resource.path("id").asText("")), "not valid FHIR R4: " + e.getClass().getSimpleName(),
                        truncate(resource.toString())));
            }
        }
        String next = null;
        for (JsonNode link : root.path("link")) {
            if ("next".equals(link.path("relation").asText())) {
                next = link.path("url").asText(null);
            }
        }
        return new Page(resources, bad, next);
    }

    /** The body of a 2xx answer; null for a 404 when {@code notFoundIsNull}. */
    private String fetch(HttpRequest.Builder request, String what, boolean notFoundIsNull) {
        HttpRequest req = request.timeout(ops.httpTimeout()).header("Accept", FHIR_JSON).build();
        try {
            HttpResponse<InputStream> response = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
            int status = response.statusCode();
            try (InputStream in = response.body()) {
                if (status == 404 && notFoundIsNull) {
                    return null;
                }
                if (status == 429 || status >= 500) {
                    throw new UnavailableException("EHR " + what + " answered " + status, status,
                            RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null)), null);
                }
                String body = readLimited(in, what);
                if (status < 200 || status > 299) {
                    throw new BadInputException("ehr-http-" + status, "EHR " + what + " answered " + status,
                            truncate(body));
                }
                return body;
            }
        } catch (IOException e) {
            throw new UnavailableException("EHR " + what + " failed: " + e.getClass().getSimpleName(), null, null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted", null, null, e);
        }
    }

    private String readLimited(InputStream in, String what) throws IOException {
        byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, ops.maxResponseBytes() + 1));
        if (bytes.length > ops.maxResponseBytes()) {
            throw new BadInputException("response-too-large",
                    "EHR " + what + " is larger than " + ops.maxResponseBytes() + " bytes", null);
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private JsonNode tree(String body) {
        try {
            JsonNode root = json.readTree(body);
            if (root == null || !root.isObject()) {
                throw new BadInputException("malformed-response", "EHR response is not a JSON object",
                        truncate(body));
            }
            return root;
        } catch (JacksonException e) {
            throw new BadInputException("malformed-response",
                    "EHR response is not FHIR JSON (" + e.getClass().getSimpleName() + ")", truncate(body));
        }
    }

    private IParser parser() {
        return fhir.newJsonParser().setParserErrorHandler(new LenientErrorHandler(false));
    }

    private static String base(Source source) {
        String base = source.fhirBaseUrl().toString();
        return base.endsWith("/") ? base : base + "/";
    }

    private static String form(Map<String, String> params) {
        return params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /** Resource types and ids as an EHR wrote them, cut down to what is safe to show: [A-Za-z0-9.-], 64 chars. */
    static String safe(String text) {
        String cleaned = text.replaceAll("[^A-Za-z0-9.\\-]", "?");
        return cleaned.length() > 64 ? cleaned.substring(0, 64) : cleaned;
    }

    private static String truncate(String text) {
        return text.length() > ORIGINAL_KEPT ? text.substring(0, ORIGINAL_KEPT) : text;
    }
}
