package dk.ipsbridge.queue;

import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import javax.sql.DataSource;

import dk.ipsbridge.keys.AtRest;
import dk.ipsbridge.store.TestDatabases;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * How a delivery round's claim costs as the outbox grows (issue 16): the outbox keeps every delivered message, and at
 * go-live every new case record is due at once. Per size, on H2 and PostgreSQL: that many messages already delivered
 * and as many due now, then the time per claim of 50 (with each settled as delivered) until none is due. A plain
 * {@code main}; it reports, it does not fail. {@code args}: sizes (default 1000 10000 100000).
 */
public final class OutboxBenchmark {

    private static final Instant NOW = Instant.parse("2026-12-03T08:00:00Z");
    private static final int BATCH = 50;

    private OutboxBenchmark() {
    }

    public static void main(String[] args) {
        List<Integer> sizes = args.length == 0 ? List.of(1_000, 10_000, 100_000)
                : Arrays.stream(args).map(Integer::parseInt).toList();
        System.out.printf(Locale.ROOT, "%-10s %10s %10s %22s %12s%n", "store", "delivered", "due", "ms per claim+delivered",
                "messages/s");
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        AtRest atRest = AtRest.of(key, List.of());
        for (TestDatabases.Kind kind : TestDatabases.Kind.values()) {
            for (int size : sizes) {
                measure(kind, size, atRest);
            }
        }
    }

    private static void measure(TestDatabases.Kind kind, int size, AtRest atRest) {
        DataSource ds = TestDatabases.fresh(kind);
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        List<Object[]> rows = new ArrayList<>();
        String sealed = atRest.seal("{}", "outbox.payload");
        for (int i = 0; i < 2 * size; i++) {
            boolean delivered = i < size;
            rows.add(new Object[] {"ips-case-" + i, "jobcenter-a", Outbox.CASE, 1, delivered ? null : sealed, "sha",
                    delivered ? "delivered" : "pending", Timestamp.from(NOW.minusSeconds(60)),
                    Timestamp.from(NOW.minusSeconds(60)), Timestamp.from(NOW.minusSeconds(60)),
                    Timestamp.from(NOW.minusSeconds(60)), "bench-" + i});
        }
        jdbc.batchUpdate("""
                insert into outbox (case_id, recipient, kind, revision, payload, payload_sha256, status, attempts,
                  next_attempt_at, read_at, created_at, updated_at, correlation_id)
                values (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?)
                """, rows);
        jdbc.execute(kind == TestDatabases.Kind.H2 ? "analyze" : "analyze outbox");
        Outbox outbox = new Outbox(JdbcClient.create(ds), atRest);
        long started = System.nanoTime();
        int claimed = 0;
        List<Outbox.Delivery> batch;
        while (!(batch = outbox.claim("jobcenter-a", NOW, BATCH, "bench", NOW.plusSeconds(60))).isEmpty()) {
            for (Outbox.Delivery delivery : batch) {
                outbox.delivered(delivery.id(), 201, NOW);
            }
            claimed += batch.size();
        }
        double ms = (System.nanoTime() - started) / 1e6;
        System.out.printf(Locale.ROOT, "%-10s %,10d %,10d %22.2f %,12.0f%n", kind, size, claimed,
                ms / (claimed / (double) BATCH), claimed / (ms / 1000));
    }
}
