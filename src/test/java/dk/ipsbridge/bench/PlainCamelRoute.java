package dk.ipsbridge.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import dk.ipsbridge.testkit.cohort.BulkCohort;
import dk.ipsbridge.testkit.cohort.SyntheticCohort;
import dk.ipsbridge.testkit.ehr.MockEhr;
import dk.ipsbridge.testkit.jobcenter.MockJobcenter;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;

/**
 * What a team would build instead: a plain Camel route that, for each patient, fetches the resources from the same
 * mock EHR with HAPI's generic client (a read and five searches by patient), translates them ({@link PlainMapping})
 * and PUTs the record to the mock jobcenter; no consent check, no ledger, no durable queue. The patients are split
 * over a pool of threads. (No camel-fhir or camel-http here offline: the route calls the HAPI client and the JDK's
 * HTTP client from processors.)
 */
final class PlainCamelRoute {

    record Result(int patients, int threads, double perSecond, double ehrRequestsPerPatient, int failed) {
    }

    private PlainCamelRoute() {
    }

    static Result run(BulkCohort cohort, int threads) throws Exception {
        FhirContext fhir = FhirContext.forR4Cached();
        fhir.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        fhir.getRestfulClientFactory().setPoolMaxPerRoute(threads * 2);
        HttpClient http = HttpClient.newHttpClient();
        AtomicInteger failed = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (MockEhr ehr = new MockEhr(); MockJobcenter jobcenter = new MockJobcenter(SyntheticCohort.JOBCENTER_A_ID,
                SyntheticCohort.JOBCENTER_A_NAME); CamelContext camel = new DefaultCamelContext()) {
            cohort.loadInto(ehr);
            IGenericClient client = fhir.newRestfulGenericClient(ehr.baseUrl());
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:plain-sync-all").routeId("plain-sync-all")
                            .split(body()).parallelProcessing().executorService(pool)
                            .to("direct:plain-sync-patient");
                    from("direct:plain-sync-patient").routeId("plain-sync-patient")
                            .process(e -> e.getMessage().setBody(fetch(client, e.getMessage().getBody(String.class))))
                            .process(PlainCamelRoute::translate)
                            .process(e -> {
                                String caseId = e.getMessage().getHeader("caseId", String.class);
                                int status = http.send(HttpRequest.newBuilder(URI.create(jobcenter.baseUrl()
                                        + "/cases/" + caseId)).header("Content-Type", "application/json")
                                        .PUT(HttpRequest.BodyPublishers.ofByteArray(e.getMessage().getBody(byte[].class)))
                                        .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                                if (status / 100 != 2) {
                                    failed.incrementAndGet();
                                }
                            });
                }
            });
            camel.start();
            List<String> ids = IntStream.range(0, cohort.size()).mapToObj(cohort::patientId).toList();
            camel.createProducerTemplate().requestBody("direct:plain-sync-all", ids.subList(0,
                    Math.max(1, ids.size() / 10)));
            long requestsBefore = ehr.requestCount();
            failed.set(0);
            long start = System.nanoTime();
            camel.createProducerTemplate().requestBody("direct:plain-sync-all", ids);
            double perSecond = ids.size() / ((System.nanoTime() - start) / 1e9);
            return new Result(ids.size(), threads, perSecond,
                    (ehr.requestCount() - requestsBefore) / (double) ids.size(), failed.get());
        } finally {
            pool.shutdown();
        }
    }

    private static List<Resource> fetch(IGenericClient client, String patientId) {
        List<Resource> resources = new ArrayList<>();
        resources.add(client.read().resource(Patient.class).withId(patientId).execute());
        for (Class<? extends Resource> type : List.of(Consent.class, ServiceRequest.class, CareTeam.class,
                Appointment.class, Goal.class)) {
            Bundle found = client.search().forResource(type).where(Consent.PATIENT.hasId(patientId))
                    .returnBundle(Bundle.class).execute();
            found.getEntry().forEach(entry -> resources.add(entry.getResource()));
        }
        return resources;
    }

    private static void translate(Exchange exchange) throws Exception {
        @SuppressWarnings("unchecked")
        List<Resource> resources = exchange.getMessage().getBody(List.class);
        String caseId = "camel-" + resources.get(0).getIdElement().getIdPart();
        exchange.getMessage().setHeader("caseId", caseId);
        exchange.getMessage().setBody(PlainMapping.JSON.writeValueAsBytes(PlainMapping.record(resources, caseId, 1)));
    }
}
