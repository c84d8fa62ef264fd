package dk.ipsbridge.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dk.ipsbridge.decision.Decision;
import dk.ipsbridge.decision.DecisionLog;
import dk.ipsbridge.ledger.Finding.Kind;
import dk.ipsbridge.ledger.TestLedgers.Fixture;
import dk.ipsbridge.store.TestDatabases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/** The ledger on the embedded default and on PostgreSQL: appends, checkpoints, proofs, search, retention, keys. */
class LedgerTest {

    private static final Instant T0 = TestLedgers.T0;

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void shouldAppendGapFreeAndProveEveryEntryAgainstEveryCheckpoint(TestDatabases.Kind db) {
        Fixture f = TestLedgers.create(db, 10);
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < 37; i++) {
            assertThat(f.ledger().append(TestLedgers.entry(i, T0.plusSeconds(i)))).isEqualTo(i);
        }
        f.ledger().appendAll(List.of(TestLedgers.entry(37, T0), TestLedgers.entry(38, T0)));
        assertThat(f.ledger().size()).isEqualTo(39);
        for (long i = 0; i < 39; i++) {
            leaves.add(HexFormat.of().parseHex(f.ledger().entry(i).orElseThrow().leafHash()));
        }

        List<Checkpoint> checkpoints = f.ledger().checkpoints();
        assertThat(checkpoints).extracting(Checkpoint::seq).containsExactly(1L, 2L, 3L);
        assertThat(checkpoints).extracting(Checkpoint::treeSize).containsExactly(10L, 20L, 30L);
        for (Checkpoint c : checkpoints) {
            assertThat(c.rootHash()).isEqualTo(HexFormat.of().formatHex(Merkle.root(c.treeSize(),
                    Merkle.inMemory(leaves))));
            assertThat(c.keyId()).isEqualTo(f.keys().signingKeyId());
            for (long i = 0; i < c.treeSize(); i++) {
                InclusionProof proof = f.ledger().inclusionProof(i, c.treeSize());
                assertThat(proof.verify(c.rootHash())).as("entry %d in checkpoint %d", i, c.seq()).isTrue();
            }
        }
        ConsistencyProof consistency = f.ledger().consistencyProof(10, 30);
        assertThat(consistency.verify(checkpoints.get(0).rootHash(), checkpoints.get(2).rootHash())).isTrue();
        assertThat(consistency.verify(checkpoints.get(1).rootHash(), checkpoints.get(2).rootHash())).isFalse();
        assertThat(f.ledger().root(39)).isEqualTo(HexFormat.of().formatHex(Merkle.root(39, Merkle.inMemory(leaves))));
        assertThatThrownBy(() -> f.ledger().inclusionProof(0, 40)).isInstanceOf(IllegalArgumentException.class);

