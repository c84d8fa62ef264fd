package dk.ipsbridge.audit;

import java.util.List;
import java.util.function.Function;

/** The officers' CSV of ledger facts: RFC 4180, and safe to open in a spreadsheet. */
final class AuditCsv {

    private static final String CRLF = "\r\n";

    private record Column(String name, Function<AuditFact, Object> value) {
    }

    private static final List<Column> COLUMNS = List.of(
            new Column("sequence", AuditFact::sequence),
            new Column("time", AuditFact::time),
            new Column("decision", AuditFact::decision),
            new Column("reason", AuditFact::reason),
            new Column("source_id", AuditFact::sourceId),
            new Column("patient_reference", AuditFact::patientReference),
            new Column("cpr", AuditFact::cpr),
            new Column("recipient_id", AuditFact::recipientId),
            new Column("recipient_organization", AuditFact::recipientOrganization),
            new Column("consultant_reference", AuditFact::consultantReference),
            new Column("consent_id", AuditFact::consentId),
            new Column("consent_version", AuditFact::consentVersion),
            new Column("purpose", AuditFact::purpose),
            new Column("categories", f -> String.join(" ", f.categories())),
            new Column("payload_sha256", AuditFact::payloadSha256),
            new Column("correlation_id", AuditFact::correlationId),
            new Column("actor", AuditFact::actor));

    private AuditCsv() {
    }

    static String write(List<AuditFact> facts) {
        StringBuilder csv = new StringBuilder();
        row(csv, COLUMNS.stream().map(Column::name).toList());
        for (AuditFact fact : facts) {
            row(csv, COLUMNS.stream().map(c -> c.value().apply(fact)).map(v -> v == null ? "" : v.toString()).toList());
        }
        return csv.toString();
    }

    private static void row(StringBuilder csv, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                csv.append(',');
            }
            csv.append(cell(cells.get(i)));
        }
        csv.append(CRLF);
    }

    /** Defuses formulas (OWASP: =, +, -, @, tab, CR), then quotes per RFC 4180 where needed. */
    static String cell(String value) {
        String safe = !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        if (safe.indexOf(',') >= 0 || safe.indexOf('"') >= 0 || safe.indexOf('\n') >= 0 || safe.indexOf('\r') >= 0) {
            return '"' + safe.replace("\"", "\"\"") + '"';
        }
        return safe;
    }
}
