package dk.ipsbridge.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

import dk.ipsbridge.config.Times;
import dk.ipsbridge.ledger.Finding.Kind;
import dk.ipsbridge.ledger.TestLedgers.Fixture;
import dk.ipsbridge.store.TestDatabases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Someone with write access to the database changes, deletes, inserts, reorders or truncates entries, checkpoints,
 * the head or the subtree hashes, naively or covering their tracks (recomputing leaf hashes, fixing the head). Every
 * trial runs on one small ledger inside a transaction that is rolled back afterwards, and must be detected with a
 * fitting finding. On the embedded default and on PostgreSQL.
 */
class TamperTest {

    private static final int TRIALS_PER_DATABASE = 520;
    private static final int ENTRIES = 150;
    private static final long SEED = Long.getLong("ledger.tamper.seed", 20261123L);
    private static final HexFormat HEX = HexFormat.of();
    private static final Ed25519Keys.SigningKey ATTACKER = Ed25519Keys.SigningKey.of(Ed25519Keys.generate());
    private static final List<String> CONTENT = List.of(LedgerColumns.CONTENT_COLUMNS.split(", "));

    /** One way to tamper; returns the kinds of which the report must contain at least one. */
    private enum Tamper {
        CHANGE_FIELD(t -> {
            int i = t.live();
            String column = t.pick(CONTENT);
            t.sql("update ledger_entry set " + column + " = ? where leaf_index = ?", "x" + t.random.nextInt(1000), i);
            return EnumSet.of(Kind.ENTRY_MODIFIED);
        }),
        CLEAR_FIELD(t -> {
            int i = t.live();
            t.sql("update ledger_entry set correlation_id = null where leaf_index = ?", i);
            return EnumSet.of(Kind.ENTRY_MODIFIED);
        }),
        CHANGE_TIME(t -> {
            int i = t.live();
            t.sql("update ledger_entry set recorded_at = ? where leaf_index = ?",
                    Times.utc(t.read(i).time().plusSeconds(1 + t.random.nextInt(86400))), i);
            return EnumSet.of(Kind.ENTRY_MODIFIED);
        }),
        REWRITE_WITH_LEAF_HASH(t -> {
            t.rewrite(t.live(), false);
            return EnumSet.of(Kind.ENTRY_REWRITTEN);
        }),
        REWRITE_WITH_LEAF_HASH_AND_HEAD(t -> {
            t.rewrite(t.live(), true);
            return EnumSet.of(Kind.ENTRY_REWRITTEN);
        }),
        CHANGE_LEAF_HASH(t -> {
            int i = t.any();
            t.sql("update ledger_entry set leaf_hash = ? where leaf_index = ?", t.randomHash(), i);
            return EnumSet.of(Kind.ENTRY_MODIFIED, Kind.ENTRY_REWRITTEN);
        }),
        DELETE(t -> {
            t.sql("delete from ledger_entry where leaf_index = ?", t.any());
            return EnumSet.of(Kind.ENTRY_DELETED, Kind.ENTRIES_TRUNCATED);
        }),
        INSERT_AT_END(t -> {
            t.insertForged(t.size);
            return EnumSet.of(Kind.ENTRY_INSERTED);
        }),
        INSERT_IN_THE_MIDDLE(t -> {
            int k = t.any();
            t.shiftFrom(k);
            t.insertForged(k);
            return EnumSet.of(Kind.ENTRY_REORDERED, Kind.ENTRY_INSERTED);
        }),
        INSERT_IN_THE_MIDDLE_AND_FIX_HEAD(t -> {
            int k = t.any();
            t.shiftFrom(k);
            t.insertForged(k);
            t.fixHead();
            return EnumSet.of(Kind.ENTRY_REORDERED);
        }),
        SWAP(t -> {
            int i = t.any();
            int j = (i + 1 + t.random.nextInt(t.size - 1)) % t.size;
            t.swap(i, j);
            return EnumSet.of(Kind.ENTRY_REORDERED, Kind.ENTRY_REWRITTEN);
        }),
        SWAP_NEIGHBOURS(t -> {
            int i = t.random.nextInt(t.size - 1);
            t.swap(i, i + 1);
            return EnumSet.of(Kind.ENTRY_REORDERED, Kind.ENTRY_REWRITTEN);
        }),
        TRUNCATE(t -> {
            t.sql("delete from ledger_entry where leaf_index >= ?", 1 + t.random.nextInt(t.size - 1));
            return EnumSet.of(Kind.ENTRIES_TRUNCATED);
        }),
        TRUNCATE_AND_FIX_HEAD(t -> {
            t.sql("delete from ledger_entry where leaf_index >= ?", 1 + t.random.nextInt(t.size - 1));
            t.fixHead();
            return EnumSet.of(Kind.ENTRIES_TRUNCATED);
        }),
        REDACT_TOO_EARLY(t -> {
            int i = t.live();
            t.sql("update ledger_entry set " + String.join(" = null, ", CONTENT) + " = null, redacted_at = ? "
                    + "where leaf_index = ?", Times.utc(TestLedgers.T0), i);
            return EnumSet.of(Kind.REDACTED_TOO_EARLY);
        }),
        UNREDACT_WITH_INVENTED_CONTENTS(t -> {
            int i = t.redacted.get(t.random.nextInt(t.redacted.size()));
            t.sql("update ledger_entry set redacted_at = null, decision = 'shared', correlation_id = 'x' "
                    + "where leaf_index = ?", i);
            return EnumSet.of(Kind.ENTRY_MODIFIED);
        }),
        CHECKPOINT_ROOT(t -> {
            t.sql("update ledger_checkpoint set root_hash = ? where seq = ?", t.randomHash(), t.checkpoint());
            return EnumSet.of(Kind.CHECKPOINT_BAD_SIGNATURE);
        }),
        CHECKPOINT_SIZE(t -> {
            long seq = t.checkpoint();
            t.sql("update ledger_checkpoint set tree_size = tree_size - ? where seq = ?", 1 + t.random.nextInt(5), seq);
            return EnumSet.of(Kind.CHECKPOINT_BAD_SIGNATURE);
        }),
        CHECKPOINT_TIME(t -> {
            long seq = t.checkpoint();
            Instant at = t.jdbc.queryForObject("select created_at from ledger_checkpoint where seq = ?",
                    (rs, n) -> LedgerColumns.instant(rs, 1), seq);
            t.sql("update ledger_checkpoint set created_at = ? where seq = ?",
                    Times.utc(at.minus(Duration.ofMinutes(1 + t.random.nextInt(100)))), seq);
            return EnumSet.of(Kind.CHECKPOINT_BAD_SIGNATURE);
        }),
        CHECKPOINT_SIGNATURE(t -> {
            byte[] signature = new byte[64];
            t.random.nextBytes(signature);
            t.sql("update ledger_checkpoint set signature = ? where seq = ?",
                    Base64.getEncoder().encodeToString(signature), t.checkpoint());
            return EnumSet.of(Kind.CHECKPOINT_BAD_SIGNATURE);
        }),
        CHECKPOINT_KEY(t -> {
            t.sql("update ledger_checkpoint set key_id = ? where seq = ?", t.randomHash(), t.checkpoint());
            return EnumSet.of(Kind.CHECKPOINT_UNKNOWN_KEY);
        }),
        CHECKPOINT_RESIGNED_BY_ANOTHER_KEY(t -> {
            long seq = t.checkpoint();
            Checkpoint c = t.jdbc.queryForObject("select " + LedgerColumns.CHECKPOINT_COLUMNS
                    + " from ledger_checkpoint where seq = ?", LedgerColumns::checkpoint, seq);
            Checkpoint forged = t.forge(c.seq(), c.treeSize(), t.randomHash());
            t.sql("update ledger_checkpoint set root_hash = ?, key_id = ?, signature = ? where seq = ?",
                    forged.rootHash(), forged.keyId(), forged.signature(), seq);
            return EnumSet.of(Kind.CHECKPOINT_UNKNOWN_KEY);
        }),
        CHECKPOINT_DELETE(t -> {
            t.sql("delete from ledger_checkpoint where seq = ?", t.checkpoint());
            return EnumSet.of(Kind.CHECKPOINT_DELETED);
        }),
        CHECKPOINT_TRUNCATE(t -> {
            t.sql("delete from ledger_checkpoint where seq >= ?", t.checkpoint());
            return EnumSet.of(Kind.CHECKPOINT_DELETED);
        }),
        CHECKPOINT_FORGED(t -> {
            Checkpoint forged = t.forge(t.checkpoints + 1, t.size, t.headRoot());
            t.sql("insert into ledger_checkpoint (" + LedgerColumns.CHECKPOINT_COLUMNS + ") values (?, ?, ?, ?, ?, ?)",
                    LedgerColumns.insertParams(forged));
            return EnumSet.of(Kind.CHECKPOINT_UNKNOWN_KEY);
        }),
        CHECKPOINT_SWAP(t -> {
            long a = t.checkpoint();
            long b = a % t.checkpoints + 1;
            t.sql("update ledger_checkpoint set seq = -1 where seq = ?", a);
            t.sql("update ledger_checkpoint set seq = ? where seq = ?", a, b);
            t.sql("update ledger_checkpoint set seq = ? where seq = -1", b);
            return EnumSet.of(Kind.CHECKPOINT_BAD_SIGNATURE);
        }),
        CHECKPOINT_REPLAYED(t -> {
            long a = t.checkpoint();
            long b = a % t.checkpoints + 1;
            t.sql("update ledger_checkpoint set tree_size = (select tree_size from ledger_checkpoint where seq = ?), "
                    + "root_hash = (select root_hash from ledger_checkpoint where seq = ?), "
                    + "created_at = (select created_at from ledger_checkpoint where seq = ?), "
                    + "signature = (select signature from ledger_checkpoint where seq = ?) where seq = ?", a, a, a, a, b);
            return EnumSet.of(Kind.CHECKPOINT_BAD_SIGNATURE);
        }),
        HEAD_ROOT(t -> {
            t.sql("update ledger_head set root_hash = ? where id = 1", t.randomHash());
            return EnumSet.of(Kind.HEAD_MISMATCH);
        }),
        HEAD_SIZE(t -> {
            t.sql("update ledger_head set tree_size = ? where id = 1", t.random.nextInt(t.size));
            return EnumSet.of(Kind.ENTRY_INSERTED);
        }),
        NODE_CHANGE(t -> {
            t.sql("update ledger_node set hash = ? where tree_level = 1 and node_index = ?", t.randomHash(),
                    t.random.nextInt(t.size / 2));
            return EnumSet.of(Kind.NODE_MISMATCH);
        }),
        NODE_DELETE(t -> {
            int level = 1 + t.random.nextInt(7);
            t.sql("delete from ledger_node where tree_level = ? and node_index = ?", level,
                    t.random.nextInt(t.size >> level));
            return EnumSet.of(Kind.NODE_MISMATCH);
        });