        VerificationReport report = f.verifier().verify();
        assertThat(report.findings()).isEmpty();
        assertThat(report.entries()).isEqualTo(39);
        assertThat(report.checkpoints()).isEqualTo(3);
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void shouldCheckpointWhenTheIntervalHasPassedAndOnlyIfEntriesWereAdded(TestDatabases.Kind db) {
        Fixture f = TestLedgers.create(db, 1000);
        assertThat(f.ledger().checkpointIfDue()).isEmpty();
        f.ledger().append(TestLedgers.entry(0, T0));
        assertThat(f.ledger().checkpointIfDue()).get().extracting(Checkpoint::seq, Checkpoint::treeSize)
                .containsExactly(1L, 1L);

        f.ledger().append(TestLedgers.entry(1, T0));
        f.clock().advance(Duration.ofMinutes(4));
        assertThat(f.ledger().checkpointIfDue()).isEmpty();
        f.clock().advance(Duration.ofMinutes(1));
        Checkpoint second = f.ledger().checkpointIfDue().orElseThrow();
        assertThat(second.treeSize()).isEqualTo(2);
        assertThat(second.timestamp()).isEqualTo(T0.plus(Duration.ofMinutes(5)));

        f.clock().advance(Duration.ofHours(1));
        assertThat(f.ledger().checkpointIfDue()).isEmpty();
        assertThat(f.ledger().checkpoint()).contains(second);
        assertThat(f.ledger().latestCheckpoint()).contains(second);
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void shouldFindAPatientsEntriesByCprWithoutTheDatabaseEverHoldingIt(TestDatabases.Kind db) {
        Fixture f = TestLedgers.create(db, 1000);
        for (int i = 0; i < 40; i++) {
            f.ledger().append(TestLedgers.entry(i, T0));
        }
        String cpr = TestLedgers.cpr(4);
        List<LedgerRecord> found = f.ledger().findByCpr(cpr.substring(0, 6) + "-" + cpr.substring(6));

        assertThat(found).extracting(LedgerRecord::index).containsExactly(4L, 21L);
        assertThat(found).allSatisfy(r -> assertThat(f.ledger().revealCpr(r)).contains(cpr));
        assertThat(f.ledger().findByCpr(TestLedgers.cpr(16 + 1))).isEmpty();

        List<Map<String, Object>> rows = JdbcClient.create(f.dataSource()).sql("select * from ledger_entry")
                .query().listOfRows();
        for (int p = 0; p < 17; p++) {
            String clear = TestLedgers.cpr(p);
            assertThat(rows).allSatisfy(row -> assertThat(row.values()).noneMatch(
                    v -> v != null && v.toString().contains(clear)));
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void shouldRedactExpiredEntriesAndStillVerifyAndProve(TestDatabases.Kind db) {
        Fixture f = TestLedgers.create(db, 8);
        Instant old = T0.minus(Duration.ofDays(11 * 366));
        for (int i = 0; i < 30; i++) {
            f.ledger().append(TestLedgers.entry(i, i < 20 && i % 2 == 0 ? old : T0));
        }
        f.ledger().checkpoint();
        Checkpoint last = f.ledger().latestCheckpoint().orElseThrow();
        String cpr = TestLedgers.cpr(4);
        assertThat(f.ledger().findByCpr(cpr)).extracting(LedgerRecord::index).containsExactly(4L, 21L);

        assertThat(f.retention().redactExpired()).isEqualTo(10);
        assertThat(f.retention().redactExpired()).isZero();

        LedgerRecord redacted = f.ledger().entry(4).orElseThrow();
        assertThat(redacted.redacted()).isTrue();
        assertThat(redacted.decision()).isNull();
        assertThat(redacted.cprHash()).isNull();
        assertThat(redacted.leafHash()).hasSize(64);
        assertThat(f.ledger().findByCpr(cpr)).extracting(LedgerRecord::index).containsExactly(21L);
        assertThat(f.ledger().inclusionProof(4, last.treeSize()).verify(last.rootHash())).isTrue();

        VerificationReport report = f.verifier().verify();
        assertThat(report.ok()).as(report.summary()).isTrue();
        assertThat(report.redacted()).isEqualTo(10);
        assertThat(report.findings()).extracting(Finding::kind).containsOnly(Kind.ENTRY_REDACTED);
        assertThat(report.findings()).extracting(Finding::index).containsExactly(0L, 2L, 4L, 6L, 8L, 10L, 12L, 14L,
                16L, 18L);
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void shouldRollBackTheEntryWithTheCallersStateChangeAndLeaveNoGap(TestDatabases.Kind db) {
        Fixture f = TestLedgers.create(db, 3);
        DecisionLog decisions = new DecisionLog(JdbcClient.create(f.dataSource()), f.ledger(),
                new SimpleMeterRegistry());
        f.ledger().append(TestLedgers.entry(0, T0));

        assertThatThrownBy(() -> f.transaction().executeWithoutResult(status -> {
            decisions.record(decision("rolled-back"), DecisionLog.Evidence.NONE);
            // reaches 3 entries: a checkpoint inside the transaction
            decisions.record(decision("rolled-back"), DecisionLog.Evidence.NONE);
            throw new IllegalStateException("the caller fails after appending");
        })).hasMessageContaining("caller fails");

        assertThat(f.ledger().size()).isEqualTo(1);
        assertThat(f.ledger().checkpoints()).isEmpty();
        assertThat(f.jdbc().queryForObject("select count(*) from ledger_entry", Long.class)).isEqualTo(1);
        assertThat(f.jdbc().queryForObject("select count(*) from decision", Long.class)).isZero();

        f.transaction().executeWithoutResult(status -> decisions.record(decision("committed"),
                DecisionLog.Evidence.NONE));
        assertThat(f.jdbc().queryForObject("select count(*) from decision", Long.class)).isEqualTo(1);
        assertThat(f.ledger().size()).isEqualTo(2);
        assertThat(f.verifier().verify().findings()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void shouldFailClosedWithoutKeysSoTheCallersChangeRollsBackToo(TestDatabases.Kind db) {
        LedgerProperties.Keys none = new LedgerProperties.Keys(null, List.of(), null, null, null, null, List.of(),
                List.of());
        Fixture f = TestLedgers.create(TestDatabases.fresh(db), TestLedgers.settings(1), LedgerKeys.load(none));
        DecisionLog decisions = new DecisionLog(JdbcClient.create(f.dataSource()), f.ledger(),
                new SimpleMeterRegistry());

        assertThatThrownBy(() -> f.transaction().executeWithoutResult(status -> decisions.record(
                decision("shared"), new DecisionLog.Evidence("0101901001", null, null))))
                .hasMessageContaining("ips.ledger.keys.cpr-hash-key-file");
        assertThat(f.jdbc().queryForObject("select count(*) from decision", Long.class)).isZero();
        assertThatThrownBy(() -> f.ledger().append(TestLedgers.entry(2, T0))) // no CPR, but a checkpoint is due
                .hasMessageContaining("ips.ledger.keys.signing-key-file");
        assertThat(f.ledger().size()).isZero();
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void shouldSerialiseConcurrentAppendsWithoutGaps(TestDatabases.Kind db) throws Exception {
        Fixture f = TestLedgers.create(db, 25);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<List<Long>>> results = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            results.add(pool.submit(() -> {
                List<Long> mine = new ArrayList<>();
                for (int i = 0; i < 25; i++) {
                    mine.add(f.ledger().append(TestLedgers.entry(thread * 100 + i, T0)));
                }
                return mine;
            }));
        }
        List<Long> all = new ArrayList<>();
        for (Future<List<Long>> result : results) {
            all.addAll(result.get());
        }
        pool.shutdown();
        assertThat(all).hasSize(100).doesNotHaveDuplicates().allMatch(i -> i >= 0 && i < 100);
        assertThat(f.ledger().checkpoints()).extracting(Checkpoint::treeSize).containsExactly(25L, 50L, 75L, 100L);
        assertThat(f.verifier().verify().findings()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void shouldAcceptCheckpointsOfARetiredKeyOnlyWhileItIsKnown(TestDatabases.Kind db) throws Exception {
        Fixture before = TestLedgers.create(db, 5);
        for (int i = 0; i < 10; i++) {
            before.ledger().append(TestLedgers.entry(i, T0));
        }
        LedgerKeyTool.GeneratedKeys next = LedgerKeyTool.generate(java.nio.file.Files.createTempDirectory("rotated"));
        LedgerProperties.Keys rotated = new LedgerProperties.Keys(next.signingKey(),
                List.of(TestLedgers.KEYS.verificationKey()), next.cprHashKey(), null, next.cprEncryptionKey(), null,
                List.of(TestLedgers.KEYS.cprHashKey()), List.of(TestLedgers.KEYS.cprEncryptionKey()));
        Fixture after = TestLedgers.create(before.dataSource(), TestLedgers.settings(5), LedgerKeys.load(rotated));
        for (int i = 10; i < 20; i++) {
            after.ledger().append(TestLedgers.entry(i, T0));
        }
        // the CPR keys were rotated too: a patient's entries under the old keys and the new are found and shown
        List<LedgerRecord> patient1 = after.ledger().findByCpr(TestLedgers.cpr(1));
        assertThat(patient1).extracting(LedgerRecord::index).containsExactly(1L, 18L);
        assertThat(patient1).allSatisfy(r -> assertThat(after.ledger().revealCpr(r)).contains(TestLedgers.cpr(1)));
        assertThat(after.ledger().checkpoints()).extracting(Checkpoint::keyId).containsExactly(
                before.keys().signingKeyId(), before.keys().signingKeyId(), after.keys().signingKeyId(),
                after.keys().signingKeyId());
        assertThat(after.verifier().verify().findings()).isEmpty();

        LedgerProperties.Keys forgotten = new LedgerProperties.Keys(next.signingKey(), List.of(), null, null, null,
                null, List.of(), List.of());
        VerificationReport report = TestLedgers.create(before.dataSource(), TestLedgers.settings(5),
                LedgerKeys.load(forgotten)).verifier().verify();
        assertThat(report.tampering()).extracting(Finding::kind, Finding::index)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Kind.CHECKPOINT_UNKNOWN_KEY, 1L),
                        org.assertj.core.groups.Tuple.tuple(Kind.CHECKPOINT_UNKNOWN_KEY, 2L));
    }

    private static Decision decision(String outcome) {
        return new Decision(T0, "ehr-main", "Patient/p1", "jobcenter-aarhus", "caseabc", outcome, null, null, null,
                null, null, null, "corr");
    }

    @Test
    void shouldLeaveTheH2SessionAsItFoundItAfterVerifyingLazily() throws Exception {
        // one connection for all, as a pool hands the same session on
        SingleConnectionDataSource one = new SingleConnectionDataSource(
                TestDatabases.fresh(TestDatabases.Kind.H2).getConnection(), true);
        Fixture f = TestLedgers.create(one, TestLedgers.settings(10), LedgerKeys.load(TestLedgers.KEYS.config()));
        for (int i = 0; i < 25; i++) {
            f.ledger().append(TestLedgers.entry(i, T0.plusSeconds(i)));
        }
        assertThat(f.verifier().verify().findings()).isEmpty();
        org.h2.engine.SessionLocal session = (org.h2.engine.SessionLocal) one.getConnection()
                .unwrap(org.h2.jdbc.JdbcConnection.class).getSession();
        assertThat(session.isLazyQueryExecution()).isFalse();
    }
}
