package dk.ipsbridge.testkit.jobcenter;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dk.ipsbridge.testkit.fault.InjectedFault;
import dk.ipsbridge.testkit.fhir.IpsContract;
import dk.ipsbridge.testkit.oauth.BearerGate;
import dk.ipsbridge.testkit.oauth.MockTokenEndpoint;
import dk.ipsbridge.testkit.tls.ServerTls;

/**
 * A simulated municipal jobcenter: the case API of {@code jobcenter-case-api.yaml} (1.1.0) on WireMock at
 * {@code http://localhost:<port>/api/ips/v1}, stateful, with the contract's rules.
 *
 * <ul>
 *   <li>{@code PUT /cases/{caseId}}: 400 (problem+json) for a bad case id or a body that breaks the
 *       {@code IpsCaseRecord} schema (1.1: {@code givenName} optional, {@code status: ended},
 *       {@code referral.programme}), 422 for a body {@code caseId} that differs from the path; then by revision: new
 *       201, higher 200 (stored), equal 200 with the stored record, lower 409 with {@code currentRevision}. A
 *       withdrawn case reopens (201) with a revision higher than its last one; a lower or equal one answers 409. An
 *       ended case is still held: a higher revision is an update (200).</li>
 *   <li>{@code GET /cases/{caseId}}: 200 with the record and {@code ETag: "<revision>"}, 410 with the Withdrawal, or
 *       404 with the problem type {@link IpsContract#UNKNOWN_CASE_PROBLEM}.</li>
 *   <li>{@code POST /cases/{caseId}/withdrawal}: 400 for a body that breaks the {@code Withdrawal} schema, 404 with
 *       the unknown-case problem for a case it does not hold, else 202 (again 202 when repeated, keeping the first);
 *       the record is erased.</li>
 *   <li>{@code GET /cases?after=&limit=}: the optional listing, in case id order, withdrawn cases included; or "not
 *       offered" ({@link #caseListing}).</li>
 *   <li>{@code GET /outcomes?after=&limit=}: the events of {@link #addOutcome}, oldest first, with an opaque cursor.</li>
 * </ul>
 *
 * <p>Besides the API it offers what a test or the demo page asks of a jobcenter: what it holds, what it was sent
 * (every request, rejected ones too), and whether a CPR number reached it; and faults ({@link InjectedFault}: a
 * status such as 429 with a given {@code Retry-After} or 503, a bare status without a body, a malformed body, a
 * connection reset) for the next requests or until cleared, other answers to an unknown case
 * ({@link #unknownCaseAnswer}), and latency on every answer. Thread-safe.
 */
public final class MockJobcenter implements AutoCloseable {

    /** The path of the API base. */
    public static final String BASE_PATH = "/api/ips/v1";

    /** The code {@link #categoriesReceived(String)} gives for the identity every record carries. */
    public static final String IDENTITY = "identity";

    /** A CPR number written as 10 digits or as {@code DDMMYY-SSSS}, not part of a longer number. */
    private static final Pattern CPR_LIKE = Pattern.compile("(?<![0-9])([0-9]{6})-?([0-9]{4})(?![0-9])");

    private final String id;
    private final String name;
    private final CaseBook book = new CaseBook();
    private final WireMockServer server;
    private final BearerGate gate = new BearerGate();
    private final boolean https;
    private int generatedEventIds;

    /**
     * One request as received.
     *
     * @param method HTTP method
     * @param url    path and query, as sent
     * @param body   the body, empty when none
     * @param status the status the mock answered, injected faults included; 0 for a reset connection
     */
    public record ReceivedRequest(String method, String url, String body, int status) {

        /** Whether the jobcenter accepted it (2xx). */
        public boolean accepted() {
            return status >= 200 && status < 300;
        }
    }

