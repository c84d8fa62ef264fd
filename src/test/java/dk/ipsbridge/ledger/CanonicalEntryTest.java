package dk.ipsbridge.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

class CanonicalEntryTest {

    private static final LedgerRecord RECORD = new LedgerRecord(7, Instant.parse("2026-11-23T10:00:00.123456Z"),
            "shared", null, "ehr-main", "Patient/p1", "jobcenter-aarhus", "caseabc", null, "Consent/k1", "2",
            "ips-employment-support", List.of("citizen", "diagnosis"), "ab".repeat(32), "corr-1", "cd".repeat(32),
            "v1:AAAA", null, null, null);

    @Test
    void shouldEncodeTheDocumentedBytes() {
        byte[] bytes = CanonicalEntry.encode(RECORD);
        String hex = HexFormat.of().formatHex(bytes);
        assertThat(hex).startsWith("01" + "0000000000000007" // format, index
                + "01" + "0000001b" + HexFormat.of().formatHex("2026-11-23T10:00:00.123456Z".getBytes())
                + "01" + "00000006" + HexFormat.of().formatHex("shared".getBytes())
                + "00"); // reason absent
        assertThat(new String(bytes, java.nio.charset.StandardCharsets.UTF_8)).contains("citizen diagnosis");
    }

    @Test
    void shouldPinTheLeafHashSoTheFormatCannotDriftUnnoticed() {
        assertThat(CanonicalEntry.leafHash(RECORD))
                .isEqualTo(HexFormat.of().formatHex(Merkle.leafHash(CanonicalEntry.encode(RECORD))))
                .isEqualTo("f64256e2c1bf48f7f788b6fd25e1f7b63e9625b665c5637a27d04f31da28a171"); // as docs/ledger.md's Python
    }

    @Test
    void shouldTellAnAbsentFieldFromAnEmptyOneAndBindTheIndex() {
        LedgerRecord empty = new LedgerRecord(7, RECORD.time(), "shared", "", "ehr-main", "Patient/p1",
                "jobcenter-aarhus", "caseabc", null, "Consent/k1", "2", "ips-employment-support",
                RECORD.categories(), RECORD.payloadSha256(), "corr-1", RECORD.cprHash(), RECORD.cprCiphertext(), null,
                null, null);
        assertThat(CanonicalEntry.leafHash(empty)).isNotEqualTo(CanonicalEntry.leafHash(RECORD));
        assertThat(CanonicalEntry.leafHash(RECORD.atIndex(8))).isNotEqualTo(CanonicalEntry.leafHash(RECORD));
    }

    @Test
    void shouldNeverShowTheCprNumberOfAnEntryAndRejectAMalformedOneWithoutEchoingIt() {
        LedgerEntry entry = TestLedgers.entry(0, Instant.now());
        assertThat(entry.cpr()).hasSize(10);
        assertThat(entry.toString()).doesNotContain(entry.cpr());
        assertThatThrownBy(() -> LedgerEntry.builder().time(Instant.now()).decision("held").correlationId("c")
                .cpr("12345-678").build()).hasMessageNotContaining("12345");
        assertThat(LedgerEntry.builder().time(Instant.now()).decision("held").correlationId("c").cpr("010190-1234")
                .build().cpr()).isEqualTo("0101901234");
    }

    @Test
    void shouldRejectWhatTheColumnsCannotHold() {
        assertThatThrownBy(() -> LedgerEntry.builder().time(Instant.now()).decision("Shared!").correlationId("c")
                .build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LedgerEntry.builder().time(Instant.now()).decision("held").correlationId("c")
                .reason("x".repeat(65)).build()).hasMessageContaining("reason");
        assertThatThrownBy(() -> LedgerEntry.builder().time(Instant.now()).decision("held").correlationId("c")
                .payloadSha256("ABC").build()).hasMessageContaining("payloadSha256");
    }
}
