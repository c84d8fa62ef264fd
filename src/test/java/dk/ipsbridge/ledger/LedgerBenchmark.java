package dk.ipsbridge.ledger;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.Period;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Stream;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dk.ipsbridge.ledger.TestLedgers.Fixture;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;

/**
 * Not a test: measures the ledger on an H2 file database and on an embedded PostgreSQL with durable commits
 * ({@code synchronous_commit=on}, {@code fsync=on}). Command and results: {@code docs/benchmarks.md}.
 *
 * <p>Arguments: the ledger size to build and verify (default 1,000,000) and the number of single appends to time
 * (default 2,000).
 */
public final class LedgerBenchmark {

    private static final int BULK_BATCH = 10_000;
    private static final int PROOFS = 1_000;

    private final long entries;
    private final int appends;
    private final Path work;
    private final StringBuilder out = new StringBuilder();

    private LedgerBenchmark(long entries, int appends, Path work) {
        this.entries = entries;
        this.appends = appends;
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        long entries = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        int appends = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        Path work = Files.createTempDirectory("ledger-benchmark");
        LedgerBenchmark benchmark = new LedgerBenchmark(entries, appends, work);
        benchmark.line("Ledger benchmark, " + Instant.now() + ", " + Runtime.getRuntime().availableProcessors()
                + " cores, Java " + System.getProperty("java.version") + ", max heap "
                + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB, " + entries + " entries");

        try (HikariDataSource h2 = pool("jdbc:h2:file:" + work.resolve("h2/ledger")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH", "sa", "")) {
            benchmark.run("H2 file", h2);
        }
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(work.resolve("pg"))
                .setCleanDataDirectory(true).setServerConfig("synchronous_commit", "on")
                .setServerConfig("fsync", "on").start();
                HikariDataSource pg = pool(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "postgres")) {
            benchmark.run("PostgreSQL 17 (embedded, synchronous_commit=on, fsync=on)", pg);
        }
        System.out.println();
        System.out.println(benchmark.out);
        try (Stream<Path> files = Files.walk(work)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    private void run(String name, DataSource dataSource) throws Exception {
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        line("");
        line("## " + name);
        Fixture f = TestLedgers.create(dataSource, settings(1000), LedgerKeys.load(TestLedgers.KEYS.config()));
        int[] next = {0};

        double single = rate(appends, () -> f.ledger().append(entry(next)));
        line(String.format("single appends, one transaction each, checkpoint every 1000: %,.0f/s", single));
        Fixture everyEntry = TestLedgers.create(dataSource, settings(1), f.keys());
        double signed = rate(appends / 2, () -> everyEntry.ledger().append(entry(next)));
        line(String.format("single appends, each with its own signed checkpoint: %,.0f/s", signed));
        line(String.format("single appends from 4 threads, checkpoint every 1000: %,.0f/s", concurrent(f, next)));

        long start = System.nanoTime();
        long before = f.ledger().size();
        while (f.ledger().size() < entries) {
            int n = (int) Math.min(BULK_BATCH, entries - f.ledger().size());
            List<LedgerEntry> batch = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                batch.add(entry(next));
            }
            f.ledger().appendAll(batch);
        }
        f.ledger().checkpoint();
        double bulk = (f.ledger().size() - before) / seconds(start);
        line(String.format("batched appends (appendAll, %,d per transaction) up to %,d entries: %,.0f/s", BULK_BATCH,
                f.ledger().size(), bulk));

        proofs(f);
        verification(f);
    }

    private void proofs(Fixture f) {
        long size = f.ledger().size();
        String root = f.ledger().latestCheckpoint().orElseThrow().rootHash();
        Random warmUp = new Random(2);
        for (int i = 0; i < PROOFS / 10; i++) {
            f.ledger().inclusionProof((long) (warmUp.nextDouble() * size), size).verify(root);
        }
        measure("inclusion proof at " + String.format("%,d", size), random -> {
            long index = (long) (random.nextDouble() * size);
            long t0 = System.nanoTime();
            InclusionProof proof = f.ledger().inclusionProof(index, size);
            long t1 = System.nanoTime();
            check(proof.verify(root), "inclusion proof " + index);
            return new long[] {t1 - t0, System.nanoTime() - t1, proof.path().size()};
        });
        measure("consistency proof to " + String.format("%,d", size), random -> {
            long first = 1 + (long) (random.nextDouble() * (size - 1));
            String firstRoot = f.ledger().root(first);
            long t0 = System.nanoTime();
            ConsistencyProof proof = f.ledger().consistencyProof(first, size);
            long t1 = System.nanoTime();
            check(proof.verify(firstRoot, root), "consistency proof from " + first);
            return new long[] {t1 - t0, System.nanoTime() - t1, proof.path().size()};
        });
    }

    /** Runs one proof per call: nanoseconds to generate, nanoseconds to verify, hashes in the proof. */
    private void measure(String what, Function<Random, long[]> one) {
        Random random = new Random(1);
        long[] sum = new long[3];
        for (int i = 0; i < PROOFS; i++) {
            long[] result = one.apply(random);
            for (int k = 0; k < sum.length; k++) {
                sum[k] += result[k];
            }
        }
        line(String.format("%s: %.1f hashes (%.0f bytes) on average, generated in %.2f ms, verified in %.3f ms",
                what, sum[2] / (double) PROOFS, sum[2] * 32.0 / PROOFS, sum[0] / 1e6 / PROOFS,
                sum[1] / 1e6 / PROOFS));
    }

    private static void check(boolean verified, String what) {
        if (!verified) {
            throw new IllegalStateException(what + " does not verify");
        }
    }

    private void verification(Fixture f) throws IOException {
        long start = System.nanoTime();
        VerificationReport report = f.verifier().verify();
        line(String.format("full verification (database, with subtree hashes) of %,d entries: %.1f s, %s",
                report.entries(), seconds(start), report.ok() ? "OK" : "TAMPERED"));

        Path export = Files.createTempFile(work, "export", ".jsonl");
        start = System.nanoTime();
        try (OutputStream stream = Files.newOutputStream(export)) {
            f.export().write(stream);
        }
        line(String.format("export: %.1f s, %,d MB", seconds(start), Files.size(export) >> 20));
        start = System.nanoTime();
        VerificationReport offline = OfflineVerifier.verify(export, List.of(TestLedgers.KEYS.verificationKey()),
                Period.ofYears(10), Instant.now());
        line(String.format("offline verification of the export: %.1f s, %s", seconds(start),
                offline.ok() ? "OK" : "TAMPERED"));
        Files.delete(export);
    }

    private double concurrent(Fixture f, int[] next) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        int each = appends / 4;
        long start = System.nanoTime();
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int base = next[0] + t * each;
            done.add(pool.submit(() -> {
                for (int i = 0; i < each; i++) {
                    f.ledger().append(TestLedgers.entry(base + i, Instant.now()));
                }
            }));
        }
        for (Future<?> future : done) {
            future.get();
        }
        next[0] += 4 * each;
        pool.shutdown();
        return 4 * each / seconds(start);
    }

    private static LedgerEntry entry(int[] next) {
        return TestLedgers.entry(next[0]++, Instant.now());
    }

    private static double rate(int n, Runnable action) {
        for (int i = 0; i < Math.min(200, n / 10); i++) {
            action.run(); // warm-up
        }
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            action.run();
        }
        return n / seconds(start);
    }

    private static LedgerProperties settings(int checkpointEvery) {
        return new LedgerProperties(Period.ofYears(10), checkpointEvery, java.time.Duration.ofMinutes(5), 10_000,
                TestLedgers.KEYS.config());
    }

    private static HikariDataSource pool(String url, String user, String password) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(6);
        return new HikariDataSource(config);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private void line(String text) {
        System.out.println(text);
        out.append(text).append('\n');
    }
}
