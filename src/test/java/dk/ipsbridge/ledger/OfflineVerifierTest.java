package dk.ipsbridge.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Period;
import java.util.ArrayList;
import java.util.List;

import dk.ipsbridge.ledger.Finding.Kind;
import dk.ipsbridge.ledger.TestLedgers.Fixture;
import dk.ipsbridge.store.TestDatabases;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Export, then verify with nothing but the export file and the public key. */
class OfflineVerifierTest {

    @TempDir
    static Path dir;
    private static Fixture ledger;
    private static Path export;
    private static List<String> lines;

    @BeforeAll
    static void exportALedger() throws IOException {
        ledger = TestLedgers.create(TestDatabases.Kind.H2, 7);
        for (int i = 0; i < 60; i++) {
            ledger.ledger().append(TestLedgers.entry(i, i % 10 == 0 ? TestLedgers.T0.minus(Duration.ofDays(4000))
                    : TestLedgers.T0));
        }
        ledger.ledger().checkpoint();
        ledger.retention().redactExpired();
        export = dir.resolve("ledger.jsonl");
        try (OutputStream out = Files.newOutputStream(export)) {
            ledger.export().write(out);
        }
        lines = Files.readAllLines(export);
    }

    @Test
    void shouldVerifyAnUntouchedExportWithTheSameReportAsTheDatabase() {
        VerificationReport offline = verify(export, TestLedgers.KEYS.verificationKey());
        VerificationReport online = ledger.verifier().verify();

        assertThat(offline.ok()).as(offline.summary()).isTrue();
        assertThat(offline).isEqualTo(online);
        assertThat(offline.redacted()).isEqualTo(6);
        assertThat(offline.checkpoints()).isEqualTo(ledger.ledger().checkpoints().size());
        assertThat(lines).hasSize(1 + offline.checkpoints() + 60);
        assertThat(run(export, "--key", TestLedgers.KEYS.verificationKey().toString(), "--retention", "P10Y"))
                .startsWith("0 OK: 60 entries, tree size 60");
    }

    @Test
    void shouldHoldNoClearCprNumberOnlyItsHashAndCiphertext() {
        String text = String.join("\n", lines);
        for (int p = 0; p < 17; p++) {
            assertThat(text).doesNotContain(TestLedgers.cpr(p));
        }
        assertThat(text).contains("\"cprHash\":").contains("\"cprCiphertext\":\"v2:");
    }

    @Test
    void shouldDetectAChangedEntry() throws IOException {
        int line = 1 + ledger.ledger().checkpoints().size() + 13;
        Path tampered = tampered(line, lines.get(line).replace("jobcenter-aarhus", "jobcenter-randers"));
        assertThat(verify(tampered, TestLedgers.KEYS.verificationKey()).tampering())
                .extracting(Finding::kind, Finding::index)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Kind.ENTRY_MODIFIED, 13L));
        assertThat(run(tampered, "--key", TestLedgers.KEYS.verificationKey().toString()))
                .startsWith("1 TAMPERED").contains("ENTRY_MODIFIED 13");
    }

    @Test
    void shouldDetectADeletedReorderedOrTruncatedEntryAndAChangedCheckpoint() throws IOException {
        int first = 1 + ledger.ledger().checkpoints().size();
        List<String> deleted = new ArrayList<>(lines);
        deleted.remove(first + 20);
        assertThat(kinds(write(deleted))).contains(Kind.ENTRY_DELETED);

        List<String> swapped = new ArrayList<>(lines);
        swapped.set(first + 21, lines.get(first + 22).replace("\"index\":22", "\"index\":21"));
        swapped.set(first + 22, lines.get(first + 21).replace("\"index\":21", "\"index\":22"));
        assertThat(kinds(write(swapped))).contains(Kind.ENTRY_REORDERED);

        assertThat(kinds(write(lines.subList(0, first + 40)))).contains(Kind.ENTRIES_TRUNCATED);

        assertThat(kinds(tampered(1, lines.get(1).replace("\"treeSize\":7", "\"treeSize\":8"))))
                .contains(Kind.CHECKPOINT_BAD_SIGNATURE);
    }

    @Test
    void shouldRejectEveryCheckpointUnderAnotherPublicKey() throws IOException {
        Path other = LedgerKeyTool.generate(dir.resolve("other-keys")).verificationKey();
        VerificationReport report = verify(export, other);
        assertThat(report.tampering()).extracting(Finding::kind).containsOnly(Kind.CHECKPOINT_UNKNOWN_KEY)
                .hasSize(report.checkpoints());
        assertThat(run(export, "--key", other.toString())).startsWith("1 TAMPERED");
    }

    @Test
    void shouldAnswerTwoForAnUnreadableExportOrMissingKey() throws IOException {
        assertThat(run(tampered(0, "not json"), "--key", TestLedgers.KEYS.verificationKey().toString()))
                .startsWith("2 ").contains("cannot verify");
        assertThat(run(export)).startsWith("2 ").contains("usage");
    }

    private static VerificationReport verify(Path file, Path key) {
        return OfflineVerifier.verify(file, List.of(key), Period.ofYears(10), TestLedgers.T0);
    }

    private static List<Kind> kinds(Path file) {
        return verify(file, TestLedgers.KEYS.verificationKey()).tampering().stream().map(Finding::kind).toList();
    }

    private static Path tampered(int line, String replacement) throws IOException {
        List<String> copy = new ArrayList<>(lines);
        copy.set(line, replacement);
        return write(copy);
    }

    private static Path write(List<String> content) throws IOException {
        return Files.write(Files.createTempFile(dir, "tampered", ".jsonl"), content);
    }

    private static String run(Path file, String... options) {
        List<String> args = new ArrayList<>(List.of(options));
        args.add(file.toString());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = OfflineVerifier.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        return code + " " + out.toString(StandardCharsets.UTF_8);
    }

}
