package dk.ipsbridge.testkit.jobcenter;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dk.ipsbridge.testkit.fault.InjectedFault;

/**
 * The state of one {@link MockJobcenter} and the case API's rules over it. Every method on the state is synchronized:
 * the WireMock threads and the test thread use it at once. Request listeners are called outside the lock.
 */
final class CaseBook {

    private static final String CURSOR_PREFIX = "outcomes:";

    private final TreeMap<String, CaseState> cases = new TreeMap<>();
    private final List<JsonNode> outcomes = new ArrayList<>();
    private final List<MockJobcenter.ReceivedRequest> requests = new ArrayList<>();
    private final List<Consumer<MockJobcenter.ReceivedRequest>> listeners = new CopyOnWriteArrayList<>();
    private InjectedFault fault;
    private int faultRemaining;
    private Duration latency = Duration.ZERO;
    private MockJobcenter.UnknownCaseAnswer unknownCaseAnswer = MockJobcenter.UnknownCaseAnswer.CONTRACT;
    private MockJobcenter.CaseListing caseListing = MockJobcenter.CaseListing.OFFERED;

    /** What a PUT did; {@code body} is what to answer with. */
    record PutResult(int status, JsonNode body, Integer currentRevision) {
    }

    void received(MockJobcenter.ReceivedRequest request) {
        synchronized (this) {
            requests.add(request);
        }
        listeners.forEach(listener -> listener.accept(request));
    }

    void onRequest(Consumer<MockJobcenter.ReceivedRequest> listener) {
        listeners.add(listener);
    }

    synchronized List<MockJobcenter.ReceivedRequest> requests() {
        return List.copyOf(requests);
    }

    /** Arms {@code fault} for the next {@code times} requests, or until cleared when {@code times} is negative. */
    synchronized void fail(InjectedFault newFault, int times) {
        fault = newFault;
        faultRemaining = times;
    }

    /** The fault to answer this request with, if any; consumes one use of a limited fault. */
    synchronized Optional<InjectedFault> takeFault() {
        if (fault == null || faultRemaining == 0) {
            return Optional.empty();
        }
        if (faultRemaining > 0) {
            faultRemaining--;
        }
        return Optional.of(fault);
    }

    synchronized void latency(Duration newLatency) {
        if (newLatency.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative");
        }
        latency = newLatency;
    }

    synchronized Duration latency() {
        return latency;
    }

    synchronized void clearFaults() {
        fault = null;
        faultRemaining = 0;
        latency = Duration.ZERO;
        unknownCaseAnswer = MockJobcenter.UnknownCaseAnswer.CONTRACT;
    }

    synchronized void unknownCaseAnswer(MockJobcenter.UnknownCaseAnswer answer) {
        unknownCaseAnswer = answer;
    }

    synchronized MockJobcenter.UnknownCaseAnswer unknownCaseAnswer() {
        return unknownCaseAnswer;
    }

    synchronized void caseListing(MockJobcenter.CaseListing listing) {
        caseListing = listing;
    }

    synchronized MockJobcenter.CaseListing caseListing() {
        return caseListing;
    }

    /** The revision rules of {@code PUT /cases/{caseId}}, for a record that is already valid. */
    synchronized PutResult put(String caseId, JsonNode record) {
        int revision = record.get("revision").asInt();
        CaseState state = cases.get(caseId);
        if (state == null) {
            state = new CaseState();
            cases.put(caseId, state);
            state.accept(record, revision);
            return new PutResult(201, record.deepCopy(), null);
        }
        if (state.withdrawal != null) {
            if (revision > state.revision) {
                // the sender shares again (a new consent): the case is open again, as a new record
                state.withdrawal = null;
                state.accept(record, revision);
                return new PutResult(201, record.deepCopy(), null);
            }
            return new PutResult(409, null, state.revision);
        }
        if (revision > state.revision) {
            state.accept(record, revision);
            return new PutResult(200, record.deepCopy(), null);
        }
        if (revision == state.revision) {
            return new PutResult(200, state.record.deepCopy(), null);
        }
        return new PutResult(409, null, state.revision);
    }

    /**
     * The case summaries of {@code GET /cases} after {@code after} (null from the start), in case id order: withdrawn
     * cases too, without {@code status} (their record is erased).
     */
    synchronized List<JsonNode> list(String after, int limit) {
        List<JsonNode> items = new ArrayList<>();
        Map<String, CaseState> from = after == null ? cases : cases.tailMap(after, false);
        for (Map.Entry<String, CaseState> e : from.entrySet()) {
            if (items.size() == limit) {
                break;
            }
            CaseState state = e.getValue();
            ObjectNode item = JsonNodeFactory.instance.objectNode();
            item.put("caseId", e.getKey());
            item.put("revision", state.revision);
            if (state.record != null) {
                item.set("status", state.record.get("status"));
            }
            item.put("withdrawn", state.withdrawal != null);
            items.add(item);
        }
        return items;
    }

