package dk.ipsbridge.testkit.ehr;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import dk.ipsbridge.testkit.fault.InjectedFault;
import dk.ipsbridge.testkit.oauth.BearerGate;
import dk.ipsbridge.testkit.oauth.MockTokenEndpoint;
import dk.ipsbridge.testkit.tls.ServerTls;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

/**
 * A simulated regional psychiatry EHR: a FHIR R4 server over an in-memory store, on WireMock, at
 * {@code http://localhost:<port>/fhir}, for the resources of the EHR contract ({@code ehr-ips-conventions.md}) and
 * any other R4 type. Bodies are JSON.
 *
 * <ul>
 *   <li>search by {@code GET /fhir/{type}?...} and {@code POST /fhir/{type}/_search} (form body merged with the URL
 *       parameters) with {@code _lastUpdated} (prefixes eq, ne, gt, ge, lt, le, sa, eb; repeatable), {@code _count}
 *       (default 20, at most 500), {@code _id}, {@code identifier}, {@code patient}/{@code subject}, {@code status} and
 *       {@code _sort=_lastUpdated|-_lastUpdated}; other parameters are ignored, as a lenient server does. Results come
 *       in the order {@code meta.lastUpdated} ascending, then id;</li>
 *   <li>{@code _history} of an instance ({@code /fhir/{type}/{id}/_history}), a type ({@code /fhir/{type}/_history})
 *       and the system ({@code /fhir/_history}), with {@code _since} and {@code _count}: Bundle type {@code history},
 *       newest first, deletions included (request DELETE, no resource), each entry with {@code request} (POST for a
 *       first version, PUT for a later one) and {@code response} (status, ETag, last modified); {@code Bundle.total}
 *       only without {@code _since}, as HAPI JPA by default;</li>
 *   <li>HAPI-style paging of searches and histories: the matches are kept and every link is
 *       {@code /fhir?_getpages=<token>&_getpagesoffset=<n>&_count=<n>&_bundletype=<type>}, never repeating a search
 *       parameter;</li>
 *   <li>read, vread ({@code /_history/{vid}}; 410 for a deleted resource or a deletion's version), create and
 *       conditional create ({@code If-None-Exist}), update ({@code PUT}, which creates with the id given when the
 *       resource is new or deleted, and honours {@code If-Match}), delete ({@code DELETE}, 204);</li>
 *   <li>transaction and batch bundles ({@code POST /fhir}) of POST (also with {@code ifNoneExist}), PUT, DELETE and
 *       GET (read, vread, search) entries, processed DELETE, POST, PUT, GET; a transaction resolves references to its
 *       entries' full URLs ({@code urn:uuid:}) to the ids it assigns and stores all or nothing (a failing write: its
 *       4xx with an OperationOutcome naming the entry); a batch answers each entry on its own;</li>
 *   <li>{@code /metadata}: a CapabilityStatement of exactly this;</li>
 *   <li>seeding from Java ({@link #store}, with {@code IpsFixtures}) or from fixture files ({@link #load(Path)}: a
 *       resource, or a collection, searchset, transaction or batch Bundle, in JSON; or a directory of them);</li>
 *   <li>injected faults ({@link InjectedFault}) per resource type or for all, until cleared or for the next
 *       requests: a status (429 or 5xx with {@code Retry-After}), a bare status without a body, a 200 whose body is
 *       not FHIR, a connection reset; latency on every answer; hostile answers to polls: XML or other bodies, a
 *       paging loop, every match on two pages; a lenient mode that ignores named search parameters
 *       ({@link #ignoreSearchParameter}).</li>
 * </ul>
 * Every request is in the WireMock request journal ({@link #wireMock()}) for verification. Writes through the REST
 * API do not reach the {@link #onStore} listeners; {@link #store} does.
 *
 * <p>Where it differs from HAPI JPA on purpose: ids it assigns are {@code gen-<n>}; {@code _history} entries carry a
 * relative {@code request.url} ({@code Type} or {@code Type/id}, as R4 describes) where HAPI gives the absolute,
 * versioned URL; ETags in transaction responses are weak ({@code W/"1"}) where HAPI gives {@code 1}; a stale
 * {@code If-Match} answers 412 as R4 says where HAPI answers 409; delete answers 204 without a body where HAPI answers
 * 200 with an OperationOutcome; totals are exact where HAPI may cache them.
 *
 * <p>Thread-safe: tests may store while the adapter polls.
 */
public final class MockEhr implements AutoCloseable {

    /** The path of the FHIR base. */
    public static final String BASE_PATH = "/fhir";
    /** For the fault methods: every resource type that has no fault of its own. */
    public static final String ANY_TYPE = "*";

