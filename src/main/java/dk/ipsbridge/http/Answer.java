package dk.ipsbridge.http;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.ipsbridge.failure.RetryAfter;

/**
 * What an HTTP answer means: the one status table, for the EHR and the jobcenters' case API (contract 1.1.0). Pure:
 * the same status, header and body always mean the same.
 *
 * <table>
 * <caption>status table</caption>
 * <tr><th>answer</th><th>call</th><th>meaning</th></tr>
 * <tr><td>2xx</td><td>any</td><td>{@link Meaning#DELIVERED}</td></tr>
 * <tr><td>404 with the problem type {@value #UNKNOWN_CASE}</td><td>{@link Call#WITHDRAW}</td>
 * <td>{@link Meaning#DELIVERED}: the jobcenter holds no such case, which is the aim</td></tr>
 * <tr><td>409</td><td>{@link Call#WRITE}</td><td>{@link Meaning#REBASE}, with the problem's
 * {@code currentRevision} (0 when absent or unreadable)</td></tr>
 * <tr><td>429, 5xx (and any status above)</td><td>any</td><td>{@link Meaning#RETRY_AFTER}, with the Retry-After asked for (uncapped here;
 * {@code failure.Backoff} caps it)</td></tr>
 * <tr><td>any other 4xx (400, 401, 403, 404, 409 to a read or a withdrawal, 410, 422 ...)</td><td>any</td>
 * <td>{@link Meaning#REFUSED}</td></tr>
 * <tr><td>anything else (1xx, 3xx: redirects are never followed; no HTTP status)</td><td>any</td>
 * <td>{@link Meaning#BAD_INPUT}</td></tr>
 * </table>
 * REFUSED and BAD_INPUT are handled alike today (a failed record for an operator); they differ in who is at fault.
 *
 * @param problemTitle the problem's {@code title}, at most 120 characters, or "" (shown to operators, never logged)
 */
public record Answer(Meaning meaning, int status, Duration retryAfter, long currentRevision, String problemTitle) {

    /** The case API's problem for a case the jobcenter does not hold ({@code POST …/withdrawal}, API 1.1.0). */
    public static final String UNKNOWN_CASE = "https://ipsbridge.dk/problems/unknown-case";

    private static final int TITLE_KEPT = 120;
    private static final ObjectMapper JSON = ExternalJson.mapper();

    /** What an answer means. */
    public enum Meaning {
        /** Done: the request was taken (or, for a withdrawal, there was nothing to withdraw). */
        DELIVERED,
        /** The server is busy or down: try again later, after {@link Answer#retryAfter()} if it asked. */
        RETRY_AFTER,
        /** The jobcenter holds another revision of the case: send above {@link Answer#currentRevision()}. */
        REBASE,
        /** An answer outside the protocol: retrying does not help. */
        BAD_INPUT,
        /** The server refused the request: retrying does not help. */
        REFUSED
    }

    /** What the request was, where the same status means different things. */
    public enum Call {
        /** GET: a search, a read, a case for reconciliation, an outcomes page. */
        READ,
        /** PUT or POST of a resource or a case record ({@code PUT /cases/{caseId}}). */
        WRITE,
        /** {@code POST /cases/{caseId}/withdrawal}. */
        WITHDRAW
    }

    /**
     * The meaning of an answer.
     *
     * @param retryAfter the Retry-After header, or null
     * @param body       the body as text, or null; read only for problem details ({@code type}, {@code title},
     *                   {@code currentRevision})
     */
    public static Answer of(Call call, int status, String retryAfter, String body) {
        if (status >= 200 && status <= 299) {
            return new Answer(Meaning.DELIVERED, status, null, 0, "");
        }
        if (retries(status)) {
            return new Answer(Meaning.RETRY_AFTER, status, RetryAfter.parse(retryAfter), 0, "");
        }
        JsonNode problem = problem(body);
        String title = title(problem);
        if (status == 404 && call == Call.WITHDRAW && UNKNOWN_CASE.equals(problem.path("type").asText(null))) {
            // Any other 404 (no problem body, another type: a wrong base URL, a proxy) is an error (API 1.1.0)
            return new Answer(Meaning.DELIVERED, status, null, 0, title);
        }
        if (status == 409 && call == Call.WRITE) {
            return new Answer(Meaning.REBASE, status, null, problem.path("currentRevision").asLong(0), title);
        }
        if (status >= 400 && status <= 499) {
            return new Answer(Meaning.REFUSED, status, null, 0, title);
        }
        return new Answer(Meaning.BAD_INPUT, status, null, 0, title);
    }

    /** Whether a status means "try again later", whatever the call: the client then reads no body. */
    static boolean retries(int status) {
        return status == 429 || status >= 500;
    }

    private static JsonNode problem(String body) {
        try {
            JsonNode node = body == null || body.isBlank() ? null : JSON.readTree(body);
            return node != null && node.isObject() ? node : JSON.createObjectNode();
        } catch (Exception e) { // not JSON: no problem details
            return JSON.createObjectNode();
        }
    }

    private static String title(JsonNode problem) {
        String title = problem.path("title").asText("");
        return title.length() > TITLE_KEPT ? title.substring(0, TITLE_KEPT) : title;
    }
}
