package dk.ipsbridge.ledger;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Merkle tree of RFC 9162 §2.1 (the same tree as RFC 6962): SHA-256, leaf hash {@code H(0x00 || entry)}, node hash
 * {@code H(0x01 || left || right)}, a tree of n leaves split at the largest power of two below n.
 *
 * <p>Proofs are generated from the hashes of <em>perfect</em> subtrees ({@link Node}), which a store keeps as leaves
 * are appended, so a proof at a million entries reads a few dozen hashes instead of every leaf. Verification follows
 * the algorithms of §2.1.3.2 and §2.1.4.2 step by step. Pure: no I/O.
 */
public final class Merkle {

    /** Bytes in a hash. */
    public static final int HASH_SIZE = 32;

    private static final byte LEAF_PREFIX = 0x00;
    private static final byte NODE_PREFIX = 0x01;

    private Merkle() {
    }

    /**
     * A perfect subtree: the {@code 2^level} leaves starting at {@code index << level}. Level 0 is a leaf.
     *
     * @param level the height above the leaves
     * @param index the position among the subtrees of this level
     */
    public record Node(int level, long index) {

        /** The first leaf below this node. */
        public long firstLeaf() {
            return index << level;
        }
    }

    /** Where proof generation gets the hashes of perfect subtrees: a database, or leaves in memory. */
    @FunctionalInterface
    public interface Nodes {

        /** The hash of every node asked for; an absent node is an error of the store. */
        Map<Node, byte[]> hashes(Collection<Node> nodes);
    }

    /** The Merkle Tree Hash of the empty tree: SHA-256 of nothing. */
    public static byte[] emptyRoot() {
        return sha256().digest();
    }

    /** {@code SHA-256(0x00 || entry)}. */
    public static byte[] leafHash(byte[] entry) {
        MessageDigest digest = sha256();
        digest.update(LEAF_PREFIX);
        return digest.digest(entry);
    }

    /** {@code SHA-256(0x01 || left || right)}. */
    public static byte[] nodeHash(byte[] left, byte[] right) {
        MessageDigest digest = sha256();
        digest.update(NODE_PREFIX);
        digest.update(left);
        return digest.digest(right);
    }

    /** The Merkle Tree Hash of the first {@code size} leaves. */
    public static byte[] root(long size, Nodes nodes) {
        if (size == 0) {
            return emptyRoot();
        }
        return resolve(List.of(new Range(0, size)), nodes).get(0);
    }

