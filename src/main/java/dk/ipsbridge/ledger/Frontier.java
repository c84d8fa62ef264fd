package dk.ipsbridge.ledger;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The right edge of a Merkle tree: the hashes of the perfect subtrees that make up its leaves, largest first (one per
 * set bit of the size). Enough to append a leaf and to compute the root without reading older leaves.
 */
final class Frontier {

    /** Told of every perfect subtree of level 1 or more that an append completes. */
    @FunctionalInterface
    interface NodeSink {
        void completed(int level, long index, byte[] hash);
    }

    private static final HexFormat HEX = HexFormat.of();

    private final List<byte[]> hashes;
    private long size;

    Frontier() {
        this(0, new ArrayList<>());
    }

    private Frontier(long size, List<byte[]> hashes) {
        this.size = size;
        this.hashes = hashes;
    }

    long size() {
        return size;
    }

    void append(byte[] leafHash, NodeSink sink) {
        byte[] h = leafHash;
        int level = 0;
        while (((size >> level) & 1) == 1) {
            h = Merkle.nodeHash(hashes.remove(hashes.size() - 1), h);
            level++;
            sink.completed(level, size >> level, h);
        }
        hashes.add(h);
        size++;
    }

    byte[] root() {
        if (hashes.isEmpty()) {
            return Merkle.emptyRoot();
        }
        byte[] r = hashes.get(hashes.size() - 1);
        for (int i = hashes.size() - 2; i >= 0; i--) {
            r = Merkle.nodeHash(hashes.get(i), r);
        }
        return r;
    }

    /** The hashes as one hex string, largest subtree first. */
    String encode() {
        StringBuilder out = new StringBuilder(hashes.size() * 2 * Merkle.HASH_SIZE);
        hashes.forEach(h -> out.append(HEX.formatHex(h)));
        return out.toString();
    }

    static Frontier decode(long size, String encoded) {
        int expected = Long.bitCount(size) * 2 * Merkle.HASH_SIZE;
        if (encoded.length() != expected) {
            throw new IllegalStateException("the stored frontier does not match tree size " + size);
        }
        List<byte[]> hashes = new ArrayList<>();
        for (int i = 0; i < encoded.length(); i += 2 * Merkle.HASH_SIZE) {
            hashes.add(HEX.parseHex(encoded, i, i + 2 * Merkle.HASH_SIZE));
        }
        return new Frontier(size, hashes);
    }
}