    /** Shared by the whole kit: a FhirContext is expensive to create and thread-safe once made. */
    static final FhirContext FHIR = FhirContext.forR4Cached();

    private final FhirStore store = new FhirStore();
    private final Faults faults = new Faults();
    private final FhirEndpoint endpoint = new FhirEndpoint(store, faults);
    private final WireMockServer server;
    private final BearerGate gate = new BearerGate();
    private final boolean https;
    private final List<Consumer<Resource>> storeListeners = new CopyOnWriteArrayList<>();

    /** Starts a mock EHR on a free port. */
    public MockEhr() {
        this(options().dynamicPort());
    }

    /** Starts a mock EHR on {@code port} (0 picks a free one). */
    public MockEhr(int port) {
        this(port == 0 ? options().dynamicPort() : options().port(port));
    }

    /**
     * Starts a mock EHR on a free port that serves HTTPS only, with the server certificate of {@code tls} and, when
     * it says so, only to clients with a certificate its trust store accepts (mutual TLS).
     */
    public MockEhr(ServerTls tls) {
        this(tls.apply(options(), 0), true);
    }

    private MockEhr(WireMockConfiguration config) {
        this(config, false);
    }

    private MockEhr(WireMockConfiguration config, boolean https) {
        FhirCapabilities.warmUp();
        this.https = https;
        server = new WireMockServer(config.bindAddress("localhost").maxRequestJournalEntries(10_000)
                .extensions(endpoint, gate));
        server.stubFor(any(urlPathMatching(BASE_PATH + "(/.*)?")).willReturn(aResponse()
                .withTransformers(FhirEndpoint.NAME)));
        server.start();
    }

    /** {@code http://localhost:<port>/fhir}, or {@code https://} when it serves HTTPS. */
    public String baseUrl() {
        return (https ? "https" : "http") + "://localhost:" + port() + BASE_PATH;
    }

    public int port() {
        return https ? server.httpsPort() : server.port();
    }

    /**
     * From now on every request needs {@code Authorization: Bearer} with a token {@code tokens} issued and that has
     * not expired (a SMART Backend Services client's); any other is answered 401 before the FHIR API sees it and
     * counted in {@link #refusedTokens()}.
     */
    public MockEhr requireTokensFrom(MockTokenEndpoint tokens) {
        gate.require(tokens::accepts);
        return this;
    }

    /** How many requests were answered 401 for a missing, unknown or expired token. */
    public int refusedTokens() {
        return gate.refused();
    }

    /**
     * The clock {@code meta.lastUpdated} is read from; the store still makes every write at least 1 ms later than the
     * one before, so a fixed clock gives distinct, increasing instants.
     */
    public MockEhr clock(Clock clock) {
        store.clock(clock);
        return this;
    }

    /**
     * Stores a new version of each resource (a copy; the argument is not changed): the id is kept (one is generated
     * when missing), {@code meta.versionId} is the next version and {@code meta.lastUpdated} the next write instant.
     *
     * @return the stored versions, in argument order
     */
    public List<Resource> store(Resource... resources) {
        return store(List.of(resources));
    }

    /** As {@link #store(Resource...)}. */
    public List<Resource> store(Collection<? extends Resource> resources) {
        List<Resource> stored = new ArrayList<>(resources.size());
        for (Resource r : resources) {
            Resource version = store.put(r);
            stored.add(version.copy());
            storeListeners.forEach(listener -> listener.accept(version.copy()));
        }
        return stored;
    }

