package dk.ipsbridge.ledger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import dk.ipsbridge.ledger.Finding.Kind;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;

/**
 * The full check, fed entries in leaf-index order from the database or an export: recomputes every leaf hash, the root
 * at the head's size and at every checkpoint's size, and checks every checkpoint's signature. Memory: the roots asked
 * for and the entries that do not match, not the ledger.
 */
final class Verification {

    /** The ledger head as stored: what the last append left. */
    record Head(long treeSize, String rootHash, long checkpointSeq) {
    }

    private static final int MAX_CLASSIFIED = 2000;
    private static final long MAX_SEARCH_HASHES = 4_000_000;
    private static final byte[] MISSING_LEAF = new byte[Merkle.HASH_SIZE];

    private final Map<String, Ed25519PublicKeyParameters> keys;
    private final Instant retentionCutoff;
    private final Head head;
    private final List<Checkpoint> checkpoints;
    private final Set<Long> sizesWanted = new TreeSet<>();
    private final Map<Long, byte[]> roots = new HashMap<>();
    private final Frontier frontier = new Frontier();
    private final TreeMap<Long, LedgerRecord> mismatched = new TreeMap<>();
    private final List<Finding> entryFindings = new ArrayList<>();
    private final List<Finding> findings = new ArrayList<>();
    private final LeafSink leafSink;
    private long expected;
    private long rows;
    private long redacted;
    private long mismatchedBeyondCap;

    /** Receives every stored leaf hash in order, for checks that need the leaves (the subtree table). */
    @FunctionalInterface
    interface LeafSink {
        void leaf(byte[] hash);
    }

    /**
     * @param retentionCutoff a redacted entry recorded after this instant was redacted too early; null to skip
     */
    Verification(Map<String, Ed25519PublicKeyParameters> keys, Instant retentionCutoff, Head head,
            List<Checkpoint> checkpoints, LeafSink leafSink) {
        this.keys = keys;
        this.retentionCutoff = retentionCutoff;
        this.head = head;
        this.checkpoints = checkpoints.stream().sorted(Comparator.comparingLong(Checkpoint::seq)).toList();
        this.leafSink = leafSink;
        this.checkpoints.forEach(c -> sizesWanted.add(c.treeSize()));
        if (head != null) {
            sizesWanted.add(head.treeSize());
        }
        roots.put(0L, Merkle.emptyRoot());
    }

    void accept(LedgerRecord r) {
        rows++;
        long index = r.index();
        if (index < expected) {
            add(entryFindings, Kind.ENTRY_INSERTED, index, "a second entry at this index");
            return;
        }
        while (expected < index) {
            add(entryFindings, Kind.ENTRY_DELETED, expected, null);
            leaf(MISSING_LEAF);
        }
        byte[] stored = parseHash(r.leafHash());
        if (stored == null) {
            add(entryFindings, Kind.ENTRY_MODIFIED, index, "the stored leaf hash is not a SHA-256 hash");
            leaf(MISSING_LEAF);
            return;
        }
        if (r.redacted()) {
            redacted++;
            if (!emptyContents(r)) {
                add(entryFindings, Kind.ENTRY_MODIFIED, index, "marked redacted but still has contents");
            } else if (retentionCutoff != null && (r.time() == null || r.time().isAfter(retentionCutoff))) {
                add(entryFindings, Kind.REDACTED_TOO_EARLY, index, "recorded " + r.time());
            } else {
                add(entryFindings, Kind.ENTRY_REDACTED, index, null);
            }
        } else if (!r.leafHash().equals(CanonicalEntry.leafHash(r))) {
            if (mismatched.size() < MAX_CLASSIFIED) {
                mismatched.put(index, r);
            } else {
                mismatchedBeyondCap++;
                add(entryFindings, Kind.ENTRY_MODIFIED, index, "contents do not match the leaf hash");
            }
        }
        leaf(stored);
    }

