package dk.ipsbridge.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dk.ipsbridge.testkit.cohort.SyntheticCohort;
import dk.ipsbridge.testkit.ehr.MockEhr;
import dk.ipsbridge.testkit.jobcenter.MockJobcenter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 17, on the packaged jar started as a process: SIGTERM in the middle of a round logs no error and loses
 * nothing; and the go-live {@code backfill} command, stopped half way with SIGTERM and run again, goes on where it
 * stopped, ends with every patient delivered, and sends no case record twice. Its progress output is shown too.
 */
class PackagedStopAndBackfillIT {

    private static final int PATIENTS = 300;
    private static final Pattern PROGRESS = Pattern.compile("Backfill ehr .*?(\\d+)/(\\d+) patients");
    private static final Pattern ERROR = Pattern.compile("\\bERROR\\b|Exception|already closed");

    private MockEhr ehr;
    private MockJobcenter a;
    private MockJobcenter b;
    private Path dir;
    private final List<String> cprs = new ArrayList<>();

    @BeforeEach
    void cohort() throws IOException {
        ehr = new MockEhr();
        a = new MockJobcenter(SyntheticCohort.JOBCENTER_A_ID, SyntheticCohort.JOBCENTER_A_NAME)
                .withLatency(Duration.ofMillis(60)); // about 60 deliveries a second: a load takes a while
        b = new MockJobcenter(SyntheticCohort.JOBCENTER_B_ID, SyntheticCohort.JOBCENTER_B_NAME);
        MinimalRegion.storeInto(ehr);
        for (int i = 0; i < PATIENTS; i++) {
            String cpr = String.format("0101%02d%04d", 50 + i / 1000, 1000 + i % 1000);
            cprs.add(cpr);
            MinimalRegion.storeReferredPatient(ehr, "p" + i, cpr, true);
        }
        dir = Files.createTempDirectory("ips-packaged");
    }

    @AfterEach
    void stopPeers() {
        ehr.close();
        a.close();
        b.close();
    }

    @Test
    void shouldStopCleanlyOnSigtermMidRoundAndLoseNothing() {
        AdapterProcess adapter = AdapterProcess.packaged("sigterm", settings());
        adapter.start();
        await().atMost(Duration.ofSeconds(120)).until(() -> puts() >= PATIENTS / 5);
        assertThat(puts()).isLessThan(PATIENTS); // mid-load: rounds of review and delivery under way

        adapter.stop();

        assertThat(errors(adapter.output())).as("nothing logged as an error on SIGTERM").isEmpty();
        adapter.start();
        await().atMost(Duration.ofSeconds(180)).until(() -> a.cases().size() == PATIENTS);
        adapter.stop();
        assertEveryCitizenSentOnce();
        assertThat(errors(adapter.output())).isEmpty();
    }

    @Test
    void shouldBackfillASourceStoppedHalfWayAndGoOnWithoutSendingAnythingTwice() {
        List<String> command = new ArrayList<>(List.of("backfill", "--source", "ehr"));
        command.addAll(settings());
        AdapterProcess backfill = AdapterProcess.packaged("backfill", command);

        backfill.start();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> settled(backfill.output()) >= PATIENTS / 5);
        backfill.stop(); // SIGTERM, as Ctrl-C or systemd would
        String first = backfill.output();
        int sentBefore = puts();
        assertThat(first).contains("Backfill of source ehr started")
                .contains("Run the same command again to go on where it stopped");
        assertThat(errors(first)).isEmpty();
        assertThat(sentBefore).isBetween(1, PATIENTS - 1);

        backfill.start();
        assertThat(backfill.awaitExit(Duration.ofSeconds(240))).as("exit code").isZero();
        String all = backfill.output();
        assertThat(all.substring(first.length())).contains("Going on with the backfill of source ehr")
                .contains("Backfill of source ehr done: " + PATIENTS + " patients, " + PATIENTS
                        + " decided and delivered, 0 waiting");
        assertThat(PROGRESS.matcher(all).results().count()).isGreaterThan(2);
        assertThat(all).containsPattern("patients/s").containsPattern("\\d+:\\d\\d:\\d\\d"); // rate, time left
        assertEveryCitizenSentOnce();
        assertThat(errors(all)).isEmpty();
        System.out.println("Backfill output:\n" + all.lines().filter(l -> !l.startsWith("{") && !l.isBlank())
                .collect(Collectors.joining("\n")));
    }

    private List<String> settings() {
        // without DB_CLOSE_ON_EXIT=FALSE, as an operator might write it: the adapter adds it (H2ClosesLast)
        String db = "jdbc:h2:file:" + dir.resolve("store") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                + "DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=10000";
        return Adapter.arguments(db, ehr, a, b, "spring.datasource.username=sa", "spring.datasource.password=",
                "ips.operations.review-interval=500ms", "ips.operations.delivery-interval=500ms");
    }

    private void assertEveryCitizenSentOnce() {
        assertThat(a.cases()).hasSize(PATIENTS);
        Map<String, Long> putsPerCase = a.requests().stream().filter(r -> r.method().equals("PUT"))
                .collect(Collectors.groupingBy(r -> r.url().substring(r.url().lastIndexOf('/') + 1),
                        Collectors.counting()));
        assertThat(putsPerCase).hasSize(PATIENTS);
        assertThat(putsPerCase.values()).as("case records sent per case").containsOnly(1L);
        cprs.forEach(cpr -> assertThat(a.caseFor(cpr)).as("a case for every citizen").isPresent());
    }

    private int puts() {
        return (int) a.requests().stream().filter(r -> r.method().equals("PUT")).count();
    }

    /** How many patients the last progress line shows settled. */
    private static int settled(String output) {
        Matcher m = PROGRESS.matcher(output);
        int last = 0;
        while (m.find()) {
            last = Integer.parseInt(m.group(1));
        }
        return last;
    }

    private static List<String> errors(String output) {
        return output.lines().filter(l -> ERROR.matcher(l).find()).toList();
    }
}