    /** How the jobcenter answers a request about a case it does not hold ({@code GET}, withdrawal). */
    public enum UnknownCaseAnswer {
        /** 404 problem+json with the type {@link IpsContract#UNKNOWN_CASE_PROBLEM}: a withdrawal is complete. */
        CONTRACT,
        /** 404 without a body, as a wrong base URL or a proxy answers: an error to the sender. */
        BARE,
        /** 404 problem+json with the type {@code about:blank}, as a 1.0 jobcenter answered: an error to the sender. */
        UNTYPED_PROBLEM
    }

    /** Whether this jobcenter offers the optional {@code GET /cases} listing. */
    public enum CaseListing {
        /** 200 with the case summaries. */
        OFFERED,
        /** 404 (problem+json): not offered. */
        NOT_FOUND,
        /** 501 (problem+json): not offered. */
        NOT_IMPLEMENTED
    }

    /** Starts a mock jobcenter on a free port. */
    public MockJobcenter(String id, String name) {
        this(id, name, 0);
    }

    /**
     * Starts a mock jobcenter.
     *
     * @param id   the id the adapter's configuration knows it by, such as {@code jobcenter-a}
     * @param name a display name, such as {@code Jobcenter Aarhus}
     * @param port the port, 0 for a free one
     */
    public MockJobcenter(String id, String name, int port) {
        this(id, name, port == 0 ? options().dynamicPort() : options().port(port), false);
    }

    /**
     * Starts a mock jobcenter on a free port that serves HTTPS only, with the server certificate of {@code tls} and,
     * when it says so, only to clients with a certificate its trust store accepts (mutual TLS): a client without one
     * fails in the TLS handshake.
     */
    public MockJobcenter(String id, String name, ServerTls tls) {
        this(id, name, tls.apply(options(), 0), true);
    }

    private MockJobcenter(String id, String name, WireMockConfiguration config, boolean https) {
        this.id = Objects.requireNonNull(id, "id");
        this.name = Objects.requireNonNull(name, "name");
        this.https = https;
        server = new WireMockServer(config.bindAddress("localhost").maxRequestJournalEntries(10_000)
                .extensions(new CaseApiEndpoint(book), gate));
        server.stubFor(any(anyUrl()).willReturn(aResponse().withTransformers(CaseApiEndpoint.NAME)));
        server.start();
    }

    public String id() {
        return id;
    }

    public String name() {
        return name;
    }

    /** {@code http://localhost:<port>/api/ips/v1}, or {@code https://} when it serves HTTPS. */
    public String baseUrl() {
        return (https ? "https" : "http") + "://localhost:" + port() + BASE_PATH;
    }

    public int port() {
        return https ? server.httpsPort() : server.port();
    }

    // ---- bearer tokens ----

    /**
     * From now on every request needs {@code Authorization: Bearer} with a token {@code tokens} issued and that has
     * not expired ({@link MockTokenEndpoint#accepts}); any other is answered 401 before the case API sees it, so it
     * is not in {@link #requests()} but counted in {@link #refusedTokens()}.
     */
    public MockJobcenter requireTokensFrom(MockTokenEndpoint tokens) {
        gate.require(tokens::accepts);
        return this;
    }

    /** How many requests were answered 401 for a missing, unknown or expired token. */
    public int refusedTokens() {
        return gate.refused();
    }

    // ---- outcomes the jobcenter records ----

    /**
     * Records an employment outcome for {@code GET /outcomes}.
     *
     * @param type an {@code OutcomeEvent.type}, such as {@code job-started}
     * @return the generated event id
     */
    public String addOutcome(String caseId, String cpr, String type, LocalDate occurredOn) {
        String eventId;
        synchronized (this) {
            eventId = id + "-evt-" + ++generatedEventIds;
        }
        return addOutcome(eventId, caseId, cpr, type, occurredOn, null);
    }

    /** As {@link #addOutcome(String, String, String, LocalDate)} with the event id and, if not null, hours per week. */
    public String addOutcome(String eventId, String caseId, String cpr, String type, LocalDate occurredOn,
            Double hoursPerWeek) {
        ObjectNode event = CaseApiEndpoint.JSON.createObjectNode();
        event.put("eventId", eventId);
        event.put("caseId", caseId);
        event.put("cpr", cpr);
        event.put("type", type);
        event.put("occurredOn", occurredOn.toString());
        if (hoursPerWeek != null) {
            event.put("hoursPerWeek", hoursPerWeek);
        }
        return addOutcome(event);
    }

