package dk.ipsbridge.queue;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import javax.sql.DataSource;

import dk.ipsbridge.patient.PatientKey;
import dk.ipsbridge.store.TestDatabases;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * How the review queue's claim costs as the queue grows (issue 16): every shared patient stays queued for its re-check
 * (due tomorrow), and a round claims the few that changed. Per queue size, on H2 and PostgreSQL: the queue is filled
 * with that many patients, 500 of them are made due now, and the time per claim of 50 (with their {@code done}) is
 * measured. A plain {@code main}; it reports, it does not fail. {@code args}: queue sizes (default 1000 10000 100000).
 */
public final class ReviewQueueBenchmark {

    private static final Instant NOW = Instant.parse("2026-12-03T08:00:00Z");
    private static final int DUE = 500;
    private static final int BATCH = 50;

    private ReviewQueueBenchmark() {
    }

    public static void main(String[] args) {
        List<Integer> sizes = args.length == 0 ? List.of(1_000, 10_000, 100_000)
                : Arrays.stream(args).map(Integer::parseInt).toList();
        System.out.printf(Locale.ROOT, "%-10s %10s %16s %12s%n", "store", "queued", "ms per claim+done", "patients/s");
        for (TestDatabases.Kind kind : TestDatabases.Kind.values()) {
            for (int size : sizes) {
                measure(kind, size, false);
                measure(kind, size, true);
            }
        }
    }

    /** @param goLive every queued patient is due at once (a go-live load), not 500 of them */
    private static void measure(TestDatabases.Kind kind, int size, boolean goLive) {
        DataSource ds = TestDatabases.fresh(kind);
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            rows.add(new Object[] {"ehr", "p" + i, Timestamp.from(goLive ? NOW.minusSeconds(30) : NOW.plus(Duration.ofDays(1))),
                    Timestamp.from(NOW.minusSeconds(60))});
        }
        jdbc.batchUpdate("insert into patient_review (source_id, patient_id, due_at, changed_at) values (?, ?, ?, ?)",
                rows);
        jdbc.execute(kind == TestDatabases.Kind.H2 ? "analyze" : "analyze patient_review");
        ReviewQueue queue = new ReviewQueue(JdbcClient.create(ds));
        for (int round = goLive ? 2 : 0; round < 3; round++) { // two rounds warm up, the third is timed
            for (int i = 0; i < (goLive ? 0 : DUE); i++) {
                queue.changed(new PatientKey("ehr", "p" + (i * 7 % size)), NOW.minusSeconds(30));
            }
            long started = System.nanoTime();
            int claimed = 0;
            List<PatientKey> batch;
            while (!(batch = queue.claim(NOW, BATCH, "bench", NOW.plusSeconds(60))).isEmpty()) {
                for (PatientKey key : batch) {
                    queue.done(key, NOW, NOW.plus(Duration.ofDays(1)));
                }
                claimed += batch.size();
            }
            double ms = (System.nanoTime() - started) / 1e6;
            if (round == 2) {
                System.out.printf(Locale.ROOT, "%-10s %,10d %16.2f %,12.0f%n", kind + (goLive ? " all due" : ""), size,
                        ms / (claimed / (double) BATCH), claimed / (ms / 1000));
            }
        }
    }
}
