package dk.ipsbridge.ledger;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;

import dk.ipsbridge.config.Times;

/** The ledger's tables as SQL: column lists, row mapping and the column sizes entries are checked against. */
final class LedgerColumns {

    static final String ENTRY_COLUMNS = "leaf_index, recorded_at, decision, reason, source_id, patient_ref, recipient, "
            + "case_id, consultant_ref, consent_id, consent_version, purpose, categories, payload_sha256, "
            + "correlation_id, cpr_hash, cpr_ciphertext, actor, leaf_hash, redacted_at";
    static final String INSERT_ENTRY = "insert into ledger_entry (" + ENTRY_COLUMNS
            + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    /** The columns retention clears. */
    static final String CONTENT_COLUMNS = "decision, reason, source_id, patient_ref, recipient, case_id, "
            + "consultant_ref, consent_id, consent_version, purpose, categories, payload_sha256, correlation_id, "
            + "cpr_hash, cpr_ciphertext, actor";

    static final String CHECKPOINT_COLUMNS = "seq, tree_size, root_hash, created_at, key_id, signature";

    private static final String[] NAMES = {"reason", "sourceId", "patientRef", "recipient", "caseId", "consultantRef",
        "consentId", "consentVersion", "purpose", "categories", "correlationId", "actor"};
    private static final int[] LENGTHS = {64, 32, 80, 32, 64, 80, 64, 32, 64, 200, 64, 64};

    private LedgerColumns() {
    }

    /** Rejects a field longer than its column, in the order of {@link #NAMES}. */
    static void checkLengths(String... fields) {
        for (int i = 0; i < fields.length; i++) {
            if (fields[i] != null && fields[i].length() > LENGTHS[i]) {
                throw new IllegalArgumentException(NAMES[i] + " is longer than " + LENGTHS[i] + " characters");
            }
        }
    }

    static Object[] insertParams(LedgerRecord r) {
        return new Object[] {r.index(), Times.utc(r.time()), r.decision(), r.reason(), r.sourceId(), r.patientRef(),
            r.recipient(), r.caseId(), r.consultantRef(), r.consentId(), r.consentVersion(), r.purpose(),
            r.categories().isEmpty() ? null : String.join(" ", r.categories()), r.payloadSha256(),
            r.correlationId(), r.cprHash(), r.cprCiphertext(), r.actor(), r.leafHash(),
            r.redactedAt() == null ? null : Times.utc(r.redactedAt())};
    }

    static LedgerRecord entry(ResultSet rs, int row) throws SQLException {
        String categories = rs.getString(13);
        return new LedgerRecord(rs.getLong(1), instant(rs, 2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11),
                rs.getString(12), categories == null ? List.of() : Arrays.asList(categories.split(" ")),
                rs.getString(14), rs.getString(15), rs.getString(16), rs.getString(17), rs.getString(18),
                rs.getString(19), instant(rs, 20));
    }

    static Object[] insertParams(Checkpoint c) {
        return new Object[] {c.seq(), c.treeSize(), c.rootHash(), Times.utc(c.timestamp()), c.keyId(), c.signature()};
    }

    static Checkpoint checkpoint(ResultSet rs, int row) throws SQLException {
        return new Checkpoint(rs.getLong(1), rs.getLong(2), rs.getString(3), instant(rs, 4), rs.getString(5),
                rs.getString(6));
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
