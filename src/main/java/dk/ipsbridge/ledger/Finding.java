package dk.ipsbridge.ledger;

/**
 * One thing the verifier found. Consecutive entries with the same finding are reported as one range.
 *
 * @param index     for entry findings the (first) leaf index; for checkpoint findings the checkpoint number;
 *                  for {@link Kind#HEAD_MISMATCH} the tree size the head claims
 * @param lastIndex the last index of the range ({@code == index} for a single one)
 * @param detail    what was expected and what was found, by index and hash only
 */
public record Finding(Kind kind, long index, long lastIndex, String detail) {

    /** What a finding means. Every kind but {@link #ENTRY_REDACTED} is evidence of tampering. */
    public enum Kind {
        /** The entry's contents do not hash to its stored leaf hash. */
        ENTRY_MODIFIED,
        /** The entry holds contents recorded at another index. */
        ENTRY_REORDERED,
        /** No entry at this index, though later ones exist. */
        ENTRY_DELETED,
        /** An entry beyond the size the ledger head or the last checkpoint claims, or a second one at an index. */
        ENTRY_INSERTED,
        /** Entries from this index on are missing: a checkpoint or the head claims more. */
        ENTRIES_TRUNCATED,
        /** An entry in [index, lastIndex] was changed with its leaf hash: a signed checkpoint no longer matches. */
        ENTRY_REWRITTEN,
        /** Removed by retention; its leaf hash still counts. Not tampering. */
        ENTRY_REDACTED,
        /** Redacted although it is younger than the retention period. */
        REDACTED_TOO_EARLY,
        /** The ledger head's root or size does not match the entries. */
        HEAD_MISMATCH,
        /** Signed by a key that is not among the known verification keys. */
        CHECKPOINT_UNKNOWN_KEY,
        /** The signature does not verify. */
        CHECKPOINT_BAD_SIGNATURE,
        /** The root recomputed from the entries at the checkpoint's size differs from the signed one. */
        CHECKPOINT_ROOT_MISMATCH,
        /** A checkpoint number is missing. */
        CHECKPOINT_DELETED,
        /** A checkpoint beyond the number the head records, or a duplicate number. */
        CHECKPOINT_INSERTED,
        /** A later checkpoint covers fewer entries than an earlier one. */
        CHECKPOINT_OUT_OF_ORDER,
        /** A stored subtree hash (used for proofs) differs from the one recomputed from the leaves. */
        NODE_MISMATCH;

        public boolean tampering() {
            return this != ENTRY_REDACTED;
        }

        boolean ranged() {
            return this == ENTRY_REDACTED || this == ENTRY_DELETED || this == ENTRY_INSERTED
                    || this == ENTRY_REORDERED || this == CHECKPOINT_DELETED || this == CHECKPOINT_INSERTED;
        }
    }

    static Finding of(Kind kind, long index, String detail) {
        return new Finding(kind, index, index, detail);
    }

    @Override
    public String toString() {
        return kind + " " + (lastIndex == index ? String.valueOf(index) : index + ".." + lastIndex)
                + (detail == null ? "" : ": " + detail);
    }
}
