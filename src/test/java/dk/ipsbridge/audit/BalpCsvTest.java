package dk.ipsbridge.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import ca.uhn.fhir.context.FhirContext;
import org.junit.jupiter.api.Test;

class BalpCsvTest {

    private static final String HEADER = "sequence,time,decision,reason,source_id,patient_reference,cpr,recipient_id,"
            + "recipient_organization,consultant_reference,consent_id,consent_version,purpose,categories,"
            + "payload_sha256,correlation_id,actor";

    private final BalpExport export = new BalpExport(FhirContext.forR4Cached());

    private static AuditFact withReasonAndActor(String reason, String actor) {
        return new AuditFact(5, AuditFacts.T0, "held", reason, "ehr-main", "Patient/p1", "0101901234", null, null,
                null, null, null, null, null, null, null, actor);
    }

    @Test
    void shouldStartWithTheHeaderAndWriteOneCrlfRowPerFact() {
        String csv = export.toCsv(List.of(AuditFacts.shared(1), AuditFacts.held(2, "consent-withdrawn")));

        String[] lines = csv.split("\r\n", -1);
        assertThat(lines).hasSize(4);
        assertThat(lines[0]).isEqualTo(HEADER);
        assertThat(lines[3]).isEmpty();
        assertThat(csv).doesNotContain("\n\n").doesNotContainPattern("[^\r]\n");
    }

    @Test
    void shouldWriteEveryFieldWithEmptyCellsForNull() {
        String csv = export.toCsv(List.of(AuditFacts.shared(1)));

        assertThat(csv.split("\r\n")[1]).isEqualTo("1,2026-03-02T08:15:31.123Z,shared,,ehr-main,Patient/p1,0101901234,"
                + "jobcenter-aarhus,urn:oid:1.2.208.176.1.1|123456789012345,Practitioner/consultant-1,c1,3,"
                + "ips-employment-support,contact referral care-team conferences employment-goal diagnosis outcomes,"
                + AuditFacts.HASH + ",corr-1,");
    }

    @Test
    void shouldQuoteCommasQuotesAndLineBreaks() {
        String csv = export.toCsv(List.of(withReasonAndActor("a,b", "say \"hi\"\nthere")));

        assertThat(csv.split("\r\n", 2)[1]).startsWith("5,").contains(",held,\"a,b\",")
                .endsWith(",\"say \"\"hi\"\"\nthere\"\r\n");
    }

    @Test
    void shouldDefuseCellsASpreadsheetWouldReadAsFormulas() {
        assertThat(AuditCsv.cell("=HYPERLINK(\"http://x\")")).isEqualTo("\"'=HYPERLINK(\"\"http://x\"\")\"");
        assertThat(AuditCsv.cell("+1")).isEqualTo("'+1");
        assertThat(AuditCsv.cell("-1")).isEqualTo("'-1");
        assertThat(AuditCsv.cell("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(AuditCsv.cell("\tcmd")).isEqualTo("'\tcmd");
        assertThat(AuditCsv.cell("ok=1")).isEqualTo("ok=1");

        String csv = export.toCsv(List.of(withReasonAndActor("=1+2", "@admin")));
        assertThat(csv.split("\r\n")[1]).contains(",'=1+2,").endsWith(",'@admin");
    }

    @Test
    void shouldWriteOnlyTheHeaderForNoFacts() {
        assertThat(export.toCsv(List.of())).isEqualTo(HEADER + "\r\n");
    }
}
