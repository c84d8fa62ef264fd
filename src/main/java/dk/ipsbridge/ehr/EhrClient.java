package dk.ipsbridge.ehr;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.LenientErrorHandler;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.ipsbridge.config.IpsProperties.Source;
import dk.ipsbridge.failure.BadInputException;
import dk.ipsbridge.failure.UnavailableException;
import dk.ipsbridge.http.Answer;
import dk.ipsbridge.http.BoundedHttp;
import dk.ipsbridge.http.ExternalJson;
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
    private static final String BOM = "\uFEFF";
    private static final Pattern FHIR_ID = Pattern.compile("[A-Za-z0-9.-]{1,64}");
    private static final Pattern CPR_LIKE = Pattern.compile("(?<!\\d)\\d{6}-?\\d{4}(?!\\d)");

    private final FhirContext fhir;
    private final BoundedHttp http;
    private final ObjectMapper json = ExternalJson.mapper();

    EhrClient(FhirContext fhir, BoundedHttp http) {
        this.fhir = fhir;
        this.http = http;
    }

    /**
     * A search page: the resources that parsed, the entries that did not, and the next page's URL or null.
     *
     * @param searchedAt {@code Bundle.meta.lastUpdated} as the EHR wrote it: on HAPI (and the test kit's mock) the
     *                   instant the search was made, on every page of it; null when the EHR does not say
     */
    public record Page(List<Resource> resources, List<BadEntry> badEntries, String next, String searchedAt) {
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
        String what = resourceType + " read";
        String body = fetch(source, HttpRequest.newBuilder(uri).GET(), Answer.Call.READ, what, true);
        return body == null ? null : parseResource(body, resourceType, what);
    }

    /**
     * Conditional create ({@code If-None-Exist}): the EHR creates {@code resource} unless a resource matching the
     * criteria exists already, so writing the same thing twice leaves one.
     */
    public void createIfNoneExist(Source source, Resource resource, String ifNoneExist) {
        String type = resource.fhirType();
        fetch(source, HttpRequest.newBuilder(URI.create(base(source) + type)).header("Content-Type", FHIR_JSON)
                .header("If-None-Exist", ifNoneExist)
                .POST(HttpRequest.BodyPublishers.ofString(fhir.newJsonParser().encodeResourceToString(resource))),
                Answer.Call.WRITE, type + " create", false);
    }

    /**
     * Update ({@code PUT [base]/[type]/[id]}) of a resource read before; with {@code If-Match} on the version read, so
     * that a change someone made meanwhile is refused (412) rather than overwritten.
     */
    public void update(Source source, Resource resource) {
        String type = resource.fhirType();
        String id = resource.getIdElement().getIdPart();
        if (id == null || !FHIR_ID.matcher(id).matches()) {
            throw new BadInputException("unexpected-resource", "EHR " + type + " to update has no usable id", null);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base(source) + type + "/" + id))
                .header("Content-Type", FHIR_JSON)
                .PUT(HttpRequest.BodyPublishers.ofString(fhir.newJsonParser().encodeResourceToString(resource)));
        String version = resource.getMeta().getVersionId();
        if (version != null && FHIR_ID.matcher(version).matches()) {
            request.header("If-Match", "W/\"" + version + "\"");
        }
        fetch(source, request, Answer.Call.WRITE, type + " update", false);
    }

    private Page page(Source source, HttpRequest.Builder request, String what) {
        return parsePage(fetch(source, request, Answer.Call.READ, what, false), what);
    }

    /**
     * A search page from the body of a 2xx answer: the entries that parse as FHIR R4, the ones that do not, the next
     * link. Throws nothing but {@link BadInputException}, with one of the reasons {@code xml-not-accepted},
     * {@code malformed-response}, {@code json-limit-exceeded} or {@code unexpected-resource-type}.
     */
    Page parsePage(String body, String what) {
        JsonNode root = tree(body, what);
        if (!"Bundle".equals(root.path("resourceType").asText())) {
            throw new BadInputException("unexpected-resource-type", "EHR " + what + " answered "
                    + safe(root.path("resourceType").asText("no resourceType")) + " instead of a Bundle",
                    truncate(body));
        }
        JsonNode entries = root.path("entry");
        JsonNode links = root.path("link");
        if (!listOrAbsent(entries) || !listOrAbsent(links)) {
            throw new BadInputException("malformed-response", "EHR " + what + " answered a Bundle whose entry or link "
                    + "is not a list", truncate(body));
        }
        List<Resource> resources = new ArrayList<>();
        List<BadEntry> bad = new ArrayList<>();
        for (JsonNode entry : entries) {
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
        for (JsonNode link : links) {
            if ("next".equals(link.path("relation").asText())) {
                if (!link.path("url").isTextual()) {
                    throw new BadInputException("malformed-response", "EHR " + what + " answered a next link "
                            + "without a URL", truncate(body));
                }
                next = link.path("url").asText();
            }
        }
        JsonNode searchedAt = root.path("meta").path("lastUpdated");
        return new Page(resources, bad, next, searchedAt.isTextual() ? searchedAt.asText() : null);
    }

    /**
     * The resource in the body of a 2xx answer to a read of {@code resourceType}. Throws nothing but
     * {@link BadInputException}: the reasons of {@link #parsePage}, or {@code unreadable-resource}.
     */
    Resource parseResource(String body, String resourceType, String what) {
        JsonNode root = tree(body, what);
        if (!resourceType.equals(root.path("resourceType").asText())) {
            throw new BadInputException("unexpected-resource-type", "EHR " + what + " answered "
                    + safe(root.path("resourceType").asText("no resourceType")) + " instead of a " + resourceType,
                    truncate(body));
        }
        try {
            return (Resource) parser().parseResource(root.toString());
        } catch (RuntimeException e) {
            // HAPI's message quotes the input: only its type is kept
            throw new BadInputException("unreadable-resource", "EHR " + what + " is not valid FHIR R4: "
                    + e.getClass().getSimpleName(), truncate(body));
        }
    }

    /** The body of a 2xx answer; null for a 404 when {@code notFoundIsNull}. */
    private String fetch(Source source, HttpRequest.Builder request, Answer.Call call, String what,
            boolean notFoundIsNull) {
        BoundedHttp.Response response = http.send(source, request.header("Accept", FHIR_JSON), "EHR " + what);
        int status = response.status();
        if (status == 404 && notFoundIsNull) {
            return null;
        }
        Answer answer = response.answer(call);
        switch (answer.meaning()) {
            case DELIVERED:
                break;
            case RETRY_AFTER:
                throw new UnavailableException("EHR " + what + " answered " + status, status, answer.retryAfter(),
                        null);
            default: // REFUSED, BAD_INPUT, and REBASE (the case API's, not FHIR's): a 4xx, 3xx or 1xx
                throw new BadInputException("ehr-http-" + status, "EHR " + what + " answered " + status,
                        truncate(response.text()));
        }
        String body = response.text();
        if (response.header("Content-Type").orElse("").toLowerCase(Locale.ROOT).contains("xml")) {
            throw xml(what, body);
        }
        return body;
    }

    /**
     * The body as a JSON object. Markup is never parsed, so an external entity or DTD in it is never resolved. A
     * leading byte order mark is allowed (RFC 8259 lets a parser ignore it); duplicate keys and trailing content are
     * not, so that no reader of the body could see other values than the ones checked here.
     */
    private JsonNode tree(String body, String what) {
        String text = body.startsWith(BOM) ? body.substring(1) : body;
        if (text.stripLeading().startsWith("<")) {
            throw xml(what, body);
        }
        try {
            JsonNode root = json.readTree(text);
            if (root == null || !root.isObject()) {
                throw new BadInputException("malformed-response", "EHR " + what + " is not a JSON object",
                        truncate(body));
            }
            return root;
        } catch (StreamConstraintsException e) {
            // Jackson's limits name only numbers: how deep, how long, and the limit
            throw new BadInputException("json-limit-exceeded", "EHR " + what + " breaks a JSON limit: "
                    + e.getOriginalMessage(), truncate(body));
        } catch (JacksonException e) {
            throw new BadInputException("malformed-response",
                    "EHR " + what + " is not FHIR JSON (" + e.getClass().getSimpleName() + ")", truncate(body));
        }
    }

    private static BadInputException xml(String what, String body) {
        return new BadInputException("xml-not-accepted", "EHR " + what + " answered XML or HTML, not FHIR JSON; it "
                + "was not parsed", truncate(body));
    }

    private static boolean listOrAbsent(JsonNode node) {
        return node.isMissingNode() || node.isArray();
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

    /**
     * Resource types and ids as an EHR wrote them, cut down to what is safe to show: [A-Za-z0-9.-], 64 chars, and no
     * run of digits shaped like a CPR number.
     */
    static String safe(String text) {
        String cleaned = text.replaceAll("[^A-Za-z0-9.\\-]", "?");
        cleaned = cleaned.length() > 64 ? cleaned.substring(0, 64) : cleaned;
        return CPR_LIKE.matcher(cleaned).replaceAll("?");
    }

    private static String truncate(String text) {
        return text.length() > ORIGINAL_KEPT ? text.substring(0, ORIGINAL_KEPT) : text;
    }
}
