package dk.ipsbridge.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dk.ipsbridge.decision.Decision;
import dk.ipsbridge.decision.DecisionLog;
import dk.ipsbridge.queue.Outbox;
import dk.ipsbridge.testkit.cohort.CohortPatient;
import dk.ipsbridge.testkit.jobcenter.MockJobcenter;
import org.hl7.fhir.r4.model.Consent;
import org.junit.jupiter.api.Test;

/**
 * Reconciliation compares what each jobcenter holds with what it should hold and repairs the difference: nothing in
 * steady state, a case the jobcenter lost is sent again, a withdrawn case it holds again is withdrawn again.
 */
class ReconciliationIT {

    @Test
    void shouldRepairWhatAJobcenterLostOrKeptAndLeaveTheRestAlone() throws Exception {
        try (CohortRun run = new CohortRun("ips.operations.reconcile-interval=500ms")) {
            List<CohortPatient> shared = run.cohort.patients().stream().filter(CohortPatient::expectedShared)
                    .toList();
            MockJobcenter a = run.jobcenterA;
            await().atMost(Duration.ofSeconds(60)).until(() -> a.cases().size() + run.jobcenterB.cases().size()
                    == shared.size() && run.adapter.getBean(Outbox.class).count("pending") == 0);

            // steady state: rounds compare every case (500 ms apart) and send nothing
            long sends = sends(run);
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).until(() -> sends(run) == sends);
            assertThat(a.requests()).filteredOn(r -> r.method().equals("GET") && r.url().contains("/cases/"))
                    .hasSizeGreaterThanOrEqualTo(a.cases().size());

            // the jobcenter lost a case (restored from an older backup): it is decided and sent again
            CohortPatient lost = shared.stream().filter(p -> p.expectedJobcenterId().equals(a.id())).findFirst()
                    .orElseThrow();
            String lostCase = a.caseFor(lost.cpr()).orElseThrow().path("caseId").asText();
            int revision = a.revisions(lostCase).get(a.revisions(lostCase).size() - 1);
            a.forget(lostCase);
            await().atMost(Duration.ofSeconds(20)).until(() -> a.cases().containsKey(lostCase));
            assertThat(a.cases().get(lostCase).path("revision").asInt()).isGreaterThan(revision);
            assertThat(run.adapter.getBean(DecisionLog.class).forPatient("ehr", lost.patientReference()))
                    .anySatisfy(d -> assertThat(d.revision()).isEqualTo(a.cases().get(lostCase).path("revision")
                            .asLong()));

            // a withdrawn case the jobcenter holds again is withdrawn again, and that is recorded
            CohortPatient revoked = shared.stream().filter(p -> p.expectedJobcenterId().equals(a.id()))
                    .filter(p -> !p.equals(lost)).findFirst().orElseThrow();
            ObjectNode record = (ObjectNode) a.caseFor(revoked.cpr()).orElseThrow();
            String revokedCase = record.path("caseId").asText();
            Consent consent = run.ehr.resources(Consent.class).stream()
                    .filter(c -> c.getPatient().getReference().endsWith(revoked.patientReference())).findFirst()
                    .orElseThrow();
            consent.setStatus(Consent.ConsentState.INACTIVE);
            run.ehr.store(consent);
            await().atMost(Duration.ofSeconds(20)).until(() -> a.withdrawals().containsKey(revokedCase));
            record.put("revision", record.path("revision").asInt() + 5);
            assertThat(put(a, revokedCase, record.toString())).isBetween(200, 201); // the jobcenter reopens it
            await().atMost(Duration.ofSeconds(20)).until(() -> a.withdrawals().containsKey(revokedCase));
            assertThat(run.adapter.getBean(DecisionLog.class).forPatient("ehr", revoked.patientReference()))
                    .filteredOn(d -> d.outcome().equals(Decision.WITHDRAWN)).hasSize(2)
                    .anySatisfy(d -> assertThat(d.detail()).contains("reconciliation"));
        }
    }

    private static long sends(CohortRun run) {
        return List.of(run.jobcenterA, run.jobcenterB).stream().flatMap(j -> j.requests().stream())
                .filter(r -> !r.method().equals("GET")).count();
    }

    private static int put(MockJobcenter jobcenter, String caseId, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(jobcenter.baseUrl() + "/cases/"
                + caseId)).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
