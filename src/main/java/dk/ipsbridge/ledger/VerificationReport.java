package dk.ipsbridge.ledger;

import java.util.List;

/**
 * What a full verification found. The same from the database ({@link LedgerVerifier}) and from an export
 * ({@link OfflineVerifier}), except that only the database has the subtree hashes behind
 * {@link Finding.Kind#NODE_MISMATCH}.
 *
 * @param entries     entries read
 * @param treeSize    the size the ledger head claims
 * @param checkpoints checkpoints read
 * @param redacted    entries removed by retention
 * @param findings    in the order found: entries, then the head, then checkpoints
 */
public record VerificationReport(long entries, long treeSize, int checkpoints, long redacted,
        List<Finding> findings) {

    public VerificationReport {
        findings = List.copyOf(findings);
    }

    /** True when nothing points to tampering (redacted entries are fine). */
    public boolean ok() {
        return tampering().isEmpty();
    }

    public List<Finding> tampering() {
        return findings.stream().filter(f -> f.kind().tampering()).toList();
    }

    /** A few lines for a console or a log: counts and findings, never contents. */
    public String summary() {
        StringBuilder out = new StringBuilder(ok() ? "OK" : "TAMPERED");
        out.append(": ").append(entries).append(" entries, tree size ").append(treeSize).append(", ")
                .append(checkpoints).append(" checkpoints, ").append(redacted).append(" redacted");
        tampering().forEach(f -> out.append(System.lineSeparator()).append("  ").append(f));
        return out.toString();
    }
}