    /**
     * Records a {@code retracted} event that takes back {@code retractedEventId} (same case and CPR).
     *
     * @return the generated event id
     * @throws IllegalArgumentException when no event has that id
     */
    public String retractOutcome(String retractedEventId, LocalDate occurredOn) {
        JsonNode retracted = book.outcome(retractedEventId).orElseThrow(() -> new IllegalArgumentException(
                "No outcome event " + retractedEventId));
        ObjectNode event = CaseApiEndpoint.JSON.createObjectNode();
        synchronized (this) {
            event.put("eventId", id + "-evt-" + ++generatedEventIds);
        }
        event.set("caseId", retracted.get("caseId"));
        event.set("cpr", retracted.get("cpr"));
        event.put("type", "retracted");
        event.put("occurredOn", occurredOn.toString());
        event.put("retractsEventId", retractedEventId);
        return addOutcome(event);
    }

    /**
     * Records an {@code OutcomeEvent} as given.
     *
     * @throws IllegalArgumentException when it breaks the schema or its event id is taken
     */
    public String addOutcome(JsonNode event) {
        List<String> problems = CaseApiSchema.problems("OutcomeEvent", event);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Not a valid OutcomeEvent: " + problems);
        }
        book.addOutcome(event);
        return event.get("eventId").asText();
    }

    // ---- fault injection ----

    /**
     * The next {@code times} requests, whatever they are, answer {@code status} with a problem (429 and 503 with
     * {@code Retry-After: 1}) and change nothing; they are still in {@link #requests()}.
     */
    public void failNext(int status, int times) {
        failNext(InjectedFault.status(status), times);
    }

    /**
     * The next {@code times} requests, whatever they are, get {@code fault} instead of their answer and change nothing
     * (a malformed body is a 200 {@code application/json} that is not JSON); they are still in {@link #requests()},
     * a reset one with status 0. It replaces the fault before.
     */
    public void failNext(InjectedFault fault, int times) {
        if (times < 1) {
            throw new IllegalArgumentException("times must be at least 1");
        }
        book.fail(Objects.requireNonNull(fault, "fault"), times);
    }

    /** As {@link #failNext(InjectedFault, int)}, for every request until {@link #clearFaults()}. */
    public void failWith(InjectedFault fault) {
        book.fail(Objects.requireNonNull(fault, "fault"), -1);
    }

    /** Every answer, faults included, comes {@code latency} late, until {@link #clearFaults()}. */
    public MockJobcenter withLatency(Duration latency) {
        book.latency(Objects.requireNonNull(latency, "latency"));
        return this;
    }

    /**
     * How requests about a case the jobcenter does not hold are answered from now until {@link #clearFaults()}: the
     * contract's typed 404 ({@link UnknownCaseAnswer#CONTRACT}, the default), a bare 404, or a 404 of another type.
     * With {@link #forget} it makes a withdrawal meet each kind of 404.
     */
    public MockJobcenter unknownCaseAnswer(UnknownCaseAnswer answer) {
        book.unknownCaseAnswer(Objects.requireNonNull(answer, "answer"));
        return this;
    }

    /** Whether {@code GET /cases} is offered ({@link CaseListing#OFFERED}, the default), until {@link #reset()}. */
    public MockJobcenter caseListing(CaseListing listing) {
        book.caseListing(Objects.requireNonNull(listing, "listing"));
        return this;
    }

    /** Stops the injected fault, the latency and another {@link #unknownCaseAnswer}. */
    public void clearFaults() {
        book.clearFaults();
    }

    /** Loses a case, record, withdrawal and revisions, as a jobcenter restored from an older backup would. */
    public void forget(String caseId) {
        book.forget(caseId);
    }

    // ---- what the jobcenter holds and received ----

    /** The current records by case id (withdrawn cases have none); copies. */
    public Map<String, JsonNode> cases() {
        return book.currentRecords();
    }

    /** The current record whose {@code citizen.cpr} is {@code cpr}. */
    public Optional<JsonNode> caseFor(String cpr) {
        return book.currentRecords().values().stream()
                .filter(r -> cpr.equals(r.path("citizen").path("cpr").asText(null)))
                .findFirst();
    }

    /** The revisions accepted for a case, in order (the numbers stay after a withdrawal; the records do not). */
    public List<Integer> revisions(String caseId) {
        return book.revisions(caseId);
    }

    /**
     * The {@code status} of each revision accepted for a case, in order ({@code referred}, {@code active},
     * {@code ended}); they stay after a withdrawal, as the revisions do. A sender that keeps to the contract sends
     * nothing after {@code ended} unless a new course begins.
     */
    public List<String> statuses(String caseId) {
        return book.statuses(caseId);
    }

    /** The Withdrawal of every case that is withdrawn now, by case id. */
    public Map<String, JsonNode> withdrawals() {
        return book.withdrawals();
    }

    /**
     * Calls {@code listener} with every request as it is received (after it is recorded, before the answer is sent),
     * on the server's thread: for a load test that times arrivals. It must be quick and thread-safe.
     */
    public MockJobcenter onRequest(Consumer<ReceivedRequest> listener) {
        book.onRequest(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /** Every request received, in order, rejected and fault-injected ones included. */
    public List<ReceivedRequest> requests() {
        return book.requests();
    }

    /**
     * Every CPR-like number (10 digits, or {@code DDMMYY-SSSS}) in the URL or body of any request received, as 10
     * digits: what reached the jobcenter, whatever the field, also a CPR smuggled into a case id.
     */
    public Set<String> receivedCprs() {
        Set<String> cprs = new TreeSet<>();
        for (ReceivedRequest r : book.requests()) {
            collectCprs(URLDecoder.decode(r.url().replace("+", "%2B"), StandardCharsets.UTF_8), cprs);
            collectCprs(r.body(), cprs);
        }
        return cprs;
    }

    /**
     * The data categories whose fields the current record of {@code caseId} holds, as their codes, plus
     * {@link #IDENTITY}; empty when there is no current record. {@code outcomes} never shows: no record field
     * carries it.
     */
    public Set<String> categoriesReceived(String caseId) {
        JsonNode record = book.currentRecords().get(caseId);
        Set<String> categories = new LinkedHashSet<>();
        if (record == null) {
            return categories;
        }
        categories.add(IDENTITY);
        JsonNode citizen = record.path("citizen");
        if (citizen.has("phone") || citizen.has("email") || citizen.has("address")) {
            categories.add("contact");
        }
        if (record.has("referral")) {
            categories.add("referral");
        }
        if (record.has("treatmentTeam")) {
            categories.add("care-team");
        }
        if (record.has("treatmentConferences")) {
            categories.add("conferences");
        }
        if (record.has("employmentGoal")) {
            categories.add("employment-goal");
        }
        if (record.has("diagnoses")) {
            categories.add("diagnosis");
        }
        return categories;
    }

    /**
     * Fails when the jobcenter holds a current record for {@code cpr}; the message names the case id, never the CPR.
     */
    public void assertNoRecordFor(String cpr) {
        book.currentRecords().forEach((caseId, record) -> {
            if (cpr.equals(record.path("citizen").path("cpr").asText(null))) {
                throw new AssertionError(name + " (" + id + ") holds a record for the citizen: case " + caseId);
            }
        });
    }

    /** Forgets every case, withdrawal, outcome, request and fault, and offers the case listing again. */
    public void reset() {
        book.reset();
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

    @Override
    public String toString() {
        return name + " (" + id + ") at " + baseUrl();
    }

    private static void collectCprs(String text, Set<String> into) {
        if (text == null) {
            return;
        }
        Matcher m = CPR_LIKE.matcher(text);
        while (m.find()) {
            into.add(m.group(1) + m.group(2));
        }
    }
}
