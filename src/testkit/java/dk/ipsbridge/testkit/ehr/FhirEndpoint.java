package dk.ipsbridge.testkit.ehr;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import ca.uhn.fhir.parser.DataFormatException;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;

/**
 * The FHIR REST behaviour of {@link MockEhr}, as a WireMock response transformer on one catch-all stub: search
 * (GET and POST {@code _search}) with HAPI-style paging, read, vread, create (also conditional), capabilities and the
 * injected faults.
 */
final class FhirEndpoint implements ResponseDefinitionTransformerV2 {

    static final String NAME = "ipsbridge-mock-ehr";
    static final String FHIR_JSON = "application/fhir+json;charset=utf-8";
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final int MAX_SNAPSHOTS = 1000;
    private static final String SECOND_PAGE = "_mocksecondpage";
    private static final String MALFORMED = "<html><body><h1>502 Bad Gateway</h1>upstream said: {\"resourceType\":";

    private final FhirStore store;
    private final Faults faults;
    private final Map<String, Snapshot> snapshots = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Snapshot> eldest) {
            return size() > MAX_SNAPSHOTS;
        }
    };

    FhirEndpoint(FhirStore store, Faults faults) {
        this.store = store;
        this.faults = faults;
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
        try {
            return route(request);
        } catch (FhirSearch.InvalidSearchException e) {
            return outcome(400, OperationOutcome.IssueType.INVALID, e.getMessage());
        } catch (RuntimeException e) {
            return outcome(500, OperationOutcome.IssueType.EXCEPTION, "Mock EHR failed: " + e.getClass().getSimpleName());
        }
    }

    void clearSnapshots() {
        synchronized (snapshots) {
            snapshots.clear();
        }
    }

    private ResponseDefinition route(LoggedRequest request) {
        String url = request.getUrl();
        int q = url.indexOf('?');
        String path = q < 0 ? url : url.substring(0, q);
        Map<String, List<String>> params = parseForm(q < 0 ? "" : url.substring(q + 1));
        String method = request.getMethod().getName();
        String base = baseUrl(request);
        List<String> segments = Arrays.stream(path.substring(MockEhr.BASE_PATH.length()).split("/"))
                .filter(s -> !s.isEmpty()).toList();

        if (segments.isEmpty()) {
            if (params.containsKey("_getpages") && (method.equals("GET") || method.equals("POST"))) {
                return page(base, params);
            }
            return outcome(400, OperationOutcome.IssueType.NOTSUPPORTED, "Batch, transaction and system search are not supported");
        }
        String type = segments.get(0);
        if (type.equals("metadata") && segments.size() == 1) {
            return method.equals("GET") ? ok(200, capabilities()) : notAllowed();
        }
        if (!MockEhr.FHIR.getResourceTypes().contains(type)) {
            return outcome(404, OperationOutcome.IssueType.NOTSUPPORTED, "Unknown resource type " + type);
        }
        Optional<ResponseDefinition> fault = faults.next(type);
        if (fault.isPresent()) {
            return fault.get();
        }
        Optional<Faults.PollFault> hostile = segments.size() == 1 && method.equals("GET") ? faults.poll(type)
                : Optional.empty();
        if (hostile.isPresent()) {
            return hostilePoll(hostile.get(), base, type, params, request.getAbsoluteUrl());
        }
        if (segments.size() == 1) {
            return switch (method) {
                case "GET" -> search(base, type, params);
                case "POST" -> create(base, type, request);
                default -> notAllowed();
            };
        }
        if (segments.size() == 2 && segments.get(1).equals("_search")) {
            if (method.equals("POST") && isForm(request)) {
                parseForm(request.getBodyAsString()).forEach((k, v) -> params.computeIfAbsent(k, x -> new ArrayList<>())
                        .addAll(v));
            }
            return method.equals("GET") || method.equals("POST") ? search(base, type, params) : notAllowed();
        }
        if (segments.size() == 2) {
            return method.equals("GET") ? read(type, segments.get(1)) : notAllowed();
        }
        if (segments.size() == 4 && segments.get(2).equals("_history")) {
            return method.equals("GET") ? vread(type, segments.get(1), segments.get(3)) : notAllowed();
        }
        return outcome(404, OperationOutcome.IssueType.NOTFOUND, "No such FHIR interaction in the mock EHR");
    }

    private ResponseDefinition search(String base, String type, Map<String, List<String>> params) {
        FhirSearch search = FhirSearch.parse(type, params);
        List<String> ids = search.apply(store.all(type)).stream().map(r -> r.getIdElement().getIdPart()).toList();
        String token = UUID.randomUUID().toString();
        Snapshot snapshot = new Snapshot(type, ids);
        synchronized (snapshots) {
            snapshots.put(token, snapshot);
        }
        return bundlePage(base, token, snapshot, 0, search.count());
    }

    /** A poll answered by an injected fault instead of from the store; {@code self} is the URL asked for. */
    private ResponseDefinition hostilePoll(Faults.PollFault fault, String base, String type,
            Map<String, List<String>> params, String self) {
        return switch (fault.mode()) {
            case BODY -> aResponse().withStatus(200).withHeader("Content-Type", fault.contentType())
                    .withBody(fault.body()).build();
            case PAGING_LOOP -> ok(200, searchset(base, type, params, self));
            case REPEATED_PAGES -> ok(200, searchset(base, type, params, params.containsKey(SECOND_PAGE) ? null
                    : self + (self.contains("?") ? "&" : "?") + SECOND_PAGE + "=true"));
        };
    }

    /** Every resource of {@code type} the search matches, on one page, with {@code next} (or none) as next link. */
    private Bundle searchset(String base, String type, Map<String, List<String>> params, String next) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.SEARCHSET);
        for (Resource r : FhirSearch.parse(type, params).apply(store.all(type))) {
            bundle.addEntry().setFullUrl(base + "/" + type + "/" + r.getIdElement().getIdPart()).setResource(r.copy());
        }
        if (next != null) {
            bundle.addLink().setRelation("next").setUrl(next);
        }
        return bundle;
    }

    private ResponseDefinition page(String base, Map<String, List<String>> params) {
        String token = first(params, "_getpages");
        Snapshot snapshot;
        synchronized (snapshots) {
            snapshot = snapshots.get(token);
        }
        if (snapshot == null) {
            return outcome(410, OperationOutcome.IssueType.NOTFOUND, "Search has expired or is unknown");
        }
        Optional<ResponseDefinition> fault = faults.next(snapshot.type());
        if (fault.isPresent()) {
            return fault.get();
        }
        int offset = number(first(params, "_getpagesoffset"), 0, "_getpagesoffset");
        int count = Math.min(number(first(params, "_count"), FhirSearch.DEFAULT_COUNT, "_count"), FhirSearch.MAX_COUNT);
        return bundlePage(base, token, snapshot, offset, count);
    }

    /**
     * A page of a snapshot. Every link is a {@code _getpages} URL, also {@code self}: a search parameter (a patient
     * reference, an identifier) never appears in a URL the client is told to follow.
     */
    private ResponseDefinition bundlePage(String base, String token, Snapshot snapshot, int offset, int count) {
        Bundle bundle = new Bundle();
        bundle.setId(UUID.randomUUID().toString());
        bundle.getMeta().setLastUpdated(Date.from(store.now()));
        bundle.setType(Bundle.BundleType.SEARCHSET);
        bundle.setTotal(snapshot.ids().size());
        bundle.addLink().setRelation("self").setUrl(pageUrl(base, token, offset, count));
        if (count > 0 && offset + count < snapshot.ids().size()) {
            bundle.addLink().setRelation("next").setUrl(pageUrl(base, token, offset + count, count));
        }
        if (count > 0 && offset > 0) {
            bundle.addLink().setRelation("previous").setUrl(pageUrl(base, token, Math.max(0, offset - count), count));
        }
        int end = Math.min(snapshot.ids().size(), offset + count);
        for (int i = offset; i < end; i++) {
            String id = snapshot.ids().get(i);
            // a resource deleted since the search started drops out, as on HAPI
            store.current(snapshot.type(), id).ifPresent(r -> bundle.addEntry()
                    .setFullUrl(base + "/" + snapshot.type() + "/" + id)
                    .setResource(r.copy())
                    .getSearch().setMode(Bundle.SearchEntryMode.MATCH));
        }
        return ok(200, bundle);
    }

    private static String pageUrl(String base, String token, int offset, int count) {
        return base + "?_getpages=" + token + "&_getpagesoffset=" + offset + "&_count=" + count
                + "&_bundletype=searchset";
    }

    private ResponseDefinition read(String type, String id) {
        Optional<Resource> current = store.current(type, id);
        if (current.isPresent()) {
            return withVersionHeaders(ok(200, current.get().copy()), current.get());
        }
        if (store.isDeleted(type, id)) {
            return outcome(410, OperationOutcome.IssueType.DELETED, type + "/" + id + " was deleted");
        }
        return outcome(404, OperationOutcome.IssueType.NOTFOUND, type + "/" + id + " is not known");
    }

    private ResponseDefinition vread(String type, String id, String version) {
        return store.version(type, id, version)
                .map(r -> withVersionHeaders(ok(200, r.copy()), r))
                .orElseGet(() -> outcome(404, OperationOutcome.IssueType.NOTFOUND,
                        type + "/" + id + "/_history/" + version + " is not known"));
    }

    /** Create, and conditional create with {@code If-None-Exist} (how outcomes are written back without duplicates). */
    private ResponseDefinition create(String base, String type, LoggedRequest request) {
        IBaseResource parsed;
        try {
            parsed = MockEhr.FHIR.newJsonParser().parseResource(request.getBodyAsString());
        } catch (DataFormatException | IllegalArgumentException e) {
            return outcome(400, OperationOutcome.IssueType.STRUCTURE, "The body is not a FHIR JSON resource");
        }
        if (!(parsed instanceof Resource resource) || !resource.fhirType().equals(type)) {
            return outcome(400, OperationOutcome.IssueType.INVALID, "The body is not a " + type);
        }
        String ifNoneExist = request.getHeader("If-None-Exist");
        if (ifNoneExist != null && !ifNoneExist.isBlank()) {
            String query = ifNoneExist.contains("?") ? ifNoneExist.substring(ifNoneExist.indexOf('?') + 1) : ifNoneExist;
            FhirSearch condition = FhirSearch.parse(type, parseForm(query));
            List<Resource> matches = store.all(type).stream().filter(condition::matches).toList();
            if (matches.size() > 1) {
                return outcome(412, OperationOutcome.IssueType.DUPLICATE, "If-None-Exist matches more than one resource");
            }
            if (matches.size() == 1) {
                return withVersionHeaders(ok(200, matches.get(0).copy()), matches.get(0));
            }
        }
        resource.setIdElement(new IdType());
        Resource stored = store.put(resource);
        ResponseDefinitionBuilder created = fhirResponse(201, stored.copy()).withHeader("Location",
                base + "/" + type + "/" + stored.getIdElement().getIdPart() + "/_history/" + stored.getMeta().getVersionId());
        return withVersionHeaders(created.build(), stored);
    }

    private CapabilityStatement capabilities() {
        CapabilityStatement cs = new CapabilityStatement();
        cs.setStatus(Enumerations.PublicationStatus.ACTIVE);
        cs.setDate(Date.from(store.now()));
        cs.setKind(CapabilityStatement.CapabilityStatementKind.INSTANCE);
        cs.setFhirVersion(Enumerations.FHIRVersion._4_0_1);
        cs.addFormat("application/fhir+json");
        cs.getSoftware().setName("IPS Bridge mock EHR");
        CapabilityStatement.CapabilityStatementRestComponent rest = cs.addRest()
                .setMode(CapabilityStatement.RestfulCapabilityMode.SERVER);
        for (String type : store.types()) {
            CapabilityStatement.CapabilityStatementRestResourceComponent r = rest.addResource().setType(type);
            for (CapabilityStatement.TypeRestfulInteraction i : List.of(CapabilityStatement.TypeRestfulInteraction.READ,
                    CapabilityStatement.TypeRestfulInteraction.VREAD,
                    CapabilityStatement.TypeRestfulInteraction.SEARCHTYPE,
                    CapabilityStatement.TypeRestfulInteraction.CREATE)) {
                r.addInteraction().setCode(i);
            }
        }
        return cs;
    }

    private static ResponseDefinition withVersionHeaders(ResponseDefinition response, Resource version) {
        ResponseDefinitionBuilder b = ResponseDefinitionBuilder.like(response)
                .withHeader("ETag", "W/\"" + version.getMeta().getVersionId() + "\"")
                .withHeader("Last-Modified", DateTimeFormatter.RFC_1123_DATE_TIME
                        .format(version.getMeta().getLastUpdated().toInstant().atZone(ZoneOffset.UTC)));
        return b.build();
    }

    static ResponseDefinition ok(int status, Resource resource) {
        return fhirResponse(status, resource).build();
    }

    private static ResponseDefinitionBuilder fhirResponse(int status, Resource resource) {
        return aResponse().withStatus(status).withHeader("Content-Type", FHIR_JSON)
                .withBody(MockEhr.FHIR.newJsonParser().encodeResourceToString(resource));
    }

    static ResponseDefinition outcome(int status, OperationOutcome.IssueType code, String diagnostics) {
        OperationOutcome oo = new OperationOutcome();
        oo.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR).setCode(code).setDiagnostics(diagnostics);
        return ok(status, oo);
    }

    static ResponseDefinition malformed() {
        return aResponse().withStatus(200).withHeader("Content-Type", FHIR_JSON).withBody(MALFORMED).build();
    }

    private static ResponseDefinition notAllowed() {
        return outcome(405, OperationOutcome.IssueType.NOTSUPPORTED, "Method not supported by the mock EHR");
    }

    private static boolean isForm(LoggedRequest request) {
        String contentType = request.getHeader("Content-Type");
        return contentType != null && contentType.toLowerCase().startsWith(FORM);
    }

    /** The base URL as the client addressed it ({@code http://host:port/fhir}). */
    private static String baseUrl(LoggedRequest request) {
        String absolute = request.getAbsoluteUrl();
        return absolute.substring(0, absolute.length() - request.getUrl().length()) + MockEhr.BASE_PATH;
    }

    static Map<String, List<String>> parseForm(String encoded) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (encoded == null || encoded.isBlank()) {
            return params;
        }
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return params;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static int number(String raw, int fallback, String name) {
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(raw.trim());
            if (n < 0) {
                throw new FhirSearch.InvalidSearchException(name + " must not be negative");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new FhirSearch.InvalidSearchException(name + " is not a number");
        }
    }

    /** The ids a search matched, in order, kept for paging. */
    private record Snapshot(String type, List<String> ids) {
        Snapshot {
            ids = List.copyOf(ids);
        }
    }
}
