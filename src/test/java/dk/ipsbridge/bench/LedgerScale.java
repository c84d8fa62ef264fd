package dk.ipsbridge.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import javax.sql.DataSource;

import dk.ipsbridge.ledger.InclusionProof;
import dk.ipsbridge.ledger.LedgerEntry;
import dk.ipsbridge.ledger.LedgerKeys;
import dk.ipsbridge.ledger.TestLedgers;
import dk.ipsbridge.ledger.VerificationReport;
import org.flywaydb.core.Flyway;

/**
 * The ledger at scale, as {@code LedgerBenchmark} measures it: filled with {@code appendAll} (10,000 entries per
 * transaction) to the size asked, then the size of an inclusion proof and of a consistency proof (average over 1,000
 * random ones) and the time of a full verification from the database (every leaf, subtree hash and checkpoint).
 */
final class LedgerScale {

    record Result(String database, long entries, double bulkAppendsPerSecond, double inclusionHashes,
            double consistencyHashes, double verifySeconds, boolean verified) {
    }

    private static final int BATCH = 10_000;
    private static final int PROOFS = 1_000;

    private LedgerScale() {
    }

    static Result run(String database, DataSource dataSource, long entries) {
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        TestLedgers.Fixture f = TestLedgers.create(dataSource, TestLedgers.settings(1000),
                LedgerKeys.load(TestLedgers.KEYS.config()));
        long start = System.nanoTime();
        int next = 0;
        while (f.ledger().size() < entries) {
            int n = (int) Math.min(BATCH, entries - f.ledger().size());
            List<LedgerEntry> batch = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                batch.add(TestLedgers.entry(next++, Instant.now()));
            }
            f.ledger().appendAll(batch);
        }
        f.ledger().checkpoint();
        double appendsPerSecond = entries / ((System.nanoTime() - start) / 1e9);
        long size = f.ledger().size();
        String root = f.ledger().latestCheckpoint().orElseThrow().rootHash();
        Random random = new Random(1);
        long inclusion = 0;
        long consistency = 0;
        for (int i = 0; i < PROOFS; i++) {
            InclusionProof proof = f.ledger().inclusionProof((long) (random.nextDouble() * size), size);
            if (!proof.verify(root)) {
                throw new IllegalStateException("an inclusion proof does not verify");
            }
            inclusion += proof.path().size();
            consistency += f.ledger().consistencyProof(1 + (long) (random.nextDouble() * (size - 1)), size).path()
                    .size();
        }
        start = System.nanoTime();
        VerificationReport report = f.verifier().verify();
        double verify = (System.nanoTime() - start) / 1e9;
        return new Result(database, size, appendsPerSecond, inclusion / (double) PROOFS,
                consistency / (double) PROOFS, verify, report.ok());
    }
}
