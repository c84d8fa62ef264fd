package dk.ipsbridge.ledger;

import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import dk.ipsbridge.ledger.Finding.Kind;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Verifies the whole ledger in the database: recomputes every leaf hash and the tree, checks the head, every
 * checkpoint's signature and root, and the stored subtree hashes that proofs are made from. Reads one consistent
 * snapshot (repeatable read); entries are streamed, leaf hashes held in memory (32 bytes each) for the subtree check.
 */
public class LedgerVerifier {

    private static final int MAX_NODE_FINDINGS = 100;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate snapshot;
    private final LedgerKeys keys;
    private final LedgerProperties settings;
    private final Clock clock;

    public LedgerVerifier(DataSource dataSource, PlatformTransactionManager transactions, LedgerKeys keys,
            LedgerProperties settings, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.jdbc.setFetchSize(1000);
        this.snapshot = readSnapshot(transactions);
        this.keys = keys;
        this.settings = settings;
        this.clock = clock;
    }

    static TransactionTemplate readSnapshot(PlatformTransactionManager transactions) {
        TransactionTemplate snapshot = new TransactionTemplate(transactions);
        snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        snapshot.setReadOnly(true);
        return snapshot;
    }

    public VerificationReport verify() {
        return snapshot.execute(status -> {
            boolean h2 = streamOnH2(true);
            try {
                return verifySnapshot();
            } finally {
                if (h2) {
                    streamOnH2(false);
                }
            }
        });
    }

    /**
     * On H2, a query's rows are materialised (on disk past a few thousand) before the first is returned, unless the
     * session executes lazily: a million entries and their subtree hashes took 11.3 s to verify that way, 8.0 s lazily.
     * The setting is the session's, so it is set back before the connection returns to the pool.
     */
    private boolean streamOnH2(boolean lazy) {
        Boolean h2 = jdbc.execute((Connection c) -> "H2".equals(c.getMetaData().getDatabaseProductName()));
        if (Boolean.TRUE.equals(h2)) {
            jdbc.execute("SET LAZY_QUERY_EXECUTION " + (lazy ? "TRUE" : "FALSE"));
        }
        return Boolean.TRUE.equals(h2);
    }

    private VerificationReport verifySnapshot() {
        List<Finding> extra = new ArrayList<>();
        List<Verification.Head> heads = jdbc.query(
                "select tree_size, root_hash, checkpoint_seq from ledger_head where id = 1",
                (rs, n) -> new Verification.Head(rs.getLong(1), rs.getString(2), rs.getLong(3)));
        if (heads.isEmpty()) {
            extra.add(Finding.of(Kind.HEAD_MISMATCH, 0, "the ledger head row is missing"));
        }
        List<Checkpoint> checkpoints = jdbc.query("select " + LedgerColumns.CHECKPOINT_COLUMNS
                + " from ledger_checkpoint order by seq", LedgerColumns::checkpoint);
        Leaves leaves = new Leaves();
        Instant cutoff = LedgerRetention.cutoff(clock.instant(), settings.retention());
        Verification verification = new Verification(keys.verification(), cutoff,
                heads.isEmpty() ? null : heads.get(0), checkpoints, leaves::add);
        try (Pipeline pipeline = new Pipeline(verification)) {
            jdbc.query("select " + LedgerColumns.ENTRY_COLUMNS + " from ledger_entry order by leaf_index",
                    (RowCallbackHandler) rs -> pipeline.add(LedgerColumns.entry(rs, 0)));
            pipeline.finish();
        }
        VerificationReport report = verification.finish();
        extra.addAll(checkNodes(leaves));
        List<Finding> findings = new ArrayList<>(report.findings());
        findings.addAll(extra);
        return new VerificationReport(report.entries(), report.treeSize(), report.checkpoints(),
                report.redacted(), findings);
    }

