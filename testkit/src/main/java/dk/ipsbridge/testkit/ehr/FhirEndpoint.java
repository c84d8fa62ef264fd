package dk.ipsbridge.testkit.ehr;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
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
import java.util.concurrent.atomic.AtomicLong;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import ca.uhn.fhir.parser.DataFormatException;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;

/**
 * The FHIR REST behaviour of {@link MockEhr}, as a WireMock response transformer on one catch-all stub: search
 * (GET and POST {@code _search}) and {@code _history} with HAPI-style paging, read, vread, create (also conditional),
 * update, delete, transaction and batch, capabilities, the injected faults and latency.
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
    private final FhirOperations ops;
    private final FhirTransaction transactions;
    private final AtomicLong requests = new AtomicLong();
    private final Map<String, Snapshot> snapshots = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Snapshot> eldest) {
            return size() > MAX_SNAPSHOTS;
        }
    };

    FhirEndpoint(FhirStore store, Faults faults) {
        this.store = store;
        this.faults = faults;
        this.ops = new FhirOperations(store);
        this.transactions = new FhirTransaction(store, ops);
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
        requests.incrementAndGet();
        return faults.delayed(respond(event.getRequest()));
    }

    private ResponseDefinition respond(LoggedRequest request) {
        try {
            return route(request);
        } catch (FhirException e) {
            return ok(e.status(), e.outcome());
        } catch (RuntimeException e) {
            return outcome(500, OperationOutcome.IssueType.EXCEPTION, "Mock EHR failed: " + e.getClass().getSimpleName());
        }
    }

    /** Requests answered since start or the last {@link #clearSnapshots()}. */
    long requests() {
        return requests.get();
    }

    void clearSnapshots() {
        requests.set(0);
        synchronized (snapshots) {
            snapshots.clear();
        }
    }

    /** Processes a transaction or batch bundle, as {@code POST [base]} does. */
    FhirTransaction.Result process(String base, Bundle bundle) {
        return transactions.process(base, bundle, url -> get(base, url));
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

        if (segments.isEmpty() && params.containsKey("_getpages") && (method.equals("GET") || method.equals("POST"))) {
            return page(base, params);
        }
        if (segments.size() == 1 && segments.get(0).equals("metadata")) {
            return method.equals("GET") ? ok(200, FhirCapabilities.statement(Date.from(store.now()))) : notAllowed();
        }
        if (segments.isEmpty() || segments.get(0).equals("_history")) {
            Optional<ResponseDefinition> fault = faults.next(MockEhr.ANY_TYPE);
            if (fault.isPresent()) {
                return fault.get();
            }
            if (segments.isEmpty()) {
                return method.equals("POST") ? ok(200, process(base, parse(request, Bundle.class)).response())
                        : notAllowed();
            }
            return segments.size() == 1 && method.equals("GET") ? history(base, null, null, params) : notFound();
        }
        String type = segments.get(0);
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
        return switch (segments.size()) {
            case 1 -> switch (method) {
                case "GET" -> search(base, type, params);
                case "POST" -> written(base, ops.create(type, parse(request, Resource.class),
                        request.getHeader("If-None-Exist")));
                default -> notAllowed();
            };
            case 2 -> switch (segments.get(1)) {
                case "_search" -> {
                    if (method.equals("POST") && isForm(request)) {
                        parseForm(request.getBodyAsString()).forEach((k, v) -> params
                                .computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
                    }
                    yield method.equals("GET") || method.equals("POST") ? search(base, type, params) : notAllowed();
                }
                case "_history" -> method.equals("GET") ? history(base, type, null, params) : notAllowed();
                default -> instance(base, type, segments.get(1), method, request);
            };
            case 3 -> segments.get(2).equals("_history") && method.equals("GET")
                    ? history(base, type, segments.get(1), params) : notFound();
            case 4 -> segments.get(2).equals("_history") && method.equals("GET")
                    ? answer(ops.vread(type, segments.get(1), segments.get(3))) : notFound();
            default -> notFound();
        };
    }

    /** Read, update and delete of {@code type/id}. */
    private ResponseDefinition instance(String base, String type, String id, String method, LoggedRequest request) {
        return switch (method) {
            case "GET" -> answer(ops.read(type, id));
            case "PUT" -> {
                Resource resource = parse(request, Resource.class);
                if (!resource.getIdElement().hasIdPart()) {
                    throw new FhirException(400, OperationOutcome.IssueType.INVALID,
                            "The body of an update must have an id");
                }
                yield written(base, ops.update(type, id, resource, request.getHeader("If-Match")));
            }
            case "DELETE" -> answer(ops.delete(type, id));
            default -> notAllowed();
        };
    }

    /** A GET entry of a transaction or batch: read, vread or search (its first page). */
    private FhirOperations.Outcome get(String base, String url) {
        int q = url.indexOf('?');
        String[] path = (q < 0 ? url : url.substring(0, q)).split("/");
        String type = path[0];
        if (!MockEhr.FHIR.getResourceTypes().contains(type)) {
            throw new FhirException(404, OperationOutcome.IssueType.NOTSUPPORTED, "Unknown resource type");
        }
        if (path.length == 1) {
            return new FhirOperations.Outcome(200, searchBundle(base, type,
                    parseForm(q < 0 ? "" : url.substring(q + 1))), null, false);
        }
        if (path.length == 2) {
            return ops.read(type, path[1]);
        }
        if (path.length == 4 && path[2].equals("_history")) {
            return ops.vread(type, path[1], path[3]);
        }
        throw new FhirException(400, OperationOutcome.IssueType.NOTSUPPORTED,
                "GET entries may read, vread or search, nothing else");
    }

    private ResponseDefinition search(String base, String type, Map<String, List<String>> params) {
        return ok(200, searchBundle(base, type, params));
    }

    private Bundle searchBundle(String base, String type, Map<String, List<String>> params) {
        FhirSearch search = FhirSearch.parse(type, params, faults.ignored(type));
        Instant searchedAt = store.now(); // before the list: a write after it is stamped no earlier
        List<Item> items = search.apply(store, type).stream().map(r -> searchItem(type, r.getIdElement()
                .getIdPart(), search)).toList();
        return firstPage(base, new Snapshot(type, Bundle.BundleType.SEARCHSET, items.size(), items,
                searchedAt), search.count());
    }

    /** A search result is read when its page is: a resource deleted since the search started drops out, as on HAPI. */
    private Item searchItem(String type, String id, FhirSearch search) {
        return base -> store.current(type, id).map(r -> {
            Bundle.BundleEntryComponent entry = new Bundle.BundleEntryComponent()
                    .setFullUrl(base + "/" + type + "/" + id).setResource(search.shape(r));
            entry.getSearch().setMode(Bundle.SearchEntryMode.MATCH);
            return entry;
        });
    }

    /**
     * {@code _history} of the system ({@code type} null), a type or an instance: every version, deletions included,
     * newest first, with {@code _since} and {@code _count}. As HAPI's default, {@code Bundle.total} is given only
     * without {@code _since}.
     */
    private ResponseDefinition history(String base, String type, String id, Map<String, List<String>> params) {
        String since = first(params, "_since");
        Instant from = since == null ? null : FhirSearch.range(since, "_since").lower();
        if (id != null && !store.known(type, id)) {
            throw new FhirException(404, OperationOutcome.IssueType.NOTFOUND, type + "/" + id + " is not known");
        }
        List<Item> items = store.versions(type, id, from).stream().map(v -> (Item) b -> Optional.of(historyEntry(b, v)))
                .toList();
        Snapshot snapshot = new Snapshot(type == null ? MockEhr.ANY_TYPE : type, Bundle.BundleType.HISTORY,
                since == null ? items.size() : null, items, store.now());
        return ok(200, firstPage(base, snapshot, FhirSearch.parseCount(params.get("_count"))));
    }

    /**
     * One version as HAPI lists it: request POST for the first version, PUT for later ones, DELETE (and no resource)
     * for a deletion; response 201 for the first version, else 200.
     */
    private static Bundle.BundleEntryComponent historyEntry(String base, FhirStore.Version v) {
        Bundle.BundleEntryComponent entry = new Bundle.BundleEntryComponent()
                .setFullUrl(base + "/" + v.type() + "/" + v.id());
        Bundle.HTTPVerb method = v.deleted() ? Bundle.HTTPVerb.DELETE
                : v.number() == 1 ? Bundle.HTTPVerb.POST : Bundle.HTTPVerb.PUT;
        entry.getRequest().setMethod(method)
                .setUrl(method == Bundle.HTTPVerb.POST ? v.type() : v.type() + "/" + v.id());
        entry.getResponse().setStatus(v.number() == 1 ? "201 Created" : "200 OK")
                .setEtag("W/\"" + v.number() + "\"").setLastModified(Date.from(v.at()));
        if (!v.deleted()) {
            entry.setResource(v.resource().copy());
        }
        return entry;
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
        for (Resource r : FhirSearch.parse(type, params, faults.ignored(type)).apply(store, type)) {
            bundle.addEntry().setFullUrl(base + "/" + type + "/" + r.getIdElement().getIdPart()).setResource(r.copy());
        }
        if (next != null) {
            bundle.addLink().setRelation("next").setUrl(next);
        }
        return bundle;
    }

    private Bundle firstPage(String base, Snapshot snapshot, int count) {
        String token = UUID.randomUUID().toString();
        synchronized (snapshots) {
            snapshots.put(token, snapshot);
        }
        return bundlePage(base, token, snapshot, 0, count);
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
        Optional<ResponseDefinition> fault = faults.next(snapshot.faultType());
        if (fault.isPresent()) {
            return fault.get();
        }
        int offset = number(first(params, "_getpagesoffset"), 0, "_getpagesoffset");
        int count = Math.min(number(first(params, "_count"), FhirSearch.DEFAULT_COUNT, "_count"), FhirSearch.MAX_COUNT);
        return ok(200, bundlePage(base, token, snapshot, offset, count));
    }

    /**
     * A page of a snapshot. Every link is a {@code _getpages} URL, also {@code self}: a search parameter (a patient
     * reference, an identifier) never appears in a URL the client is told to follow.
     */
    private Bundle bundlePage(String base, String token, Snapshot snapshot, int offset, int count) {
        Bundle bundle = new Bundle();
        bundle.setId(UUID.randomUUID().toString());
        bundle.getMeta().setLastUpdated(Date.from(snapshot.searchedAt())); // as HAPI: when the search was made
        bundle.setType(snapshot.bundleType());
        if (snapshot.total() != null) {
            bundle.setTotal(snapshot.total());
        }
        int size = snapshot.items().size();
        String type = snapshot.bundleType().toCode();
        bundle.addLink().setRelation("self").setUrl(pageUrl(base, token, offset, count, type));
        if (count > 0 && offset + count < size) {
            bundle.addLink().setRelation("next").setUrl(pageUrl(base, token, offset + count, count, type));
        }
        if (count > 0 && offset > 0) {
            bundle.addLink().setRelation("previous").setUrl(pageUrl(base, token, Math.max(0, offset - count), count,
                    type));
        }
        for (int i = offset; i < Math.min(size, offset + count); i++) {
            snapshot.items().get(i).entry(base).ifPresent(bundle::addEntry);
        }
        return bundle;
    }

    private static String pageUrl(String base, String token, int offset, int count, String bundleType) {
        return base + "?_getpages=" + token + "&_getpagesoffset=" + offset + "&_count=" + count
                + "&_bundletype=" + bundleType;
    }

    /** The HTTP answer to one interaction: the body, and the {@code ETag} and {@code Last-Modified} of the version. */
    private static ResponseDefinition answer(FhirOperations.Outcome outcome) {
        return answering(outcome).build();
    }

    /**
     * The HTTP answer to a create or update: as {@link #answer}, with the version's {@code Location} (also when a
     * conditional create found a match, as HAPI gives it; its client takes the id from there).
     */
    private static ResponseDefinition written(String base, FhirOperations.Outcome outcome) {
        return answering(outcome).withHeader("Location", base + "/" + FhirOperations.location(outcome.version()))
                .build();
    }

    private static ResponseDefinitionBuilder answering(FhirOperations.Outcome outcome) {
        ResponseDefinitionBuilder response = outcome.body() == null ? aResponse().withStatus(outcome.status())
                : fhirResponse(outcome.status(), outcome.body());
        Resource version = outcome.version();
        if (version != null) {
            response.withHeader("ETag", FhirOperations.etag(version))
                    .withHeader("Last-Modified", DateTimeFormatter.RFC_1123_DATE_TIME
                            .format(version.getMeta().getLastUpdated().toInstant().atZone(ZoneOffset.UTC)));
        }
        return response;
    }

    /** The request's body as a FHIR JSON resource of {@code expected}, or a 400. */
    private static <T extends Resource> T parse(LoggedRequest request, Class<T> expected) {
        IBaseResource parsed;
        try {
            parsed = MockEhr.FHIR.newJsonParser().parseResource(request.getBodyAsString());
        } catch (DataFormatException | IllegalArgumentException e) {
            throw new FhirException(400, OperationOutcome.IssueType.STRUCTURE, "The body is not a FHIR JSON resource");
        }
        if (!expected.isInstance(parsed)) {
            throw new FhirException(400, OperationOutcome.IssueType.INVALID, "The body is not a "
                    + expected.getSimpleName());
        }
        return expected.cast(parsed);
    }

    static ResponseDefinition ok(int status, Resource resource) {
        return fhirResponse(status, resource).build();
    }

    private static ResponseDefinitionBuilder fhirResponse(int status, Resource resource) {
        return aResponse().withStatus(status).withHeader("Content-Type", FHIR_JSON)
                .withBody(MockEhr.FHIR.newJsonParser().encodeResourceToString(resource));
    }

    static ResponseDefinition outcome(int status, OperationOutcome.IssueType code, String diagnostics) {
        return ok(status, new FhirException(status, code, diagnostics).outcome());
    }

    static ResponseDefinition malformed() {
        return aResponse().withStatus(200).withHeader("Content-Type", FHIR_JSON).withBody(MALFORMED).build();
    }

    private static ResponseDefinition notAllowed() {
        return outcome(405, OperationOutcome.IssueType.NOTSUPPORTED, "Method not supported by the mock EHR");
    }

    private static ResponseDefinition notFound() {
        return outcome(404, OperationOutcome.IssueType.NOTFOUND, "No such FHIR interaction in the mock EHR");
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

    /** One result kept for paging; it makes its entry when its page is asked for. */
    private interface Item {
        Optional<Bundle.BundleEntryComponent> entry(String base);
    }

    /**
     * What a search or {@code _history} found, kept for paging.
     *
     * @param faultType the resource type whose faults its pages answer ({@link MockEhr#ANY_TYPE} for the system)
     * @param total      {@code Bundle.total}, or null for none
     * @param searchedAt when the search was made: {@code Bundle.meta.lastUpdated} of each of its pages
     */
    private record Snapshot(String faultType, Bundle.BundleType bundleType, Integer total, List<Item> items,
            Instant searchedAt) {
        Snapshot {
            items = List.copyOf(items);
        }
    }
}
