package dk.ipsbridge.testkit.jobcenter;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dk.ipsbridge.testkit.fault.InjectedFault;
import dk.ipsbridge.testkit.fhir.IpsContract;

/**
 * The jobcenter case API of {@code jobcenter-case-api.yaml} (1.1.0) as a WireMock response transformer on one
 * catch-all stub. Problem details never carry a value from the request (a CPR must not echo back into logs).
 */
final class CaseApiEndpoint implements ResponseDefinitionTransformerV2 {

    static final String NAME = "ipsbridge-mock-jobcenter";
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CASE_ID = Pattern.compile("^[A-Za-z0-9._-]{1,64}$");
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1000;
    private static final String MALFORMED = "<html><body><h1>502 Bad Gateway</h1>upstream said: {\"caseId\":";

    private final CaseBook book;

    CaseApiEndpoint(CaseBook book) {
        this.book = book;
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
        LoggedRequest request = event.getRequest();
        String method = request.getMethod().getName();
        ResponseDefinition response = respond(method, request);
        book.received(new MockJobcenter.ReceivedRequest(method, request.getUrl(), request.getBodyAsString(),
                response.getFault() == null ? response.getStatus() : 0));
        Duration latency = book.latency();
        return latency.isZero() ? response
                : ResponseDefinitionBuilder.like(response).withFixedDelay((int) latency.toMillis()).build();
    }

