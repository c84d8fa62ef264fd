package dk.ipsbridge.ledger;

import java.time.Instant;
import java.util.List;

/**
 * A ledger entry as stored and exported: the CPR number only as a keyed hash and a ciphertext. A redacted entry (past
 * retention) keeps its index, time and leaf hash; every other field is null.
 *
 * @param index         the leaf index, gap-free from 0
 * @param leafHash      lower-case hex of the RFC 9162 leaf hash of {@link CanonicalEntry the canonical encoding}
 * @param cprHash       lower-case hex HMAC-SHA256 of the CPR number, or null
 * @param cprCiphertext the CPR number under AES-GCM ({@code v1:<base64 of iv || ciphertext || tag>}), or null
 * @param actor         the officer's username for an officer search, else null
 * @param redactedAt    when retention removed the contents, or null
 */
public record LedgerRecord(long index, Instant time, String decision, String reason, String sourceId,
        String patientRef, String recipient, String caseId, String consultantRef, String consentId,
        String consentVersion, String purpose, List<String> categories, String payloadSha256, String correlationId,
        String cprHash, String cprCiphertext, String actor, String leafHash, Instant redactedAt) {

    public LedgerRecord {
        categories = categories == null ? List.of() : List.copyOf(categories);
    }

    public boolean redacted() {
        return redactedAt != null;
    }

    /** The same contents claimed at another index; the verifier uses it to tell a moved entry from a changed one. */
    LedgerRecord atIndex(long other) {
        return new LedgerRecord(other, time, decision, reason, sourceId, patientRef, recipient, caseId, consultantRef,
                consentId, consentVersion, purpose, categories, payloadSha256, correlationId, cprHash, cprCiphertext,
                actor, leafHash, redactedAt);
    }

    LedgerRecord withLeafHash(String hash) {
        return new LedgerRecord(index, time, decision, reason, sourceId, patientRef, recipient, caseId, consultantRef,
                consentId, consentVersion, purpose, categories, payloadSha256, correlationId, cprHash, cprCiphertext,
                actor, hash, redactedAt);
    }
}
