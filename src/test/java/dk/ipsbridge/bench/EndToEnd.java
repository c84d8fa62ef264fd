package dk.ipsbridge.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.IntSupplier;

import dk.ipsbridge.ledger.LedgerKeyTool;
import dk.ipsbridge.testkit.cohort.BulkCohort;
import dk.ipsbridge.testkit.cohort.SyntheticCohort;
import dk.ipsbridge.testkit.ehr.MockEhr;
import dk.ipsbridge.testkit.ehr.SubscriptionNotifier;
import dk.ipsbridge.testkit.jobcenter.MockJobcenter;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * One end-to-end run: {@code n} shareable patients in a mock EHR, the packaged adapter on one database, jobcenter A.
 * Phases, in order: the initial load (from ready until every patient's first case record is at the jobcenter),
 * a steady phase (goals changed at a fixed rate, each pushed by a Backport notification, timed from the change to
 * the jobcenter's receipt of the record carrying it), the fixed batch (goals of {@code batch} patients changed at
 * once, found by polling and by push), revocations (consents withdrawn at a fixed rate, each pushed; timed from the
 * notification to the withdrawal's receipt), then memory, and the ledger read from the database after the stop.
 */
final class EndToEnd {

    /** The figures of one run; NaN where a phase did not complete. */
    record Result(String database, int patients, double readySeconds, int delivered, double loadSeconds,
            double syncsPerSecond, double ehrRequestsPerPatient, Percentiles syncLatency, double changeRate,
            double ehrRequestsPerChange, int batch, double batchSyncsPerSecond, Percentiles revocationLatency,
            int revocations, double revocationRate,
            int recordsAfterWithdrawal, long ledgerAppends, double ledgerAppendsPerSecond, double rssMb,
            double peakRssMb, double heapMb, long failedRecords, List<String> notes) {
    }

    private static final String SOURCE = "ehr";
    private static final String OPERATOR = "bench-operator";
    private static final String EHR_USER = "bench-ehr";

    private final Settings settings;
    private final Databases databases;
    private final Path work;

    EndToEnd(Settings settings, Databases databases, Path work) {
        this.settings = settings;
        this.databases = databases;
        this.work = work;
    }

    Result run(String database, int n) throws Exception {
        Path dir = Files.createDirectories(work.resolve(database + "-" + n));
        List<String> notes = new ArrayList<>();
        BulkCohort cohort = BulkCohort.create(Instant.now(), n);
        try (MockEhr ehr = new MockEhr(); MockJobcenter jobcenter = new MockJobcenter(
                SyntheticCohort.JOBCENTER_A_ID, SyntheticCohort.JOBCENTER_A_NAME)) {
            cohort.loadInto(ehr);
            Arrivals arrivals = new Arrivals(cohort);
            jobcenter.onRequest(arrivals::received);
            String operatorPassword = password();
            String ehrPassword = password();
            Databases.Target db = databases.create(database, dir);
            log("%s, %,d patients: starting the adapter", database, n);
            AdapterJar adapter = AdapterJar.start(settings.jar(), settings.adapterJvmArgs(), adapterSettings(db, ehr.baseUrl(), jobcenter,
                    operatorPassword, ehrPassword, dir), dir.resolve("adapter.log"));
            double ready;
            double loadSeconds = Double.NaN;
            Percentiles syncLatency = Percentiles.NONE;
            double requestsPerChange = Double.NaN;
            double batchRate = Double.NaN;
            Percentiles revocation = Percentiles.NONE;
            double rss = Double.NaN;
            double heap = Double.NaN;
            double peak = Double.NaN;
            long requestsAtLoad = 0;
            int batch = Math.min(settings.batch(), n);
            int revocations = Math.min(settings.revocations(), n);
            double changeRate = Double.NaN;
            double revocationRate = Double.NaN;
            Instant loadStart;
            Instant loadEnd = null;
            try {
                ready = adapter.awaitReady(Duration.ofMinutes(3));
                long start = System.nanoTime();
                loadStart = Instant.now();
                log("ready in %.1f s; initial load", ready);
                if (await(() -> arrivals.delivered() >= n, arrivals::delivered)) {
                    loadSeconds = (arrivals.lastFirstRecord() - start) / 1e9;
                    loadEnd = loadStart.plusNanos(arrivals.lastFirstRecord() - start);
                } else {
                    notes.add(String.format("%s %,d: the initial load stalled at %,d of %,d patients", database, n,
                            arrivals.delivered(), n));
                }
                requestsAtLoad = ehr.requestCount();
                log("loaded %,d patients in %.1f s", arrivals.delivered(), loadSeconds);

                SubscriptionNotifier push = new SubscriptionNotifier("http://localhost:" + adapter.port()
                        + "/fhir/notify/" + SOURCE, EHR_USER, ehrPassword, SubscriptionNotifier.Mode.BACKPORT_FULL_RESOURCE)
                        .attachTo(ehr);
                if (!Double.isNaN(loadSeconds)) {
                    // below capacity: at most half the rate of the load
                    changeRate = Math.min(settings.changeRate(), n / loadSeconds / 2);
                    revocationRate = Math.min(settings.revocationRate(), n / loadSeconds / 2);
                    long requestsBefore = ehr.requestCount();
                    syncLatency = steady(cohort, ehr, arrivals, changeRate, notes);
                    requestsPerChange = (ehr.requestCount() - requestsBefore) / (double) syncLatency.count();
                    rss = adapter.rssMb();
                    heap = adapter.heapUsedMb(OPERATOR, operatorPassword);
                    batchRate = batch(cohort, ehr, arrivals, batch, notes);
                    revocation = revocations(cohort, ehr, arrivals, revocations, revocationRate, notes);
                }
                if (push.statuses().stream().anyMatch(status -> status != 200)) {
                    notes.add(database + " " + n + ": a notification was refused or failed; see " + dir);
                }
                peak = adapter.peakRssMb();
            } finally {
                adapter.close();
            }
            long[] counts = afterStop(db, loadStart, loadEnd == null ? loadStart : loadEnd);
            return new Result(database, n, ready, arrivals.delivered(), loadSeconds, n / loadSeconds,
                    requestsAtLoad / (double) n, syncLatency, changeRate, requestsPerChange, batch, batchRate,
                    revocation, revocations, revocationRate, arrivals.recordsAfterWithdrawal(), counts[0], counts[0] / loadSeconds, rss, peak,
                    heap, counts[1], notes);
        }
    }

    /** Goals changed one at a time at the change rate, each pushed; latency from the change to the record's receipt. */
    private Percentiles steady(BulkCohort cohort, MockEhr ehr, Arrivals arrivals, double rate, List<String> notes)
            throws InterruptedException {
        int samples = Math.min(settings.latencySamples(), cohort.size());
        int before = arrivals.changeLatencies().size();
        log("steady phase: %d changes at %.1f/s", samples, rate);
        paced(samples, rate, i -> {
            int n = spread(i, samples, cohort.size());
            arrivals.changed(n, BulkCohort.changeMarker(1), System.nanoTime());
            ehr.store(cohort.goal(n, 1));
        });
        if (!await(() -> arrivals.changeLatencies().size() - before >= samples,
                () -> arrivals.changeLatencies().size())) {
            notes.add("steady phase: only " + (arrivals.changeLatencies().size() - before) + " of " + samples
                    + " changes arrived");
        }
        List<Long> latencies = arrivals.changeLatencies();
        return Percentiles.of(latencies.subList(before, latencies.size()));
    }

    /** The fixed batch: goals of the first {@code batch} patients changed at once; patients per second until the last. */
    private double batch(BulkCohort cohort, MockEhr ehr, Arrivals arrivals, int batch, List<String> notes)
            throws InterruptedException {
        int before = arrivals.changeLatencies().size();
        log("batch: %,d patients changed at once", batch);
        long start = System.nanoTime();
        for (int n = 0; n < batch; n++) {
            arrivals.changed(n, BulkCohort.changeMarker(2), System.nanoTime());
            ehr.store(cohort.goal(n, 2));
        }
        if (!await(() -> arrivals.changeLatencies().size() - before >= batch,
                () -> arrivals.changeLatencies().size())) {
            notes.add("batch: only " + (arrivals.changeLatencies().size() - before) + " of " + batch + " arrived");
            return Double.NaN;
        }
        return batch / ((arrivals.lastChangeArrival() - start) / 1e9);
    }

    /** Consents withdrawn at the revocation rate, each pushed; then a grace period for any late case record. */
    private Percentiles revocations(BulkCohort cohort, MockEhr ehr, Arrivals arrivals, int count, double rate,
            List<String> notes) throws InterruptedException {
        log("revocations: %d at %.1f/s", count, rate);
        paced(count, rate, i -> {
            int n = cohort.size() - 1 - spread(i, count, cohort.size());
            ehr.store(cohort.withdrawnConsent(n)); // the notifier posts the notification within this call
        }, (i, at) -> arrivals.withdrawalNotified(cohort.size() - 1 - spread(i, count, cohort.size()), at));
        if (!await(() -> arrivals.withdrawalLatencies().size() >= count, () -> arrivals.withdrawalLatencies().size())) {
            notes.add("revocations: only " + arrivals.withdrawalLatencies().size() + " of " + count
                    + " withdrawals arrived");
        }
        Thread.sleep(5_000); // a record sent after its withdrawal would come now
        return Percentiles.of(arrivals.withdrawalLatencies());
    }

    /** Patient {@code i} of {@code count}, spread evenly over the cohort. */
    private static int spread(int i, int count, int size) {
        return (int) ((long) i * size / count);
    }

    private interface Step {
        void run(int i);
    }

    private interface Stamp {
        void at(int i, long nanos);
    }

    private static void paced(int count, double perSecond, Step step) throws InterruptedException {
        paced(count, perSecond, step, (i, at) -> { });
    }

    /** Runs {@code step} {@code count} times at a fixed rate; {@code stamp} gets the time each step began. */
    private static void paced(int count, double perSecond, Step step, Stamp stamp) throws InterruptedException {
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long due = start + (long) (i * 1e9 / perSecond);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            long at = System.nanoTime();
            stamp.at(i, at);
            step.run(i);
        }
    }

    /** Waits until {@code done}; gives up when {@code progress} has not moved for the stall timeout. */
    private boolean await(java.util.function.BooleanSupplier done, IntSupplier progress) throws InterruptedException {
        int seen = progress.getAsInt();
        long movedAt = System.nanoTime();
        while (!done.getAsBoolean()) {
            Thread.sleep(20);
            int now = progress.getAsInt();
            if (now != seen) {
                seen = now;
                movedAt = System.nanoTime();
            } else if (System.nanoTime() - movedAt > settings.stallSeconds() * 1_000_000_000L) {
                return false;
            }
        }
        return true;
    }

    /**
     * Read from the adapter's database after it stopped: the ledger entries recorded during the initial load, and the
     * failed records of the whole run (open or not: a failure retried later still shows an operator a record).
     */
    private static long[] afterStop(Databases.Target db, Instant from, Instant to) throws SQLException {
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
                var ledger = c.prepareStatement(
                        "select count(*) from ledger_entry where recorded_at >= ? and recorded_at <= ?");
                var failed = c.prepareStatement("select count(*) from failed_record")) {
            ledger.setTimestamp(1, Timestamp.from(from));
            ledger.setTimestamp(2, Timestamp.from(to));
            long[] counts = new long[2];
            try (ResultSet rows = ledger.executeQuery()) {
                rows.next();
                counts[0] = rows.getLong(1);
            }
            try (ResultSet rows = failed.executeQuery()) {
                rows.next();
                counts[1] = rows.getLong(1);
            }
            return counts;
        }
    }

    /**
     * The adapter's documented settings for this run: one EHR source polled every second (push comes on top), jobcenter
     * A, an operator (to read the heap metric) and an EHR user for the notifications, fresh ledger keys. Review and
     * delivery intervals and batches keep the defaults of {@code config/application.yml}.
     */
    static List<String> adapterSettings(Databases.Target db, String ehrBaseUrl, MockJobcenter jobcenter,
            String operatorPassword, String ehrPassword, Path dir) {
        BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder(4);
        List<String> s = new ArrayList<>(List.of(
                "spring.datasource.url=" + db.url(), "spring.datasource.username=" + db.user(),
                "spring.datasource.password=" + db.password(),
                "ips.region=" + SyntheticCohort.REGION, "ips.security.allow-plain-http=true",
                "ips.sources[0].id=" + SOURCE, "ips.sources[0].fhir-base-url=" + ehrBaseUrl,
                "ips.sources[0].poll-interval=1s",
                "ips.jobcenters[0].id=" + jobcenter.id(), "ips.jobcenters[0].base-url=" + jobcenter.baseUrl(),
                "ips.jobcenters[0].organization-identifiers[0]=" + SyntheticCohort.JOBCENTER_A_IDENTIFIER,
                "ips.audit.region-name=Region Midtjylland", "ips.audit.region-sor=" + SyntheticCohort.TREATING_UNIT_SOR,
                "ips.security.users[0].username=" + OPERATOR, "ips.security.users[0].roles[0]=OPERATOR",
                "ips.security.users[0].password-hash=" + bcrypt.encode(operatorPassword),
                "ips.security.users[1].username=" + EHR_USER, "ips.security.users[1].roles[0]=EHR",
                "ips.security.users[1].sources[0]=" + SOURCE,
                "ips.security.users[1].password-hash=" + bcrypt.encode(ehrPassword),
                "ips.cluster.instance-id=bench"));
        s.addAll(LedgerKeyTool.generate(dir.resolve("keys")).properties());
        return s;
    }

    static String password() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    static void log(String format, Object... args) {
        System.out.printf("[bench] " + format + "%n", args);
    }
}