    /**
     * Seeds the store from FHIR JSON: a resource (stored as {@link #store} does), a Bundle of type {@code collection}
     * or {@code searchset} (each entry's resource updated under its id, or created when it has none), or a
     * {@code transaction} or {@code batch} (processed as {@code POST /fhir}). References to an entry's full URL (such
     * as {@code urn:uuid:}) resolve to the id it is stored under, except in a batch. All or nothing, but for a batch.
     * The {@link #onStore} listeners see every version stored.
     *
     * @return the versions stored (copies), in the order stored
     * @throws IllegalArgumentException when it is not FHIR JSON, is a Bundle of another type, or an entry fails
     */
    public List<Resource> load(InputStream json) {
        IBaseResource parsed;
        try {
            parsed = FHIR.newJsonParser().parseResource(json);
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("Not a FHIR JSON resource", e);
        }
        if (!(parsed instanceof Bundle bundle)) {
            return store((Resource) parsed);
        }
        FhirTransaction.Result result;
        try {
            result = endpoint.process(baseUrl(), switch (bundle.getType()) {
                case TRANSACTION, BATCH -> bundle;
                case COLLECTION, SEARCHSET -> asTransaction(bundle);
                default -> throw new IllegalArgumentException("Cannot load a Bundle of type " + bundle.getType()
                        .toCode() + "; a collection, searchset, transaction or batch only");
            });
        } catch (FhirException e) {
            throw new IllegalArgumentException("Not loaded: " + e.getMessage(), e);
        }
        List<String> failed = new ArrayList<>();
        for (int i = 0; i < result.response().getEntry().size(); i++) {
            String status = result.response().getEntry().get(i).getResponse().getStatus();
            if (!status.startsWith("2")) {
                failed.add("entry " + i + ": " + status);
            }
        }
        result.written().forEach(version -> storeListeners.forEach(listener -> listener.accept(version.copy())));
        if (!failed.isEmpty()) {
            throw new IllegalArgumentException("Batch entries failed (the others are stored): " + failed);
        }
        return result.written().stream().map(Resource::copy).toList();
    }

