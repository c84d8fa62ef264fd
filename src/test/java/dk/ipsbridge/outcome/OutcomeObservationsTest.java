package dk.ipsbridge.outcome;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;

import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;

/** C16: an outcome's Observation is identified per jobcenter, and its conditional create finds exactly that one. */
class OutcomeObservationsTest {

    private static final OutcomeEvent EVENT = new OutcomeEvent("evt-7", "ipsabcdef", "0404904004", "job-started",
            LocalDate.of(2026, 11, 30), 37.0, "ordinary", null);

    @Test
    void shouldIdentifyTheObservationByJobcenterAndEventId() {
        Observation observation = OutcomeObservations.toObservation("jobcenter-a", EVENT, "Patient/p1");

        assertThat(observation.getIdentifierFirstRep().getSystem())
                .isEqualTo("http://ipsbridge.dk/fhir/sid/jobcenter-event");
        assertThat(observation.getIdentifierFirstRep().getValue()).isEqualTo("jobcenter-a:evt-7");
        assertThat(OutcomeObservations.toObservation("jobcenter-b", EVENT, "Patient/p1").getIdentifierFirstRep()
                .getValue()).isEqualTo("jobcenter-b:evt-7");
    }

    @Test
    void shouldUrlEncodeTheConditionalCreateCriteriaIntoOneIdentifierParameter() {
        String criteria = OutcomeObservations.ifNoneExist("jobcenter-a", "evt-7");

        assertThat(criteria).startsWith("identifier=").doesNotContain("|").doesNotContain("/").containsOnlyOnce("=")
                .doesNotContain("&");
        assertThat(URLDecoder.decode(criteria.substring("identifier=".length()), StandardCharsets.UTF_8))
                .isEqualTo("http://ipsbridge.dk/fhir/sid/jobcenter-event|jobcenter-a:evt-7");
    }

    @Test
    void shouldEscapeFhirSearchCharactersInTheValue() {
        // event ids cannot hold these (the pattern refuses them); the criteria stay one token even if they did
        String criteria = OutcomeObservations.ifNoneExist("jobcenter-a", "a,b|c$d&identifier=x\r\n");

        assertThat(criteria).doesNotContain("&").doesNotContain("\r").doesNotContain("\n").containsOnlyOnce("=");
        assertThat(URLDecoder.decode(criteria.substring("identifier=".length()), StandardCharsets.UTF_8))
                .isEqualTo("http://ipsbridge.dk/fhir/sid/jobcenter-event|jobcenter-a:a\\,b\\|c\\$d&identifier=x\r\n");
    }
}