    VerificationReport finish() {
        classifyMismatches();
        entryFindings.sort(Comparator.comparingLong(Finding::index));
        findings.addAll(mergeRanges(entryFindings));
        long extent = expected;
        long truncatedClaim = -1;
        if (head != null) {
            if (extent > head.treeSize()) {
                findings.add(new Finding(Kind.ENTRY_INSERTED, head.treeSize(), extent - 1,
                        "beyond the size " + head.treeSize() + " the ledger head records"));
            } else if (extent < head.treeSize()) {
                truncatedClaim = head.treeSize();
            } else if (!HexFormat.of().formatHex(roots.get(head.treeSize())).equals(head.rootHash())) {
                findings.add(Finding.of(Kind.HEAD_MISMATCH, head.treeSize(),
                        "the root of the entries differs from the head's root"));
            }
        }
        checkCheckpoints(extent);
        for (Checkpoint c : checkpoints) {
            truncatedClaim = Math.max(truncatedClaim, c.treeSize() > extent ? c.treeSize() : -1);
        }
        if (truncatedClaim > extent) {
            findings.add(new Finding(Kind.ENTRIES_TRUNCATED, extent, truncatedClaim - 1,
                    "the ledger claims " + truncatedClaim + " entries, " + extent + " are present"));
        }
        return new VerificationReport(rows, head == null ? extent : head.treeSize(), checkpoints.size(), redacted,
                findings);
    }

    private void leaf(byte[] hash) {
        frontier.append(hash, (level, index, h) -> { });
        expected++;
        if (leafSink != null) {
            leafSink.leaf(hash);
        }
        if (sizesWanted.contains(frontier.size())) {
            roots.put(frontier.size(), frontier.root());
        }
    }

    private void checkCheckpoints(long extent) {
        long expectedSeq = 1;
        long previousSize = 0;
        List<Long> passedSizes = new ArrayList<>();
        List<Long> failedSizes = new ArrayList<>();
        for (Checkpoint c : checkpoints) {
            if (c.seq() < expectedSeq) {
                findings.add(Finding.of(Kind.CHECKPOINT_INSERTED, c.seq(), "a second checkpoint with this number"));
                continue;
            }
            if (c.seq() > expectedSeq) {
                findings.add(new Finding(Kind.CHECKPOINT_DELETED, expectedSeq, c.seq() - 1, null));
            }
            expectedSeq = c.seq() + 1;
            boolean signed = checkSignature(c);
            if (c.treeSize() < previousSize) {
                findings.add(Finding.of(Kind.CHECKPOINT_OUT_OF_ORDER, c.seq(),
                        "size " + c.treeSize() + " after size " + previousSize));
            }
            previousSize = Math.max(previousSize, c.treeSize());
            byte[] root = c.treeSize() <= extent ? roots.get(c.treeSize()) : null;
            if (root == null) {
                continue; // beyond the entries present: reported as truncation
            }
            if (HexFormat.of().formatHex(root).equals(c.rootHash())) {
                if (signed) {
                    passedSizes.add(c.treeSize());
                }
            } else {
                findings.add(Finding.of(Kind.CHECKPOINT_ROOT_MISMATCH, c.seq(),
                        "size " + c.treeSize() + ": signed root differs from the entries' root"));
                if (signed) {
                    failedSizes.add(c.treeSize());
                }
            }
        }
        if (head != null && head.checkpointSeq() >= expectedSeq) {
            findings.add(new Finding(Kind.CHECKPOINT_DELETED, expectedSeq, head.checkpointSeq(),
                    "the ledger head records checkpoint " + head.checkpointSeq()));
        } else if (head != null && head.checkpointSeq() < expectedSeq - 1) {
            findings.add(new Finding(Kind.CHECKPOINT_INSERTED, head.checkpointSeq() + 1, expectedSeq - 1,
                    "the ledger head records checkpoint " + head.checkpointSeq()));
        }
        localise(failedSizes, passedSizes);
    }

    private boolean checkSignature(Checkpoint c) {
        Ed25519PublicKeyParameters key = keys.get(c.keyId());
        if (key == null) {
            findings.add(Finding.of(Kind.CHECKPOINT_UNKNOWN_KEY, c.seq(), "key " + c.keyId()));
            return false;
        }
        if (!Ed25519Keys.verify(key, c.signedBytes(), c.signature())) {
            findings.add(Finding.of(Kind.CHECKPOINT_BAD_SIGNATURE, c.seq(), "size " + c.treeSize()));
            return false;
        }
        return true;
    }

