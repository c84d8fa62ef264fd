package dk.ipsbridge.outcome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dk.ipsbridge.failure.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An outcome event's id must match the contract's pattern; one that does not is refused without ever being repeated
 * in a problem, an exception or a failed record's subject (it may hold line breaks, query syntax or a CPR).
 */
class JobcenterOutcomesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CPR = "0404904004";

    static Stream<String> hostileIds() {
        return Stream.of("evt-1\r\nX-Injected: yes", "evt-2\n", "evt-3&identifier=x", "evt-4|other",
                "evt " + CPR, "cpr=" + CPR + "&x", "e".repeat(65), "", "évt-5", "evt-6%0D%0A");
    }

    @ParameterizedTest
    @MethodSource("hostileIds")
    void shouldRefuseAnEventIdOutsideTheContractsPatternWithoutQuotingIt(String eventId) {
        ObjectNode item = event(eventId);

        String problem = JobcenterOutcomes.problem(item);

        assertThat(problem).isNotNull().doesNotContain(CPR);
        if (!eventId.isBlank()) {
            assertThat(problem).doesNotContain(eventId);
        }
        assertThatThrownBy(() -> new JobcenterOutcomes(null).parse(item.toString()))
                .isInstanceOf(BadInputException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(CPR).doesNotContain("identifier=x")
                        .doesNotContain("\r").doesNotContain("\n"));
        assertThat(OutcomeWriteBack.subject(null, item.toString())).startsWith("outcome item sha256:")
                .doesNotContain(CPR).doesNotContain("\r").doesNotContain("\n").doesNotContain("&");
    }

    @Test
    void shouldAcceptEventIdsOfUpTo64CharactersFromTheContractsAlphabet() {
        assertThat(JobcenterOutcomes.problem(event("e".repeat(64)))).isNull();
        assertThat(JobcenterOutcomes.problem(event("A-z_0.9:x"))).isNull();
        assertThat(JobcenterOutcomes.problem(event("e".repeat(65)))).isNotNull();
    }

    @Test
    void shouldNameAFailedItemByItsJsonWhenItsIdIsInvalidOrShowsADigitRun() {
        String one = event("evt-1\r\n").toString();
        String other = event("evt-2\r\n").toString();

        assertThat(OutcomeWriteBack.subject("evt-ok", "{}")).isEqualTo("outcome evt-ok");
        assertThat(OutcomeWriteBack.subject(null, one)).isNotEqualTo(OutcomeWriteBack.subject(null, other))
                .isEqualTo(OutcomeWriteBack.subject(null, one));
        assertThat(OutcomeWriteBack.subject("evt-" + CPR, "{}")).startsWith("outcome item sha256:")
                .doesNotContain(CPR);
    }

    @Test
    void shouldReadARetractionWithTheEventItTakesBack() {
        ObjectNode item = event("evt-9").put("type", "retracted").put("retractsEventId", "evt-8");

        OutcomeEvent event = new JobcenterOutcomes(null).parse(item.toString());

        assertThat(event.isRetraction()).isTrue();
        assertThat(event.retractsEventId()).isEqualTo("evt-8");
        assertThat(JobcenterOutcomes.problem(event("evt-9").put("type", "retracted"))).isNotNull();
        assertThat(JobcenterOutcomes.problem(event("evt-9").put("type", "retracted")
                .put("retractsEventId", "evt-8&identifier=x"))).isNotNull().doesNotContain("identifier=x");
        assertThat(JobcenterOutcomes.problem(event("evt-9").put("type", "retracted")
                .put("retractsEventId", "evt-9"))).isNotNull();
    }

    @Test
    void shouldAcceptTheOutcomeTypesOfContract11() {
        for (String type : new String[] {"internship-started", "internship-ended"}) {
            assertThat(JobcenterOutcomes.problem(event("evt-1").put("type", type))).as(type).isNull();
        }
    }

    private static ObjectNode event(String eventId) {
        return JSON.createObjectNode().put("eventId", eventId).put("caseId", "ipsabcdef").put("cpr", CPR)
                .put("type", "job-started").put("occurredOn", "2026-11-30");
    }
}
