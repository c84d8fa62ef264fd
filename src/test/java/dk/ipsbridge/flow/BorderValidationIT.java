package dk.ipsbridge.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.ipsbridge.failure.FailedRecords;
import dk.ipsbridge.failure.FailedRecords.FailedRecord;
import dk.ipsbridge.patient.IpsCodes;
import dk.ipsbridge.security.LocalUsers;
import dk.ipsbridge.testkit.cohort.CohortPatient;
import dk.ipsbridge.testkit.cohort.SyntheticCohort;
import dk.ipsbridge.testkit.ehr.MockEhr;
import dk.ipsbridge.testkit.jobcenter.MockJobcenter;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Validation at the border as deployed (the default {@code ips.validation.mode}, enforce), over real HTTP against the
 * synthetic cohort: one patient's IPS consent lacks the LOINC privacy-consent category its profile requires (the gate
 * itself would share on it). That patient gets no case and is in the failed records with the OperationOutcome; every
 * other patient flows on. Once the EHR corrects the consent, the case is delivered and the failed record resolves.
 */
@ExtendWith(ThreadDumpOnFailure.class)
class BorderValidationIT {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void shouldHoldThePatientWhoseConsentFailsItsProfileWithTheOperationOutcomeWhileTheOthersFlow() throws Exception {
        try (CohortRun run = new CohortRun(r -> r.ehr.store(withoutLoincCategory(consentOf(r.ehr, invalid(r)))))) {
            CohortPatient invalid = invalid(run);
            List<CohortPatient> others = run.cohort.patients().stream()
                    .filter(p -> p.expectedShared() && !p.equals(invalid)).toList();
            assertThat(others).isNotEmpty();
            String subject = "review " + invalid.patientReference();

            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                assertThat(others).allSatisfy(p -> assertThat(jobcenter(run, p).caseFor(p.cpr())).isPresent());
                assertThat(reasons(run)).containsEntry(subject, "resource-invalid");
            });
            assertThat(run.jobcenterA.caseFor(invalid.cpr())).as("the invalid patient's case").isEmpty();
            FailedRecord record = open(run, invalid).orElseThrow();
            assertThat(record.message()).startsWith("Consent/").contains(" fails ips-consent: ")
                    .doesNotContain(invalid.cpr());
            OperationOutcome outcome = FHIR.newJsonParser().parseResource(OperationOutcome.class, record.original());
            assertThat(outcome.getIssue()).isNotEmpty()
                    .allSatisfy(i -> assertThat(i.getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR))
                    .anySatisfy(i -> assertThat(i.getDiagnostics()).contains("Consent.category:"));
            String api = failed(run).toString();
            run.cohort.patients().forEach(p -> assertThat(api).doesNotContain(p.cpr()));

            // the EHR corrects the consent: the case is delivered, the failed record resolves by itself
            run.ehr.store(withLoincCategory(consentOf(run.ehr, invalid)));

            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                assertThat(run.jobcenterA.caseFor(invalid.cpr())).as("the corrected patient's case").isPresent();
                assertThat(reasons(run)).doesNotContainKey(subject);
            });
        }
    }

    private static CohortPatient invalid(CohortRun run) {
        return run.cohort.patientsIn(SyntheticCohort.SHARED_WITH_A).get(0);
    }

    private static Consent consentOf(MockEhr ehr, CohortPatient patient) {
        return ehr.resources(Consent.class).stream()
                .filter(c -> c.getPatient().getReference().equals(patient.patientReference()))
                .filter(c -> c.getCategory().stream().anyMatch(cc -> cc.getCoding().stream()
                        .anyMatch(code -> IpsCodes.IPS_DATA_SHARING.equals(code.getCode()))))
                .findFirst().orElseThrow();
    }

    private static Consent withoutLoincCategory(Consent consent) {
        consent.getCategory().removeIf(c -> c.getCoding().stream()
                .anyMatch(code -> IpsCodes.LOINC_PRIVACY_CONSENT.equals(code.getCode())));
        return consent;
    }

    private static Consent withLoincCategory(Consent consent) {
        consent.addCategory(new CodeableConcept(new Coding(IpsCodes.LOINC_SYSTEM, IpsCodes.LOINC_PRIVACY_CONSENT,
                null)));
        return consent;
    }

    private static MockJobcenter jobcenter(CohortRun run, CohortPatient p) {
        return SyntheticCohort.JOBCENTER_A_ID.equals(p.expectedJobcenterId()) ? run.jobcenterA : run.jobcenterB;
    }

    private static Optional<FailedRecord> open(CohortRun run, CohortPatient patient) {
        return run.adapter.getBean(FailedRecords.class).open().stream()
                .filter(r -> FailedRecords.REVIEW.equals(r.stage()) && r.subject().equals(patient.patientReference()))
                .findFirst();
    }

    /** "stage subject" to reason, of the open failed records as an operator gets them. */
    private Map<String, String> reasons(CohortRun run) throws IOException, InterruptedException {
        Map<String, String> reasons = new HashMap<>();
        failed(run).forEach(r -> reasons.merge(r.path("stage").asText() + " " + r.path("subject").asText(),
                r.path("reason").asText(), (a, b) -> a + "," + b));
        return reasons;
    }

    private JsonNode failed(CohortRun run) throws IOException, InterruptedException {
        String credentials = LocalUsers.OPERATOR + ":" + run.password(LocalUsers.OPERATOR);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(run.base + "/api/failed"))
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString(credentials.getBytes(StandardCharsets.UTF_8))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return json.readTree(response.body());
    }
}