        private final Function<Trial, Set<Kind>> apply;

        Tamper(Function<Trial, Set<Kind>> apply) {
            this.apply = apply;
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void shouldDetectEveryRandomTampering(TestDatabases.Kind db) {
        Fixture f = build(db);
        List<Integer> redacted = f.jdbc().queryForList(
                "select leaf_index from ledger_entry where redacted_at is not null order by leaf_index", Integer.class);
        VerificationReport clean = f.verifier().verify();
        assertThat(clean.ok()).as(clean.summary()).isTrue();
        assertThat(redacted).isNotEmpty();
        long checkpoints = f.ledger().checkpoints().size();

        Random random = new Random(SEED + db.ordinal());
        Map<Tamper, Integer> done = new EnumMap<>(Tamper.class);
        Tamper[] all = Tamper.values();
        for (int n = 0; n < TRIALS_PER_DATABASE; n++) {
            Tamper tamper = all[n < all.length ? n : random.nextInt(all.length)];
            int trialNumber = n;
            f.transaction().executeWithoutResult(status -> {
                Trial trial = new Trial(f.jdbc(), random, ENTRIES, (int) checkpoints, redacted);
                Set<Kind> expected = tamper.apply.apply(trial);
                VerificationReport report = f.verifier().verify();
                assertThat(report.tampering()).extracting(Finding::kind)
                        .as("trial %d (%s, seed %d): %s", trialNumber, tamper, SEED, report.summary())
                        .isNotEmpty().containsAnyElementsOf(expected);
                status.setRollbackOnly();
            });
            done.merge(tamper, 1, Integer::sum);
        }

        assertThat(done).hasSize(all.length);
        assertThat(f.verifier().verify().findings()).extracting(Finding::kind).containsOnly(Kind.ENTRY_REDACTED);
    }

    /** 150 entries, a checkpoint every 16 and one at the end, and a few entries past retention, redacted. */
    private static Fixture build(TestDatabases.Kind db) {
        Fixture f = TestLedgers.create(db, 16);
        List<LedgerEntry> entries = new ArrayList<>();
        for (int i = 0; i < ENTRIES; i++) {
            boolean expired = i % 11 == 3;
            entries.add(TestLedgers.entry(i, expired ? TestLedgers.T0.minus(Duration.ofDays(4000))
                    : TestLedgers.T0.plusSeconds(i)));
            if (entries.size() == 10) {
                f.ledger().appendAll(entries);
                entries.clear();
            }
        }
        f.ledger().appendAll(entries);
        f.ledger().checkpoint();
        f.retention().redactExpired();
        return f;
    }

    /** The tools of one trial. */
    private static final class Trial {
        private final JdbcTemplate jdbc;
        private final Random random;
        private final int size;
        private final int checkpoints;
        private final List<Integer> redacted;

        Trial(JdbcTemplate jdbc, Random random, int size, int checkpoints, List<Integer> redacted) {
            this.jdbc = jdbc;
            this.random = random;
            this.size = size;
            this.checkpoints = checkpoints;
            this.redacted = redacted;
        }

        int any() {
            return random.nextInt(size);
        }

        int live() {
            int i;
            do {
                i = any();
            } while (redacted.contains(i));
            return i;
        }

        long checkpoint() {
            return 1 + random.nextInt(checkpoints);
        }

        <T> T pick(List<T> values) {
            return values.get(random.nextInt(values.size()));
        }

        String randomHash() {
            byte[] hash = new byte[Merkle.HASH_SIZE];
            random.nextBytes(hash);
            return HEX.formatHex(hash);
        }

        void sql(String sql, Object... args) {
            jdbc.update(sql, args);
        }

        LedgerRecord read(long index) {
            return jdbc.queryForObject("select " + LedgerColumns.ENTRY_COLUMNS + " from ledger_entry where leaf_index = ?",
                    LedgerColumns::entry, index);
        }

        // changes a field and stores the leaf hash that matches, as someone who knows the format would
        void rewrite(int index, boolean fixHead) {
            LedgerRecord r = read(index);
            LedgerRecord changed = new LedgerRecord(r.index(), r.time(), r.decision(), r.reason(), r.sourceId(),
                    r.patientRef(), "jobcenter-elsewhere", r.caseId(), r.consultantRef(), r.consentId(),
                    r.consentVersion(), r.purpose(), r.categories(), r.payloadSha256(), r.correlationId(), r.cprHash(),
                    r.cprCiphertext(), r.actor(), null, null);
            sql("update ledger_entry set recipient = ?, leaf_hash = ? where leaf_index = ?", changed.recipient(),
                    CanonicalEntry.leafHash(changed), index);
            if (fixHead) {
                fixHead();
            }
        }

        void insertForged(long index) {
            LedgerRecord forged = new LedgerRecord(index, TestLedgers.T0, "shared", null, "ehr-main", "Patient/x",
                    "jobcenter-aarhus", "casezz", null, "Consent/x", "1", "ips-employment-support", List.of("citizen"),
                    null, "forged", null, null, null, null, null);
            sql(LedgerColumns.INSERT_ENTRY, LedgerColumns.insertParams(forged.withLeafHash(
                    CanonicalEntry.leafHash(forged))));
        }

        // every entry at or after k moves up by one, through negative indexes so no key collides on the way
        void shiftFrom(int k) {
            sql("update ledger_entry set leaf_index = -leaf_index - 2 where leaf_index >= ?", k);
            sql("update ledger_entry set leaf_index = -leaf_index - 1 where leaf_index < 0");
        }

        void swap(int i, int j) {
            sql("update ledger_entry set leaf_index = -1 where leaf_index = ?", i);
            sql("update ledger_entry set leaf_index = ? where leaf_index = ?", i, j);
            sql("update ledger_entry set leaf_index = ? where leaf_index = -1", j);
        }

        // recomputes the head from the stored leaf hashes, as someone covering their tracks would
        void fixHead() {
            Frontier frontier = new Frontier();
            jdbc.query("select leaf_hash from ledger_entry order by leaf_index",
                    rs -> {
                        frontier.append(HEX.parseHex(rs.getString(1)), (level, index, hash) -> { });
                    });
            sql("update ledger_head set tree_size = ?, root_hash = ?, frontier = ? where id = 1", frontier.size(),
                    HEX.formatHex(frontier.root()), frontier.encode());
        }

        String headRoot() {
            return jdbc.queryForObject("select root_hash from ledger_head where id = 1", String.class);
        }

        Checkpoint forge(long seq, long treeSize, String root) {
            Checkpoint unsigned = new Checkpoint(seq, treeSize, root, TestLedgers.T0, ATTACKER.keyId(), null);
            return new Checkpoint(seq, treeSize, root, TestLedgers.T0, ATTACKER.keyId(),
                    ATTACKER.sign(unsigned.signedBytes()));
        }
    }
}
