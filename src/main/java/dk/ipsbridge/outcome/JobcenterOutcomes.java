package dk.ipsbridge.outcome;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.ipsbridge.config.IpsProperties.Jobcenter;
import dk.ipsbridge.failure.BadInputException;
import dk.ipsbridge.http.BoundedHttp;
import dk.ipsbridge.http.ExternalJson;
import dk.ipsbridge.patient.Cpr;
import org.springframework.stereotype.Component;

/** Reads a jobcenter's outcomes feed ({@code GET /outcomes?after=&limit=}), one page at a time, size-limited. */
@Component
class JobcenterOutcomes {

    private final BoundedHttp http;
    private final ObjectMapper json = ExternalJson.mapper();

    JobcenterOutcomes(BoundedHttp http) {
        this.http = http;
    }

    /**
     * An item that breaks the contract; {@code json} is kept for the operator, never logged.
     *
     * @param eventId the item's event id when it matches the contract's pattern, else null: an id that does not may
     *                hold anything (line breaks, query syntax, a CPR) and is never repeated
     */
    record BadItem(String eventId, String problem, String json) {
    }

    /** An event and its JSON as received, kept for a replay should handling it fail. */
    record Received(OutcomeEvent event, String json) {
    }

    /** A page of events, the items that broke the contract, and the cursor to continue from. */
    record Page(List<Received> events, List<BadItem> bad, String nextCursor) {
    }

    Page fetch(Jobcenter jobcenter, String after, int limit) {
        String query = "limit=" + limit + (after == null ? "" : "&after=" + URLEncoder.encode(after,
                StandardCharsets.UTF_8));
        JsonNode root = read(jobcenter, "outcomes?" + query);
        if (!root.path("items").isArray() || !root.path("nextCursor").isTextual()) {
            throw new BadInputException("malformed-outcomes", "the outcomes page of " + jobcenter.id()
                    + " lacks items or nextCursor", null);
        }
        List<Received> events = new ArrayList<>();
        List<BadItem> bad = new ArrayList<>();
        for (JsonNode item : root.path("items")) {
            String problem = problem(item);
            if (problem == null) {
                events.add(new Received(event(item), item.toString()));
            } else {
                String eventId = item.path("eventId").isTextual() ? item.get("eventId").asText() : null;
                bad.add(new BadItem(OutcomeEvent.isValidEventId(eventId) ? eventId : null, problem, item.toString()));
            }
        }
        return new Page(events, bad, root.get("nextCursor").asText());
    }

    /** An event from its JSON, or an exception naming what is wrong (for a replayed failed record). */
    OutcomeEvent parse(String itemJson) {
        try {
            JsonNode item = json.readTree(itemJson);
            String problem = item == null ? "not JSON" : problem(item);
            if (problem != null) {
                throw new BadInputException("invalid-outcome", problem, null);
            }
            return event(item);
        } catch (JacksonException e) {
            throw new BadInputException("invalid-outcome", "outcome event is not JSON", null);
        }
    }

    private static OutcomeEvent event(JsonNode item) {
        return new OutcomeEvent(item.get("eventId").asText(), item.get("caseId").asText(), item.get("cpr").asText(),
                item.get("type").asText(), LocalDate.parse(item.get("occurredOn").asText()),
                item.hasNonNull("hoursPerWeek") ? item.get("hoursPerWeek").asDouble() : null,
                item.hasNonNull("employmentTerms") ? item.get("employmentTerms").asText() : null,
                OutcomeEvent.RETRACTED.equals(item.get("type").asText()) ? item.get("retractsEventId").asText() : null);
    }

    /** What is wrong with an item by the contract's OutcomeEvent schema, or null; never quotes a value. */
    static String problem(JsonNode item) {
        for (String field : List.of("eventId", "caseId", "cpr", "type", "occurredOn")) {
            if (!item.path(field).isTextual() || item.get(field).asText().isBlank()) {
                return "outcome event lacks " + field;
            }
        }
        if (!OutcomeEvent.isValidEventId(item.get("eventId").asText())) {
            return "outcome event eventId does not match " + OutcomeEvent.EVENT_ID.pattern();
        }
        if (!Cpr.isValid(item.get("cpr").asText())) {
            return "outcome event cpr is not a valid CPR number";
        }
        if (!OutcomeEvent.TYPES.contains(item.get("type").asText())) {
            return "outcome event type is not one of " + new java.util.TreeSet<>(OutcomeEvent.TYPES);
        }
        try {
            LocalDate.parse(item.get("occurredOn").asText());
        } catch (DateTimeParseException e) {
            return "outcome event occurredOn is not a date";
        }
        if (OutcomeEvent.RETRACTED.equals(item.get("type").asText())) {
            JsonNode retracts = item.path("retractsEventId");
            if (!retracts.isTextual() || !OutcomeEvent.isValidEventId(retracts.asText())) {
                return "outcome event retracted lacks a retractsEventId matching " + OutcomeEvent.EVENT_ID.pattern();
            }
            if (retracts.asText().equals(item.get("eventId").asText())) {
                return "outcome event retracted retracts itself";
            }
        }
        JsonNode terms = item.path("employmentTerms");
        if (!terms.isMissingNode() && !terms.isNull() && !OutcomeEvent.TERMS.contains(terms.asText(""))) {
            return "outcome event employmentTerms is not one of " + new java.util.TreeSet<>(OutcomeEvent.TERMS);
        }
        JsonNode hours = item.path("hoursPerWeek");
        if (!hours.isMissingNode() && !hours.isNull() && (!hours.isNumber() || hours.asDouble() < 0
                || hours.asDouble() > 80)) {
            return "outcome event hoursPerWeek is not a number from 0 to 80";
        }
        return null;
    }

    private JsonNode read(Jobcenter jobcenter, String path) {
        String what = "outcomes of " + jobcenter.id();
        BoundedHttp.JsonAnswer answer = http.getJson(jobcenter, path, what);
        if (answer.status() != 200) {
            throw new BadInputException("jobcenter-http-" + answer.status(), what + " answered " + answer.status(),
                    null);
        }
        if (answer.body() == null || !answer.body().isObject()) {
            throw new BadInputException("malformed-outcomes", what + " is not a JSON object", null);
        }
        return answer.body();
    }
}