    // A correctly signed checkpoint that no longer matches, with no entry-level finding to explain it: an entry was
    // rewritten together with its leaf hash. The first such entry lies between the largest matching checkpoint below
    // and the smallest failing one.
    private void localise(List<Long> failedSizes, List<Long> passedSizes) {
        if (failedSizes.isEmpty()) {
            return;
        }
        long smallestFailed = failedSizes.stream().mapToLong(Long::longValue).min().orElseThrow();
        long from = passedSizes.stream().mapToLong(Long::longValue).filter(size -> size < smallestFailed).max()
                .orElse(0);
        boolean explained = findings.stream().anyMatch(f -> f.kind().tampering() && entryKind(f.kind())
                && f.index() < smallestFailed && f.lastIndex() >= from);
        if (!explained) {
            findings.add(new Finding(Kind.ENTRY_REWRITTEN, from, smallestFailed - 1,
                    "checkpoint of size " + smallestFailed + " no longer matches"));
        }
    }

    private static boolean entryKind(Kind kind) {
        return kind.name().startsWith("ENTR") || kind == Kind.REDACTED_TOO_EARLY;
    }

    // An entry whose contents hash to its leaf hash at another index was moved there (a swap, or a shift after an
    // insertion or deletion); any other mismatch is a modification.
    private void classifyMismatches() {
        for (Map.Entry<Long, LedgerRecord> e : mismatched.entrySet()) {
            long index = e.getKey();
            LedgerRecord r = e.getValue();
            Long from = null;
            for (long candidate : candidates(index)) {
                if (candidate != index && candidate >= 0
                        && r.leafHash().equals(CanonicalEntry.leafHash(r.atIndex(candidate)))) {
                    from = candidate;
                    break;
                }
            }
            if (from == null) {
                add(entryFindings, Kind.ENTRY_MODIFIED, index, "contents do not match the leaf hash");
            } else {
                add(entryFindings, Kind.ENTRY_REORDERED, index, "holds the entry recorded at " + from);
            }
        }
        if (mismatchedBeyondCap > 0) {
            findings.add(Finding.of(Kind.ENTRY_MODIFIED, mismatched.lastKey(),
                    mismatchedBeyondCap + " further modified entries, not classified"));
        }
    }

    // nearby and mismatched indexes first; every index when that costs at most a few million hashes
    private List<Long> candidates(long index) {
        List<Long> out = new ArrayList<>(List.of(index - 1, index + 1));
        if (mismatched.size() <= 200) {
            out.addAll(mismatched.keySet());
        }
        if ((long) mismatched.size() * expected <= MAX_SEARCH_HASHES) {
            for (long i = 0; i < expected; i++) {
                out.add(i);
            }
        }
        return out;
    }

    private static boolean emptyContents(LedgerRecord r) {
        return r.decision() == null && r.reason() == null && r.sourceId() == null && r.patientRef() == null
                && r.recipient() == null && r.caseId() == null && r.consultantRef() == null && r.consentId() == null
                && r.consentVersion() == null && r.purpose() == null && r.categories().isEmpty()
                && r.payloadSha256() == null && r.correlationId() == null && r.cprHash() == null
                && r.cprCiphertext() == null && r.actor() == null;
    }

    private static byte[] parseHash(String hex) {
        if (hex == null || hex.length() != 2 * Merkle.HASH_SIZE) {
            return null;
        }
        try {
            return HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static void add(List<Finding> into, Kind kind, long index, String detail) {
        into.add(Finding.of(kind, index, detail));
    }

    // consecutive findings of a ranged kind become one
    private static List<Finding> mergeRanges(List<Finding> sorted) {
        List<Finding> out = new ArrayList<>();
        for (Finding f : sorted) {
            Finding last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && f.kind().ranged() && last.kind() == f.kind() && last.lastIndex() + 1 == f.index()) {
                out.set(out.size() - 1, new Finding(f.kind(), last.index(), f.lastIndex(),
                        f.kind() == Kind.ENTRY_REORDERED ? "entries moved" : last.detail()));
            } else {
                out.add(f);
            }
        }
        return out;
    }
}