    /** An injected fault in the case API's dialect: a problem, a body that is not JSON, or a reset connection. */
    private static ResponseDefinition faulty(InjectedFault fault) {
        return switch (fault.kind()) {
            case STATUS -> {
                ResponseDefinitionBuilder failed = problemBuilder(fault.status(), "Injected fault");
                if (fault.retryAfterSeconds() != null) {
                    failed.withHeader("Retry-After", String.valueOf(fault.retryAfterSeconds()));
                }
                yield failed.build();
            }
            case BARE_STATUS -> aResponse().withStatus(fault.status()).build();
            case MALFORMED_BODY -> aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                    .withBody(MALFORMED).build();
            case CONNECTION_RESET -> aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER).build();
        };
    }

    private ResponseDefinition respond(String method, LoggedRequest request) {
        Optional<InjectedFault> fault = book.takeFault();
        if (fault.isPresent()) {
            return faulty(fault.get());
        }
        try {
            return route(method, request);
        } catch (RuntimeException e) {
            return problem(500, "Mock jobcenter failed: " + e.getClass().getSimpleName());
        }
    }

    private ResponseDefinition route(String method, LoggedRequest request) {
        String url = request.getUrl();
        int q = url.indexOf('?');
        String path = (q < 0 ? url : url.substring(0, q)).substring(MockJobcenter.BASE_PATH.length());
        List<String> segments = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();

        String query = q < 0 ? "" : url.substring(q + 1);
        if (segments.size() == 1 && segments.get(0).equals("outcomes")) {
            return method.equals("GET") ? outcomes(query) : notAllowed();
        }
        if (segments.size() == 1 && segments.get(0).equals("cases")) {
            return method.equals("GET") ? list(query) : notAllowed();
        }
        if (segments.size() >= 2 && segments.get(0).equals("cases")) {
            String caseId = segments.get(1);
            if (segments.size() == 2) {
                return switch (method) {
                    case "PUT" -> put(caseId, request.getBodyAsString());
                    case "GET" -> get(caseId);
                    default -> notAllowed();
                };
            }
            if (segments.size() == 3 && segments.get(2).equals("withdrawal")) {
                return method.equals("POST") ? withdraw(caseId, request.getBodyAsString()) : notAllowed();
            }
        }
        return problem(404, "No such resource in the case API");
    }

    private ResponseDefinition put(String caseId, String body) {
        if (!CASE_ID.matcher(caseId).matches()) {
            return problem(400, "caseId must match " + CASE_ID.pattern());
        }
        Optional<JsonNode> record = parse(body);
        if (record.isEmpty()) {
            return problem(400, "The body is not JSON");
        }
        List<String> problems = CaseApiSchema.problems("IpsCaseRecord", record.get());
        if (!problems.isEmpty()) {
            return invalid("The body is not a valid IpsCaseRecord", problems);
        }
        if (!caseId.equals(record.get().get("caseId").asText())) {
            return problem(422, "caseId in the body differs from the path");
        }
        CaseBook.PutResult result = book.put(caseId, record.get());
        if (result.status() == 409) {
            ObjectNode conflict = problemBody(409, "revision is not higher than the stored revision "
                    + result.currentRevision());
            conflict.put("currentRevision", result.currentRevision());
            return respond(409, "application/problem+json", conflict).build();
        }
        return respond(result.status(), "application/json", result.body()).build();
    }

    private ResponseDefinition get(String caseId) {
        if (!CASE_ID.matcher(caseId).matches()) {
            return problem(400, "caseId must match " + CASE_ID.pattern());
        }
        return book.get(caseId)
                .map(view -> view.withdrawn() ? respond(410, "application/json", view.body()).build()
                        : respond(200, "application/json", view.body())
                                .withHeader("ETag", "\"" + view.revision() + "\"").build())
                .orElseGet(this::unknownCase);
    }

    private ResponseDefinition withdraw(String caseId, String body) {
        if (!CASE_ID.matcher(caseId).matches()) {
            return problem(400, "caseId must match " + CASE_ID.pattern());
        }
        Optional<JsonNode> withdrawal = parse(body);
        if (withdrawal.isEmpty()) {
            return problem(400, "The body is not JSON");
        }
        List<String> problems = CaseApiSchema.problems("Withdrawal", withdrawal.get());
        if (!problems.isEmpty()) {
            return invalid("The body is not a valid Withdrawal", problems);
        }
        return book.withdraw(caseId, withdrawal.get()) ? aResponse().withStatus(202).build() : unknownCase();
    }

    /** 404 for a case the jobcenter does not hold: the contract's problem, unless a fault mode says otherwise. */
    private ResponseDefinition unknownCase() {
        return switch (book.unknownCaseAnswer()) {
            case CONTRACT -> problem(404, IpsContract.UNKNOWN_CASE_PROBLEM, "The jobcenter holds no such case");
            case BARE -> aResponse().withStatus(404).build();
            case UNTYPED_PROBLEM -> problem(404, "No such case");
        };
    }

    /** {@code GET /cases}: summaries in case id order, {@code after} a case id; or "not offered" (404, 501). */
    private ResponseDefinition list(String query) {
        switch (book.caseListing()) {
            case NOT_FOUND -> {
                return problem(404, "No such resource in the case API");
            }
            case NOT_IMPLEMENTED -> {
                return problem(501, "This jobcenter does not list its cases");
            }
            case OFFERED -> {
                // listed below
            }
        }
        Map<String, String> params = parameters(query);
        int limit;
        try {
            limit = limit(params);
        } catch (IllegalArgumentException e) {
            return problem(400, e.getMessage());
        }
        String after = params.get("after");
        ObjectNode body = JSON.createObjectNode();
        body.putArray("items").addAll(book.list(after == null || after.isEmpty() ? null : after, limit));
        return respond(200, "application/json", body).build();
    }

    private ResponseDefinition outcomes(String query) {
        Map<String, String> params = parameters(query);
        int limit;
        try {
            limit = limit(params);
        } catch (IllegalArgumentException e) {
            return problem(400, e.getMessage());
        }
        String after = params.get("after");
        CaseBook.OutcomePage page;
        try {
            page = book.outcomes(after == null || after.isEmpty() ? null : after, limit);
        } catch (IllegalArgumentException e) {
            return problem(400, "after is not a cursor of this API");
        }
        ObjectNode body = JSON.createObjectNode();
        body.putArray("items").addAll(page.items());
        body.put("nextCursor", page.nextCursor());
        return respond(200, "application/json", body).build();
    }

    /** The query parameters, the first of each name. */
    private static Map<String, String> parameters(String query) {
        Map<String, String> params = new HashMap<>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                params.putIfAbsent(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
            }
        }
        return params;
    }

    /** {@code limit}, defaulted; {@link IllegalArgumentException} with a message fit for a problem otherwise. */
    private static int limit(Map<String, String> params) {
        int limit;
        try {
            limit = params.containsKey("limit") ? Integer.parseInt(params.get("limit")) : DEFAULT_LIMIT;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("limit is not a number");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
        }
        return limit;
    }

    private static Optional<JsonNode> parse(String body) {
        if (body == null || body.isBlank()) {
            return Optional.empty();
        }
        try {
            JsonNode node = JSON.readTree(body);
            return node == null || !node.isObject() ? Optional.empty() : Optional.of(node);
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    private static ResponseDefinition invalid(String detail, List<String> problems) {
        ObjectNode body = problemBody(400, detail);
        problems.forEach(body.putArray("errors")::add);
        return respond(400, "application/problem+json", body).build();
    }

    static ResponseDefinition problem(int status, String detail) {
        return problemBuilder(status, detail).build();
    }

    private static ResponseDefinition problem(int status, String type, String detail) {
        return respond(status, "application/problem+json", problemBody(status, type, detail)).build();
    }

    private static ResponseDefinitionBuilder problemBuilder(int status, String detail) {
        return respond(status, "application/problem+json", problemBody(status, detail));
    }

    private static ObjectNode problemBody(int status, String detail) {
        return problemBody(status, "about:blank", detail);
    }

    private static ObjectNode problemBody(int status, String type, String detail) {
        ObjectNode body = JSON.createObjectNode();
        body.put("type", type);
        body.put("title", title(status));
        body.put("status", status);
        body.put("detail", detail);
        return body;
    }

    private static ResponseDefinition notAllowed() {
        return problem(405, "Method not allowed");
    }

    private static ResponseDefinitionBuilder respond(int status, String contentType, JsonNode body) {
        return aResponse().withStatus(status).withHeader("Content-Type", contentType).withBody(body.toString());
    }

    private static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 422 -> "Unprocessable Content";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "Error";
        };
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