    // Every perfect subtree of the stored leaves must be in ledger_node with the hash recomputed here; nothing else.
    private List<Finding> checkNodes(Leaves leaves) {
        List<Finding> findings = new ArrayList<>();
        byte[] level = leaves.hashes();
        long count = leaves.size;
        for (int l = 1; (count >> l) > 0; l++) {
            level = parents(level);
            byte[] expected = level;
            long nodes = count >> l;
            int treeLevel = l;
            long[] next = {0};
            jdbc.query("select node_index, hash from ledger_node where tree_level = ? order by node_index", rs -> {
                long index = rs.getLong(1);
                for (; next[0] < Math.min(index, nodes); next[0]++) {
                    node(findings, treeLevel, next[0], "missing");
                }
                if (index >= nodes) {
                    node(findings, treeLevel, index, "beyond the tree");
                } else if (!HexFormat.of().formatHex(expected, (int) index * Merkle.HASH_SIZE,
                        (int) (index + 1) * Merkle.HASH_SIZE).equals(rs.getString(2))) {
                    node(findings, treeLevel, index, "hash differs from the leaves'");
                }
                next[0] = Math.max(next[0], index + 1);
            }, l);
            for (; next[0] < nodes; next[0]++) {
                node(findings, treeLevel, next[0], "missing");
            }
        }
        int levels = 64 - Long.numberOfLeadingZeros(count);
        Long beyond = jdbc.queryForObject("select count(*) from ledger_node where tree_level >= ? or tree_level < 1",
                Long.class, Math.max(levels, 1));
        if (beyond != null && beyond > 0) {
            node(findings, levels, 0, beyond + " subtree hashes at levels the tree does not have");
        }
        if (findings.size() > MAX_NODE_FINDINGS) {
            int more = findings.size() - MAX_NODE_FINDINGS;
            List<Finding> capped = new ArrayList<>(findings.subList(0, MAX_NODE_FINDINGS));
            capped.add(Finding.of(Kind.NODE_MISMATCH, findings.get(MAX_NODE_FINDINGS).index(), more + " more"));
            return capped;
        }
        return findings;
    }

    private static void node(List<Finding> findings, int level, long index, String what) {
        long first = index << level;
        findings.add(new Finding(Kind.NODE_MISMATCH, first, first + (1L << level) - 1,
                "subtree hash at level " + level + ", node " + index + ": " + what));
    }

    private static byte[] parents(byte[] level) {
        int n = level.length / Merkle.HASH_SIZE / 2;
        byte[] out = new byte[n * Merkle.HASH_SIZE];
        for (int i = 0; i < n; i++) {
            int left = 2 * i * Merkle.HASH_SIZE;
            byte[] h = Merkle.nodeHash(Arrays.copyOfRange(level, left, left + Merkle.HASH_SIZE),
                    Arrays.copyOfRange(level, left + Merkle.HASH_SIZE, left + 2 * Merkle.HASH_SIZE));
            System.arraycopy(h, 0, out, i * Merkle.HASH_SIZE, Merkle.HASH_SIZE);
        }
        return out;
    }

    /**
     * Verifies the entries of one batch in a thread of its own while the next batch is read: on two cores, the
     * database's decoding of rows and the hashing overlap. The batches are verified in order, one at a time.
     */
    private static final class Pipeline implements AutoCloseable {
        private static final int BATCH = 2000;
        private final Verification verification;
        private final ExecutorService verifier = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ledger-verify");
            t.setDaemon(true);
            return t;
        });
        private List<LedgerRecord> batch = new ArrayList<>(BATCH);
        private Future<?> previous = CompletableFuture.completedFuture(null);

        Pipeline(Verification verification) {
            this.verification = verification;
        }

        void add(LedgerRecord entry) {
            batch.add(entry);
            if (batch.size() == BATCH) {
                hand();
            }
        }

        /** Verifies what is left; when it returns, every entry read has been verified. */
        void finish() {
            hand();
            awaitPrevious();
        }

        private void hand() {
            awaitPrevious();
            List<LedgerRecord> full = batch;
            batch = new ArrayList<>(BATCH);
            previous = verifier.submit(() -> full.forEach(verification::accept));
        }

        private void awaitPrevious() {
            try {
                previous.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("ledger verification interrupted", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            }
        }

        @Override
        public void close() {
            verifier.shutdownNow();
        }
    }

    /** The stored leaf hashes, packed. */
    private static final class Leaves {
        private byte[] hashes = new byte[1024 * Merkle.HASH_SIZE];
        private int size;

        void add(byte[] hash) {
            if ((size + 1) * Merkle.HASH_SIZE > hashes.length) {
                hashes = Arrays.copyOf(hashes, hashes.length * 2);
            }
            System.arraycopy(hash, 0, hashes, size * Merkle.HASH_SIZE, Merkle.HASH_SIZE);
            size++;
        }

        byte[] hashes() {
            return Arrays.copyOf(hashes, size * Merkle.HASH_SIZE);
        }
    }
}
