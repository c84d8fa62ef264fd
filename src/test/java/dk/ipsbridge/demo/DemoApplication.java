package dk.ipsbridge.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import dk.ipsbridge.IpsBridgeApplication;
import dk.ipsbridge.ledger.LedgerKeyTool;
import dk.ipsbridge.queue.Outbox;
import dk.ipsbridge.queue.ReviewQueue;
import dk.ipsbridge.security.LocalUsers;
import dk.ipsbridge.security.OidcProvider;
import dk.ipsbridge.testkit.MockServers;
import dk.ipsbridge.testkit.cohort.CohortPatient;
import dk.ipsbridge.testkit.cohort.SyntheticCohort;
import dk.ipsbridge.testkit.ehr.MockEhr;
import dk.ipsbridge.testkit.jobcenter.MockJobcenter;
import dk.ipsbridge.web.SharingOverview;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The demo ({@code mvn spring-boot:test-run}): a simulated EHR with the synthetic cohort and two simulated
 * jobcenters on local ports, wired to the adapter. Prints a summary once everything has flowed, then keeps running
 * with the status page at http://localhost:8080/ until stopped.
 */
public final class DemoApplication {

    private DemoApplication() {
    }

    public static void main(String[] args) throws InterruptedException, IOException {
        String programme = System.getProperty("ips.demo.programme", "").trim();
        if (!programme.isEmpty()) {
            runProgramme(programme, args);
            return;
        }
        // the same simulators that run standalone: MockServers cohort
        MockServers simulators = MockServers.start("cohort");
        SyntheticCohort cohort = simulators.cohort();
        MockEhr ehr = simulators.ehrs().get(0);
        MockJobcenter a = simulators.jobcenters().get(0);
        MockJobcenter b = simulators.jobcenters().get(1);
        System.out.println();
        simulators.describe().forEach(System.out::println);
        System.out.println();

        LocalUsers users = LocalUsers.random();
        List<String> settings = new ArrayList<>(users.settings());
        // demo only: fresh ledger keys in a temporary directory; production keys come from files an operator provides
        settings.addAll(LedgerKeyTool.generate(Files.createTempDirectory("ips-demo-ledger-keys")).properties());
        settings.addAll(List.of(
                "spring.datasource.url=jdbc:h2:mem:ips-demo;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                        + "DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
                "ips.demo=true", "ips.region=" + SyntheticCohort.REGION,
                // demo only: the simulators serve plain http on localhost (the adapter warns at start-up)
                "ips.security.allow-plain-http=true",
                "ips.sources[0].id=demo-ehr", "ips.sources[0].fhir-base-url=" + ehr.baseUrl(),
                "ips.sources[0].poll-interval=5s", "ips.sources[0].page-size=20",
                "ips.jobcenters[0].id=" + a.id(), "ips.jobcenters[0].name=" + a.name(),
                "ips.jobcenters[0].base-url=" + a.baseUrl(),
                "ips.jobcenters[0].organization-identifiers[0]=" + SyntheticCohort.JOBCENTER_A_IDENTIFIER,
                "ips.jobcenters[1].id=" + b.id(), "ips.jobcenters[1].name=" + b.name(),
                "ips.jobcenters[1].base-url=" + b.baseUrl(),
                "ips.jobcenters[1].organization-identifiers[0]=" + SyntheticCohort.JOBCENTER_B_IDENTIFIER,
                "ips.operations.review-interval=500ms", "ips.operations.delivery-interval=500ms",
                "ips.audit.region-name=Region Midtjylland", "ips.audit.region-sor=" + SyntheticCohort.TREATING_UNIT_SOR,
                "ips.ledger.checkpoint-every=10s"));
        // single sign-on as in production: a real OpenID Connect provider on its own port, with an officer limited to
        // the first jobcenter; the local users stay
        String port = Stream.of(args).filter(arg -> arg.startsWith("--server.port=")).map(arg -> arg.substring(14))
                .reduce((first, last) -> last).orElse("8080");
        String clientSecret = LocalUsers.randomPassword();
        OidcProvider.Account ssoOfficer = new OidcProvider.Account("sso-officer", LocalUsers.randomPassword(),
                List.of("OFFICER"), List.of(a.id()), SyntheticCohort.REGION);
        OidcProvider sso = OidcProvider.start("ips-bridge", clientSecret,
                "http://localhost:" + port + "/login/oauth2/code/oidc", List.of(ssoOfficer), List.of());
        Path secretFile = Files.createTempFile("ips-demo-oidc-client", ".secret");
        Files.writeString(secretFile, clientSecret);
        settings.addAll(List.of("ips.security.oidc.issuer-uri=" + sso.issuer(), "ips.security.oidc.client-id=ips-bridge",
                "ips.security.oidc.client-secret-file=" + secretFile));
        Stream<String> arguments = Stream.concat(settings.stream().map(arg -> "--" + arg), Stream.of(args));
        ConfigurableApplicationContext adapter = new SpringApplicationBuilder(IpsBridgeApplication.class)
                .run(arguments.toArray(String[]::new));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            simulators.close();
            sso.close();
        }));

        long expectedShared = cohort.patients().stream().filter(CohortPatient::expectedShared).count();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        ReviewQueue queue = adapter.getBean(ReviewQueue.class);
        Outbox outbox = adapter.getBean(Outbox.class);
        // until everything is shared and nothing is due; shared patients stay queued for their re-check, not due
        while (Instant.now().isBefore(deadline) && (a.cases().size() + b.cases().size() < expectedShared
                || !queue.due(Instant.now(), 1).isEmpty() || outbox.count("pending") > 0)) {
            Thread.sleep(500);
        }
        printSummary(adapter.getBean(SharingOverview.class), List.of(a, b), cohort, users,
                adapter.getEnvironment().getProperty("local.server.port"));
        System.out.printf("Single sign-on (OpenID Connect provider %s): on the login page choose it and log in as%n"
                + "  %s / %s, a consent officer limited to %s%n%n", sso.issuer(), ssoOfficer.name(), ssoOfficer.password(),
                a.name());
    }

    /**
     * {@code -Dips.demo.programme=<name>}: one programme of {@code config/examples/} with cohorts shaped like it; once
     * every case is delivered, the jobcenters report the citizens' courses and the results page shows the figures.
     */
    private static void runProgramme(String programme, String[] args) throws InterruptedException, IOException {
        ProgrammeWorld world = ProgrammeWorld.prepare(programme, Instant.now());
        LocalUsers users = LocalUsers.random();
        List<String> settings = new ArrayList<>(users.settings());
        settings.addAll(LedgerKeyTool.generate(Files.createTempDirectory("ips-demo-ledger-keys")).properties());
        settings.addAll(List.of("spring.datasource.url=jdbc:h2:mem:ips-demo;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                + "DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", "ips.demo=true", "IPS_POLL_INTERVAL=2s",
                "ips.operations.review-interval=500ms", "ips.operations.delivery-interval=500ms",
                "ips.operations.outcome-interval=2s"));
        settings.addAll(List.of(args));
        world.start(settings);
        Runtime.getRuntime().addShutdownHook(new Thread(world::close));
        int citizens = world.cohorts().stream().mapToInt(c -> c.figures().referred()).sum();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (Instant.now().isBefore(deadline) && world.cases() < citizens) {
            Thread.sleep(500);
        }
        int events = 0;
        for (var cohort : world.cohorts()) {
            events += cohort.reportOutcomes(List.copyOf(world.jobcenters().values()));
        }
        deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (Instant.now().isBefore(deadline) && world.cohorts().stream().mapToInt(c -> world.ehr(c.sourceId())
                .resources(org.hl7.fhir.r4.model.Observation.class).size()).sum() < events) {
            Thread.sleep(500);
        }
        StringBuilder out = new StringBuilder("\n============ IPS Bridge demo: " + programme + " ============\n");
        out.append(String.format("%d citizens from %d source(s), %d case records at %d jobcenters, %d outcome events"
                + " collected%n", citizens, world.cohorts().size(), world.cases(), world.jobcenters().size(), events));
        out.append(String.format("Results: %s/results (CSV: /api/results.csv)%n", world.baseUrl()));
        out.append(String.format("  log in as %s / %s; random password for this demo run only%n", LocalUsers.OPERATOR,
                users.operatorPassword()));
        out.append("==========================================================\n");
        System.out.println(out);
    }

    private static void printSummary(SharingOverview overview, List<MockJobcenter> jobcenters,
            SyntheticCohort cohort, LocalUsers users, String port) {
        StringBuilder out = new StringBuilder("\n==================== IPS Bridge demo ====================\n");
        Map<String, Map<String, Integer>> summary = overview.summary();
        out.append(String.format("Shared:   %d patient(s)%n",
                summary.getOrDefault("shared", Map.of()).values().stream().mapToInt(Integer::intValue).sum()));
        for (MockJobcenter jobcenter : jobcenters) {
            out.append(String.format("  %-18s received %d case record(s)%n", jobcenter.name(), jobcenter.cases().size()));
        }
        out.append("Held back, by reason:\n");
        new TreeMap<>(summary.getOrDefault("held", Map.of()))
                .forEach((reason, count) -> out.append(String.format("  %-28s %d%n", reason, count)));
        long leaked = cohort.patients().stream().filter(p -> !p.expectedShared())
                .filter(p -> jobcenters.stream().anyMatch(j -> j.receivedCprs().contains(p.cpr()))).count();
        out.append(String.format("Unconsented patients whose data reached a jobcenter: %d%n", leaked));
        out.append(String.format("Status page: http://localhost:%s/   (Ctrl+C to stop)%n", port));
        out.append(String.format("  log in as %s / %s (status, failed records) or %s / %s (consent officer);%n",
                LocalUsers.OPERATOR, users.operatorPassword(), LocalUsers.OFFICER, users.officerPassword()));
        out.append("  random passwords for this demo run only\n");
        out.append(String.format("Consent officers: http://localhost:%s/officer (search the ledger by CPR, proofs,"
                + " exports)%n", port));
        out.append("==========================================================\n");
        System.out.println(out);
    }
}
