package dk.ipsbridge.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import ca.uhn.fhir.context.FhirContext;
import dk.ipsbridge.testkit.cohort.BulkCohort;
import dk.ipsbridge.testkit.cohort.SyntheticCohort;
import dk.ipsbridge.testkit.jobcenter.MockJobcenter;
import org.hl7.fhir.r4.model.Resource;

/**
 * The practical limit: the same payloads through only the work no implementation can avoid, in this JVM. Per
 * patient: parse its seven resources' FHIR JSON with HAPI (one shared {@link FhirContext}, a parser per resource),
 * write the case record's JSON with Jackson ({@link PlainMapping}), and one {@code PUT} on loopback to a mock
 * jobcenter, which checks it against the case API's schema as it does the adapter's. The JSON is made beforehand:
 * an EHR hands it over already serialized.
 */
final class PracticalLimit {

    record Result(int patients, int threads, double perSecond, int failed) {
    }

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private PracticalLimit() {
    }

    static Result run(BulkCohort cohort, int threads) throws Exception {
        List<List<String>> payloads = new ArrayList<>(cohort.size());
        for (int n = 0; n < cohort.size(); n++) {
            payloads.add(cohort.resourcesOf(n).stream().map(r -> FHIR.newJsonParser().encodeResourceToString(r))
                    .toList());
        }
        try (MockJobcenter jobcenter = new MockJobcenter(SyntheticCohort.JOBCENTER_A_ID,
                SyntheticCohort.JOBCENTER_A_NAME)) {
            HttpClient http = HttpClient.newHttpClient();
            Runs.parallel(Math.max(1, cohort.size() / 10), threads, n -> sync(http, jobcenter, payloads.get(n),
                    "warm-" + cohort.patientId(n)));
            long start = System.nanoTime();
            int failed = Runs.parallel(cohort.size(), threads, n -> sync(http, jobcenter, payloads.get(n),
                    "limit-" + cohort.patientId(n)));
            return new Result(cohort.size(), threads, cohort.size() / ((System.nanoTime() - start) / 1e9), failed);
        }
    }

    private static boolean sync(HttpClient http, MockJobcenter jobcenter, List<String> json, String caseId)
            throws IOException, InterruptedException {
        List<Resource> resources = json.stream().map(j -> (Resource) FHIR.newJsonParser().parseResource(j)).toList();
        byte[] body = PlainMapping.JSON.writeValueAsBytes(PlainMapping.record(resources, caseId, 1));
        HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(URI.create(jobcenter.baseUrl() + "/cases/"
                + caseId)).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(), HttpResponse.BodyHandlers.discarding());
        return answer.statusCode() / 100 == 2;
    }

    /** Work spread over threads. */
    static final class Runs {

        interface Task {
            boolean run(int n) throws Exception;
        }

        private Runs() {
        }

        /** Runs {@code task} for 0 to {@code count} - 1 on {@code threads} threads; how many returned false. */
        static int parallel(int count, int threads, Task task) throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            AtomicInteger next = new AtomicInteger();
            AtomicInteger failed = new AtomicInteger();
            try {
                List<Future<?>> workers = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    workers.add(pool.submit(() -> {
                        for (int n = next.getAndIncrement(); n < count; n = next.getAndIncrement()) {
                            if (!task.run(n)) {
                                failed.incrementAndGet();
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> worker : workers) {
                    worker.get();
                }
            } finally {
                pool.shutdown();
            }
            return failed.get();
        }
    }
}
