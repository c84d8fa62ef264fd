package dk.ipsbridge.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import dk.ipsbridge.failure.FailedRecords;
import dk.ipsbridge.queue.Outbox;
import dk.ipsbridge.queue.ReviewQueue;
import dk.ipsbridge.testkit.cohort.CohortPatient;
import dk.ipsbridge.testkit.jobcenter.MockJobcenter;
import org.hl7.fhir.r4.model.Goal;
import org.junit.jupiter.api.Test;

/**
 * Contract 1.1, C12: an EHR that ignores the {@code patient} search parameter (as some servers do with a parameter
 * they do not support) answers every search by patient with every patient's resources. Without the adapter's check
 * that each resource belongs to the patient searched for, a patient without consent would be shared on another's
 * consent, and one patient's goal would reach another's case.
 */
class LenientEhrIT {

    @Test
    void shouldNeverMixTwoPatientsDataWhenTheEhrIgnoresTheSearchByPatient() {
        try (CohortRun run = new CohortRun(r -> r.ehr.ignoreSearchParameter("patient"))) {
            List<CohortPatient> shared = run.cohort.patients().stream().filter(CohortPatient::expectedShared)
                    .toList();
            Set<String> heldCprs = run.cohort.patients().stream().filter(p -> !p.expectedShared())
                    .map(CohortPatient::cpr).collect(Collectors.toSet());
            await().atMost(Duration.ofSeconds(120)).until(() -> run.jobcenterA.cases().size()
                    + run.jobcenterB.cases().size() >= shared.size()
                    && run.adapter.getBean(ReviewQueue.class).due(Instant.now(), 1).isEmpty()
                    && run.adapter.getBean(Outbox.class).count("pending") == 0);

            for (MockJobcenter jobcenter : List.of(run.jobcenterA, run.jobcenterB)) {
                assertThat(jobcenter.receivedCprs()).doesNotContainAnyElementsOf(heldCprs);
            }
            assertThat(run.jobcenterA.cases().size() + run.jobcenterB.cases().size()).isEqualTo(shared.size());
            for (CohortPatient patient : shared) {
                MockJobcenter to = patient.expectedJobcenterId().equals(run.jobcenterA.id()) ? run.jobcenterA
                        : run.jobcenterB;
                JsonNode record = to.caseFor(patient.cpr()).orElseThrow();
                String ownGoal = run.cohort.resourcesOf(patient.patientId()).stream()
                        .filter(Goal.class::isInstance).map(g -> ((Goal) g).getDescription().getText())
                        .findFirst().orElse(null);
                if (record.has("employmentGoal")) {
                    assertThat(record.toString()).as(patient.patientReference()).contains(ownGoal);
                }
            }

            List<FailedRecords.FailedRecord> foreign = run.adapter.getBean(FailedRecords.class).open().stream()
                    .filter(r -> r.reason().equals("foreign-resource")).toList();
            assertThat(foreign).isNotEmpty().allSatisfy(r -> {
                assertThat(r.stage()).isEqualTo(FailedRecords.INGEST);
                String text = r.message() + " " + r.original();
                run.cohort.patients().forEach(p -> assertThat(text).doesNotContain(p.cpr()));
            });
        }
    }
}
