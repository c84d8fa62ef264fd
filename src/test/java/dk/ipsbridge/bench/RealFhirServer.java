package dk.ipsbridge.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.ipsbridge.testkit.cohort.BulkCohort;
import dk.ipsbridge.testkit.cohort.SyntheticCohort;
import dk.ipsbridge.testkit.jobcenter.MockJobcenter;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

/**
 * The initial load against a real HAPI FHIR JPA server (the test kit's {@code testkit/hapi-server}, HAPI 8.6.5 on an
 * H2 file database, started as a process of its own on this machine): {@code n} shareable patients written into it with
 * transaction bundles, then the packaged adapter started on H2 and timed from ready until every patient's first case
 * record is at jobcenter A. The EHR requests are counted by the server itself ({@code GET /stats}).
 */
final class RealFhirServer {

    /** The figures of the run; NaN where it did not complete. */
    record Result(int patients, double serverStartSeconds, double writeSeconds, double readySeconds,
            double loadSeconds, double syncsPerSecond, long requests, long searches, long reads, long errors,
            int delivered, double hapiCpu, double adapterCpu, double benchCpu) {

        double requestsPerPatient() {
            return requests / (double) patients;
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BUNDLE_ENTRIES = 500;

    private RealFhirServer() {
    }

    static Result run(Settings settings, Databases databases, Path work, int n) throws Exception {
        Path dir = Files.createDirectories(work.resolve("hapi-" + n));
        BulkCohort cohort = BulkCohort.create(Instant.now(), n);
        int port = freePort();
        String base = "http://localhost:" + port + "/fhir";
        List<String> command = List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx1g",
                "-XX:+UseSerialGC", "-jar", settings.hapiJar().toString(), "--server.port=" + port,
                "--spring.datasource.url=jdbc:h2:file:" + dir.toAbsolutePath().resolve("hapi-db/h2"));
        EndToEnd.log("HAPI FHIR JPA server: %s", String.join(" ", command));
        long started = System.nanoTime();
        Process server = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(dir.resolve("hapi.log").toFile())).start();
        try (MockJobcenter jobcenter = new MockJobcenter(SyntheticCohort.JOBCENTER_A_ID,
                SyntheticCohort.JOBCENTER_A_NAME)) {
            awaitUp(server, base, Duration.ofMinutes(5));
            double serverStart = (System.nanoTime() - started) / 1e9;
            EndToEnd.log("HAPI up in %.1f s; writing %,d patients", serverStart, n);
            long writing = System.nanoTime();
            write(base, cohort);
            double writeSeconds = (System.nanoTime() - writing) / 1e9;
            EndToEnd.log("written in %.1f s", writeSeconds);
            post("http://localhost:" + port + "/stats/reset");

            Arrivals arrivals = new Arrivals(cohort);
            jobcenter.onRequest(arrivals::received);
            Databases.Target db = databases.create("h2", dir);
            AdapterJar adapter = AdapterJar.start(settings.jar(), settings.adapterJvmArgs(), EndToEnd.adapterSettings(
                    db, base, jobcenter, EndToEnd.password(), EndToEnd.password(), dir), dir.resolve("adapter.log"));
            double ready;
            double loadSeconds = Double.NaN;
            double[] cpu = {Double.NaN, Double.NaN, Double.NaN}; // HAPI, adapter, this JVM (the mock jobcenter)
            try {
                ready = adapter.awaitReady(Duration.ofMinutes(3));
                long start = System.nanoTime();
                cpu[0] = AdapterJar.cpuSeconds(server.pid());
                cpu[1] = AdapterJar.cpuSeconds(adapter.pid());
                cpu[2] = AdapterJar.cpuSeconds(ProcessHandle.current().pid());
                long movedAt = start;
                int seen = 0;
                while (arrivals.delivered() < n
                        && System.nanoTime() - movedAt < settings.stallSeconds() * 1_000_000_000L) {
                    Thread.sleep(50);
                    if (arrivals.delivered() != seen) {
                        seen = arrivals.delivered();
                        movedAt = System.nanoTime();
                    }
                }
                if (arrivals.delivered() >= n) {
                    loadSeconds = (arrivals.lastFirstRecord() - start) / 1e9;
                }
                cpu[0] = AdapterJar.cpuSeconds(server.pid()) - cpu[0];
                cpu[1] = AdapterJar.cpuSeconds(adapter.pid()) - cpu[1];
                cpu[2] = AdapterJar.cpuSeconds(ProcessHandle.current().pid()) - cpu[2];
            } finally {
                adapter.close();
            }
            JsonNode stats = JSON.readTree(get("http://localhost:" + port + "/stats"));
            EndToEnd.log("against HAPI: %,d of %,d patients in %.1f s; %s EHR requests", arrivals.delivered(), n,
                    loadSeconds, stats.path("total").asText());
            return new Result(n, serverStart, writeSeconds, ready, loadSeconds, n / loadSeconds,
                    stats.path("total").asLong(), stats.path("search").asLong(), stats.path("read").asLong(),
                    stats.path("errors").asLong(), arrivals.delivered(), cpu[0], cpu[1], cpu[2]);
        } finally {
            server.destroy();
            server.waitFor();
        }
    }

    /** The cohort as transaction bundles of PUTs (the ids kept), shared resources first. */
    private static void write(String base, BulkCohort cohort) throws Exception {
        FhirContext fhir = FhirContext.forR4Cached();
        List<Resource> all = new ArrayList<>(cohort.common());
        for (int i = 0; i < cohort.size(); i++) {
            all.addAll(cohort.resourcesOf(i));
        }
        for (int from = 0; from < all.size(); from += BUNDLE_ENTRIES) {
            Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
            for (Resource r : all.subList(from, Math.min(all.size(), from + BUNDLE_ENTRIES))) {
                String url = r.fhirType() + "/" + r.getIdElement().getIdPart();
                bundle.addEntry().setFullUrl(base + "/" + url).setResource(r).getRequest()
                        .setMethod(Bundle.HTTPVerb.PUT).setUrl(url);
            }
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(base))
                    .header("Content-Type", "application/fhir+json")
                    .POST(HttpRequest.BodyPublishers.ofString(fhir.newJsonParser().encodeResourceToString(bundle)))
                    .timeout(Duration.ofMinutes(5)).build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw new IllegalStateException("HAPI answered " + answer.statusCode() + " to a transaction");
            }
        }
    }

    private static void awaitUp(Process server, String base, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new IllegalStateException("the HAPI server exited with " + server.exitValue());
            }
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create(base + "/metadata")).timeout(Duration.ofSeconds(5))
                        .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the HAPI server was not up within " + timeout);
    }

    private static String get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static void post(String url) throws Exception {
        HTTP.send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding());
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