    /**
     * As {@link #load(InputStream)}, from a {@code .json} file or from every {@code *.json} file of a directory, in
     * the order of their names; each file all or nothing.
     */
    public List<Resource> load(Path fileOrDirectory) {
        List<Path> files;
        try (Stream<Path> listing = Files.isDirectory(fileOrDirectory) ? Files.list(fileOrDirectory)
                : Stream.of(fileOrDirectory)) {
            files = listing.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + fileOrDirectory, e);
        }
        List<Resource> stored = new ArrayList<>();
        for (Path file : files) {
            try (InputStream in = Files.newInputStream(file)) {
                stored.addAll(load(in));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + file, e);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file.getFileName() + ": " + e.getMessage(), e);
            }
        }
        return stored;
    }

    /** Calls {@code listener} with (a copy of) every version {@link #store} makes, e.g. a {@link SubscriptionNotifier}. */
    public MockEhr onStore(Consumer<Resource> listener) {
        storeListeners.add(listener);
        return this;
    }

    /** Deletes a resource: read answers 410 and searches no longer find it; its history stays. */
    public boolean delete(String type, String id) {
        return store.delete(type, id);
    }

    /** Current versions of every live resource of {@code type}, in the default search order (copies). */
    public List<Resource> resources(String type) {
        return store.all(type).stream().map(Resource::copy).toList();
    }

    /** As {@link #resources(String)}, typed. */
    public <T extends Resource> List<T> resources(Class<T> type) {
        return resources(FHIR.getResourceType(type)).stream().map(type::cast).toList();
    }

    /** The current version of one resource (a copy), empty when unknown or deleted. */
    public Optional<Resource> resource(String type, String id) {
        return store.current(type, id).map(Resource::copy);
    }

    /** Every stored version of one resource, oldest first (copies); deletions are left out ({@code _history} has them). */
    public List<Resource> history(String type, String id) {
        return store.history(type, id).stream().map(Resource::copy).toList();
    }

    /**
     * Every request on {@code resourceType} (any interaction, and the pages of its searches and histories; for
     * {@link #ANY_TYPE} also transactions, batches and the system's history) answers {@code status} with an
     * OperationOutcome until {@link #clearFaults()}; 429 and 503 carry {@code Retry-After: 1}.
     *
     * @param resourceType a FHIR type, or {@link #ANY_TYPE}
     */
    public void failWith(String resourceType, int status) {
        failWith(resourceType, InjectedFault.status(status));
    }

    /** As {@link #failWith(String, int)} with the {@code Retry-After} seconds given, or none when null. */
    public void failWith(String resourceType, int status, Integer retryAfterSeconds) {
        failWith(resourceType, InjectedFault.status(status, retryAfterSeconds));
    }

    /**
     * Every request on {@code resourceType} (as {@link #failWith(String, int)} counts them) gets {@code fault} instead
     * of its answer, until {@link #clearFaults()}; it replaces the type's fault before.
     */
    public void failWith(String resourceType, InjectedFault fault) {
        faults.set(type(resourceType), Objects.requireNonNull(fault, "fault"), Faults.ALWAYS);
    }

    /** As {@link #failWith(String, int)}, for the next {@code times} requests on the type only. */
    public void failNext(String resourceType, int status, int times) {
        failNext(resourceType, InjectedFault.status(status), times);
    }

    /** As {@link #failWith(String, InjectedFault)}, for the next {@code times} requests on the type only. */
    public void failNext(String resourceType, InjectedFault fault, int times) {
        if (times < 1) {
            throw new IllegalArgumentException("times must be at least 1");
        }
        faults.set(type(resourceType), Objects.requireNonNull(fault, "fault"), times);
    }

    /** Requests on {@code resourceType} answer 200 {@code application/fhir+json} with a body that is not FHIR. */
    public void malformedBody(String resourceType) {
        failWith(resourceType, InjectedFault.malformedBody());
    }

    /**
     * Every answer, faults and {@code /metadata} included, comes {@code latency} late, until {@link #clearFaults()}
     * or {@code withLatency(Duration.ZERO)}.
     */
    public MockEhr withLatency(Duration latency) {
        faults.latency(Objects.requireNonNull(latency, "latency"));
        return this;
    }

    /**
     * Polls of {@code resourceType} (GET searches; POST {@code _search}, as by patient, is not affected) answer 200
     * with this {@code Content-Type} and body until {@link #clearFaults()}: XML, a non-Bundle, malformed, deeply
     * nested or oversized JSON.
     */
    public void pollAnswers(String resourceType, String contentType, String body) {
        faults.setPoll(type(resourceType), new Faults.PollFault(Faults.PollMode.BODY, contentType, body));
    }

    /** Polls of {@code resourceType} answer what they match with a next link to the same URL, so paging never ends. */
    public void pollPagingLoop(String resourceType) {
        faults.setPoll(type(resourceType), new Faults.PollFault(Faults.PollMode.PAGING_LOOP, null, null));
    }

    /** Polls of {@code resourceType} answer every resource they match twice: on a first page and again on a second. */
    public void pollRepeatsPages(String resourceType) {
        faults.setPoll(type(resourceType), new Faults.PollFault(Faults.PollMode.REPEATED_PAGES, null, null));
    }

    /**
     * Searches of every type ignore the search parameter {@code name} (with any modifier, such as
     * {@code subject:Patient}) until {@link #clearFaults()}, as a lenient server that does not support it does: a
     * search by {@code patient} then returns other patients' resources too (contract C12). Conditional creates still
     * honour it.
     */
    public MockEhr ignoreSearchParameter(String name) {
        return ignoreSearchParameter(ANY_TYPE, name);
    }

    /** As {@link #ignoreSearchParameter(String)}, for searches of {@code resourceType} only. */
    public MockEhr ignoreSearchParameter(String resourceType, String name) {
        if (Objects.requireNonNull(name, "name").isBlank() || name.contains(":")) {
            throw new IllegalArgumentException("A search parameter name without modifier, such as patient");
        }
        faults.ignore(type(resourceType), name);
        return this;
    }

    /** Stops every injected fault, hostile poll, ignored search parameter and latency. */
    public void clearFaults() {
        faults.clear();
    }

    /**
     * How many requests of the FHIR API it has answered (every interaction, page and {@code /metadata}, injected faults
     * included) since it started or was {@link #reset()}. Unlike the request journal this count has no limit, so it
     * serves load tests.
     */
    public long requestCount() {
        return endpoint.requests();
    }

    /** Empties the store, the faults, the paging snapshots, the request journal and {@link #requestCount()}. */
    public void reset() {
        store.clear();
        faults.clear();
        endpoint.clearSnapshots();
        server.resetRequests();
    }

    /** The WireMock server, for request verification ({@code wireMock().verify(...)}). */
    public WireMockServer wireMock() {
        return server;
    }

    @Override
    public void close() {
        server.stop();
    }

    /** A collection or searchset as a transaction that stores its resources: PUT with an id, POST without. */
    private static Bundle asTransaction(Bundle bundle) {
        Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        for (Bundle.BundleEntryComponent e : bundle.getEntry()) {
            if (e.getResource() == null || e.getSearch().getMode() == Bundle.SearchEntryMode.OUTCOME) {
                continue;
            }
            Resource r = e.getResource();
            boolean hasId = r.getIdElement().hasIdPart();
            tx.addEntry().setFullUrl(e.getFullUrl()).setResource(r).getRequest()
                    .setMethod(hasId ? Bundle.HTTPVerb.PUT : Bundle.HTTPVerb.POST)
                    .setUrl(hasId ? r.fhirType() + "/" + r.getIdElement().getIdPart() : r.fhirType());
        }
        return tx;
    }

    private static String type(String resourceType) {
        Objects.requireNonNull(resourceType, "resourceType");
        if (!resourceType.equals(ANY_TYPE) && !FHIR.getResourceTypes().contains(resourceType)) {
            throw new IllegalArgumentException("Not a FHIR R4 resource type: " + resourceType);
        }
        return resourceType;
    }
}
