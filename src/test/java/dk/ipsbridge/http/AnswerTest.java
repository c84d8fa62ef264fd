package dk.ipsbridge.http;

import static dk.ipsbridge.http.Answer.Call.READ;
import static dk.ipsbridge.http.Answer.Call.WITHDRAW;
import static dk.ipsbridge.http.Answer.Call.WRITE;
import static dk.ipsbridge.http.Answer.Meaning.BAD_INPUT;
import static dk.ipsbridge.http.Answer.Meaning.DELIVERED;
import static dk.ipsbridge.http.Answer.Meaning.REBASE;
import static dk.ipsbridge.http.Answer.Meaning.REFUSED;
import static dk.ipsbridge.http.Answer.Meaning.RETRY_AFTER;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The status table, one row each: what an HTTP answer means for the EHR and the jobcenters' case API. */
class AnswerTest {

    private static final String UNKNOWN_CASE = "{\"type\":\"https://ipsbridge.dk/problems/unknown-case\","
            + "\"title\":\"Unknown case\",\"status\":404}";
    private static final String CONFLICT = "{\"type\":\"about:blank\",\"title\":\"Revision conflict\","
            + "\"status\":409,\"currentRevision\":7}";
    private static final String INVALID = "{\"type\":\"about:blank\",\"title\":\"Record invalid\",\"status\":422}";

    static Stream<Arguments> rows() {
        return Stream.of(
                // 2xx: done, whatever the call
                row("200 to a case record is delivered", WRITE, 200, null, DELIVERED),
                row("201 to a case record is delivered", WRITE, 201, null, DELIVERED),
                row("202 to a withdrawal is delivered", WITHDRAW, 202, null, DELIVERED),
                row("200 to a read is delivered", READ, 200, null, DELIVERED),
                row("204 is delivered", WRITE, 204, null, DELIVERED),
                // 404: only the case API's unknown-case problem completes a withdrawal
                row("404 unknown-case to a withdrawal is delivered", WITHDRAW, 404, UNKNOWN_CASE, DELIVERED),
                row("404 without a body to a withdrawal is refused", WITHDRAW, 404, null, REFUSED),
                row("404 HTML to a withdrawal is refused", WITHDRAW, 404, "<html>Not Found</html>", REFUSED),
                row("404 about:blank to a withdrawal is refused", WITHDRAW, 404, "{\"type\":\"about:blank\"}",
                        REFUSED),
                row("404 unknown-case to a case record is refused", WRITE, 404, UNKNOWN_CASE, REFUSED),
                row("404 to a read is refused", READ, 404, UNKNOWN_CASE, REFUSED),
                // 409: the case API's revision conflict, only for a case record
                row("409 to a case record is a rebase", WRITE, 409, CONFLICT, REBASE),
                row("409 without a problem to a case record is a rebase", WRITE, 409, null, REBASE),
                row("409 to a withdrawal is refused", WITHDRAW, 409, CONFLICT, REFUSED),
                row("409 to a read is refused", READ, 409, CONFLICT, REFUSED),
                // retry later
                row("429 is retry after", WRITE, 429, null, RETRY_AFTER),
                row("500 is retry after", WRITE, 500, null, RETRY_AFTER),
                row("502 is retry after", READ, 502, null, RETRY_AFTER),
                row("503 is retry after", WITHDRAW, 503, null, RETRY_AFTER),
                row("504 is retry after", WRITE, 504, null, RETRY_AFTER),
                row("599 is retry after", WRITE, 599, null, RETRY_AFTER),
                row("a status above 599 is retry after, as 5xx always was", WRITE, 600, null, RETRY_AFTER),
                // other 4xx: the server refused the request
                row("400 is refused", WRITE, 400, INVALID, REFUSED),
                row("401 is refused", WRITE, 401, null, REFUSED),
                row("403 is refused", WITHDRAW, 403, null, REFUSED),
                row("410 to a read is refused", READ, 410, null, REFUSED),
                row("412 to an EHR update is refused", WRITE, 412, null, REFUSED),
                row("422 is refused", WRITE, 422, INVALID, REFUSED),
                row("499 is refused", READ, 499, null, REFUSED),
                // outside the protocol
                row("301 is bad input: redirects are never followed", READ, 301, null, BAD_INPUT),
                row("302 is bad input", WRITE, 302, null, BAD_INPUT),
                row("304 is bad input", READ, 304, null, BAD_INPUT),
                row("100 is bad input", WRITE, 100, null, BAD_INPUT),
                row("199 is bad input", WRITE, 199, null, BAD_INPUT));
    }

    private static Arguments row(String name, Answer.Call call, int status, String body, Answer.Meaning meaning) {
        return Arguments.of(name, call, status, body, meaning);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void shouldMeanWhatTheStatusTableSays(String name, Answer.Call call, int status, String body,
            Answer.Meaning meaning) {
        Answer answer = Answer.of(call, status, null, body);

        assertThat(answer.meaning()).as(name).isEqualTo(meaning);
        assertThat(answer.status()).isEqualTo(status);
    }

    @Test
    void shouldCarryTheRevisionTheJobcenterHoldsForARebase() {
        assertThat(Answer.of(WRITE, 409, null, CONFLICT).currentRevision()).isEqualTo(7);
        assertThat(Answer.of(WRITE, 409, null, "{\"currentRevision\":\"12\"}").currentRevision()).isEqualTo(12);
        assertThat(Answer.of(WRITE, 409, null, null).currentRevision()).isZero();
        assertThat(Answer.of(WRITE, 409, null, "not json").currentRevision()).isZero();
        assertThat(Answer.of(WRITE, 409, null, "[7]").currentRevision()).isZero();
    }

    @Test
    void shouldCarryTheRetryAfterAskedForInSecondsOrAsADateUncapped() {
        assertThat(Answer.of(WRITE, 429, "120", null).retryAfter()).isEqualTo(Duration.ofSeconds(120));
        assertThat(Answer.of(WRITE, 503, "99999999", null).retryAfter()).isEqualTo(Duration.ofSeconds(99999999));
        String inAnHour = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusHours(1));
        assertThat(Answer.of(WRITE, 503, inAnHour, null).retryAfter()).isBetween(Duration.ofMinutes(58),
                Duration.ofMinutes(60));
        assertThat(Answer.of(WRITE, 503, null, null).retryAfter()).isNull();
        assertThat(Answer.of(WRITE, 503, "soon", null).retryAfter()).isNull();
        assertThat(Answer.of(WRITE, 503, "-5", null).retryAfter()).isNull();
        assertThat(Answer.of(WRITE, 400, "120", null).retryAfter()).isNull();
    }

    @Test
    void shouldKeepTheProblemsTitleShortAndNothingElseOfTheBody() {
        assertThat(Answer.of(WRITE, 422, null, INVALID).problemTitle()).isEqualTo("Record invalid");
        assertThat(Answer.of(WRITE, 422, null, "{\"title\":\"" + "t".repeat(500) + "\"}").problemTitle())
                .hasSize(120);
        assertThat(Answer.of(WRITE, 422, null, "<html>0404904004</html>").problemTitle()).isEmpty();
        assertThat(Answer.of(WRITE, 422, null, "{\"title\":1,\"title\":2}").problemTitle()).isEmpty();
        assertThat(Answer.of(WRITE, 200, null, INVALID).problemTitle()).isEmpty();
    }
}