    /** The stored record, or the withdrawal (then {@code withdrawn}), or empty for an unknown case. */
    synchronized Optional<CaseView> get(String caseId) {
        CaseState state = cases.get(caseId);
        if (state == null) {
            return Optional.empty();
        }
        return Optional.of(state.withdrawal != null ? new CaseView(state.withdrawal.deepCopy(), true, state.revision)
                : new CaseView(state.record.deepCopy(), false, state.revision));
    }

    /** What {@code GET /cases/{caseId}} shows: the record or the withdrawal, and the stored revision. */
    record CaseView(JsonNode body, boolean withdrawn, int revision) {
    }

    /** False for an unknown case; a repeated withdrawal keeps the first. */
    synchronized boolean withdraw(String caseId, JsonNode withdrawal) {
        CaseState state = cases.get(caseId);
        if (state == null) {
            return false;
        }
        if (state.withdrawal == null) {
            state.withdrawal = withdrawal.deepCopy();
            // the jobcenter must erase what it received; only the withdrawal and the revision number stay
            state.record = null;
        }
        return true;
    }

    synchronized void addOutcome(JsonNode event) {
        String eventId = event.get("eventId").asText();
        if (outcomes.stream().anyMatch(o -> o.get("eventId").asText().equals(eventId))) {
            throw new IllegalArgumentException("Outcome event " + eventId + " exists already");
        }
        outcomes.add(event.deepCopy());
    }

    /** The outcome event with this id, if recorded (a copy). */
    synchronized Optional<JsonNode> outcome(String eventId) {
        return outcomes.stream().filter(o -> o.get("eventId").asText().equals(eventId)).findFirst()
                .map(JsonNode::deepCopy);
    }

    synchronized int outcomeCount() {
        return outcomes.size();
    }

    /** A page of outcomes after {@code cursor} (null from the start). */
    synchronized OutcomePage outcomes(String cursor, int limit) {
        int from = cursor == null ? 0 : position(cursor);
        List<JsonNode> items = new ArrayList<>();
        for (int i = from; i < outcomes.size() && items.size() < limit; i++) {
            items.add(outcomes.get(i).deepCopy());
        }
        String next = items.isEmpty() && cursor != null ? cursor : cursor(from + items.size());
        return new OutcomePage(items, next);
    }

    record OutcomePage(List<JsonNode> items, String nextCursor) {
    }

    synchronized Map<String, JsonNode> currentRecords() {
        Map<String, JsonNode> result = new LinkedHashMap<>();
        cases.forEach((id, state) -> {
            if (state.record != null) {
                result.put(id, state.record.deepCopy());
            }
        });
        return result;
    }

    synchronized Map<String, JsonNode> withdrawals() {
        Map<String, JsonNode> result = new LinkedHashMap<>();
        cases.forEach((id, state) -> {
            if (state.withdrawal != null) {
                result.put(id, state.withdrawal.deepCopy());
            }
        });
        return result;
    }

    synchronized List<Integer> revisions(String caseId) {
        CaseState state = cases.get(caseId);
        return state == null ? List.of() : List.copyOf(state.revisions);
    }

    synchronized List<String> statuses(String caseId) {
        CaseState state = cases.get(caseId);
        return state == null ? List.of() : List.copyOf(state.statuses);
    }

    synchronized void forget(String caseId) {
        cases.remove(caseId);
    }

    synchronized void reset() {
        cases.clear();
        outcomes.clear();
        requests.clear();
        clearFaults();
        caseListing = MockJobcenter.CaseListing.OFFERED;
    }

    /** Opaque to clients; a malformed cursor is {@link IllegalArgumentException}. */
    private int position(String cursor) {
        String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        if (!decoded.startsWith(CURSOR_PREFIX)) {
            throw new IllegalArgumentException("Not a cursor of this API");
        }
        int position = Integer.parseInt(decoded.substring(CURSOR_PREFIX.length()));
        if (position < 0 || position > outcomes.size()) {
            throw new IllegalArgumentException("Cursor out of range");
        }
        return position;
    }

    private static String cursor(int position) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((CURSOR_PREFIX + position).getBytes(StandardCharsets.UTF_8));
    }

    private static final class CaseState {
        private JsonNode record;
        private JsonNode withdrawal;
        private int revision;
        private final List<Integer> revisions = new ArrayList<>();
        private final List<String> statuses = new ArrayList<>();

        private void accept(JsonNode newRecord, int newRevision) {
            record = newRecord.deepCopy();
            revision = newRevision;
            revisions.add(newRevision);
            statuses.add(newRecord.get("status").asText());
        }
    }
}