    /** PATH(m, D[n]) of RFC 9162 §2.1.3.1: the inclusion proof of leaf {@code index} in the tree of {@code size}. */
    public static List<byte[]> inclusionProof(long index, long size, Nodes nodes) {
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException("leaf " + index + " is not in a tree of size " + size);
        }
        List<Range> path = new ArrayList<>();
        inclusionRanges(index, 0, size, path);
        return resolve(path, nodes);
    }

    /** PROOF(m, D[n]) of RFC 9162 §2.1.4.1: the tree of {@code first} is a prefix of the tree of {@code second}. */
    public static List<byte[]> consistencyProof(long first, long second, Nodes nodes) {
        if (first < 0 || first > second) {
            throw new IllegalArgumentException("no consistency proof from size " + first + " to " + second);
        }
        if (first == 0 || first == second) {
            return List.of();
        }
        List<Range> proof = new ArrayList<>();
        subproofRanges(first, 0, second, true, proof);
        return resolve(proof, nodes);
    }

    /** Verifies an inclusion proof exactly as RFC 9162 §2.1.3.2. */
    public static boolean verifyInclusion(byte[] leafHash, long index, long size, List<byte[]> path, byte[] root) {
        if (index < 0 || index >= size) {
            return false;
        }
        long fn = index;
        long sn = size - 1;
        byte[] r = leafHash;
        for (byte[] p : path) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = nodeHash(p, r);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                r = nodeHash(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && MessageDigest.isEqual(r, root);
    }

    /**
     * Verifies a consistency proof exactly as RFC 9162 §2.1.4.2. The RFC leaves out the trivial cases; as in common
     * practice a tree is consistent with itself (empty proof, equal roots) and the empty tree with every tree (empty
     * proof).
     */
    public static boolean verifyConsistency(long first, long second, byte[] firstRoot, byte[] secondRoot,
            List<byte[]> proof) {
        if (first < 0 || first > second) {
            return false;
        }
        if (first == second) {
            return proof.isEmpty() && MessageDigest.isEqual(firstRoot, secondRoot);
        }
        if (first == 0) {
            return proof.isEmpty();
        }
        // 1. an empty path fails
        if (proof.isEmpty()) {
            return false;
        }
        // 2. if first is an exact power of 2, prepend first_hash
        List<byte[]> path = proof;
        if (Long.bitCount(first) == 1) {
            path = new ArrayList<>(proof.size() + 1);
            path.add(firstRoot);
            path.addAll(proof);
        }
        // 3.
        long fn = first - 1;
        long sn = second - 1;
        // 4.
        while ((fn & 1) == 1) {
            fn >>= 1;
            sn >>= 1;
        }
        // 5.
        byte[] fr = path.get(0);
        byte[] sr = path.get(0);
        // 6.
        for (byte[] c : path.subList(1, path.size())) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = nodeHash(c, fr);
                sr = nodeHash(c, sr);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                sr = nodeHash(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        // 7.
        return sn == 0 && MessageDigest.isEqual(fr, firstRoot) && MessageDigest.isEqual(sr, secondRoot);
    }

    /** The perfect subtrees, largest first, whose hashes make up MTH(D[start:end]) for a range of the RFC recursion. */
    static void perfectNodes(long start, long end, Collection<Node> out) {
        long n = end - start;
        if (Long.bitCount(n) == 1) {
            int level = Long.numberOfTrailingZeros(n);
            if (start % n != 0) {
                throw new IllegalStateException("range [" + start + ", " + end + ") is not aligned");
            }
            out.add(new Node(level, start >> level));
            return;
        }
        long k = splitPoint(n);
        perfectNodes(start, start + k, out);
        perfectNodes(start + k, end, out);
    }

    /** The largest power of two smaller than {@code n}, for {@code n > 1}. */
    static long splitPoint(long n) {
        return Long.highestOneBit(n - 1);
    }

    private record Range(long start, long end) {
    }

    // PATH(m, D[start:end]), appending the subtree ranges whose hashes form the path, leaf sibling first
    private static void inclusionRanges(long m, long start, long end, List<Range> out) {
        long n = end - start;
        if (n == 1) {
            return;
        }
        long k = splitPoint(n);
        if (m < k) {
            inclusionRanges(m, start, start + k, out);
            out.add(new Range(start + k, end));
        } else {
            inclusionRanges(m - k, start + k, end, out);
            out.add(new Range(start, start + k));
        }
    }

    // SUBPROOF(m, D[start:end], b)
    private static void subproofRanges(long m, long start, long end, boolean b, List<Range> out) {
        long n = end - start;
        if (m == n) {
            if (!b) {
                out.add(new Range(start, end));
            }
            return;
        }
        long k = splitPoint(n);
        if (m <= k) {
            subproofRanges(m, start, start + k, b, out);
            out.add(new Range(start + k, end));
        } else {
            subproofRanges(m - k, start + k, end, false, out);
            out.add(new Range(start, start + k));
        }
    }

    private static List<byte[]> resolve(List<Range> ranges, Nodes nodes) {
        Set<Node> wanted = new LinkedHashSet<>();
        List<List<Node>> perRange = new ArrayList<>(ranges.size());
        for (Range range : ranges) {
            List<Node> parts = new ArrayList<>();
            perfectNodes(range.start(), range.end(), parts);
            perRange.add(parts);
            wanted.addAll(parts);
        }
        Map<Node, byte[]> hashes = nodes.hashes(wanted);
        List<byte[]> out = new ArrayList<>(ranges.size());
        for (List<Node> parts : perRange) {
            out.add(fold(parts, hashes));
        }
        return out;
    }

    // MTH of a range from its perfect subtrees, largest first: H(p0, H(p1, ... H(pk-1, pk)))
    private static byte[] fold(List<Node> parts, Map<Node, byte[]> hashes) {
        byte[] r = hash(parts.get(parts.size() - 1), hashes);
        for (int i = parts.size() - 2; i >= 0; i--) {
            r = nodeHash(hash(parts.get(i), hashes), r);
        }
        return r;
    }

    private static byte[] hash(Node node, Map<Node, byte[]> hashes) {
        byte[] h = hashes.get(node);
        if (h == null) {
            throw new IllegalStateException("the tree store has no hash for " + node);
        }
        return h;
    }

    /** The perfect-subtree hashes of leaves held in memory; for tests and small trees. */
    public static Nodes inMemory(List<byte[]> leafHashes) {
        return wanted -> {
            Map<Node, byte[]> out = new java.util.HashMap<>();
            for (Node node : wanted) {
                out.put(node, subtree(leafHashes, node.level(), node.firstLeaf()));
            }
            return out;
        };
    }

    private static byte[] subtree(List<byte[]> leaves, int level, long first) {
        if (level == 0) {
            return leaves.get(Math.toIntExact(first));
        }
        return nodeHash(subtree(leaves, level - 1, first), subtree(leaves, level - 1, first + (1L << (level - 1))));
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    static boolean equal(byte[] a, byte[] b) {
        return a != null && b != null && Arrays.equals(a, b);
    }
}
