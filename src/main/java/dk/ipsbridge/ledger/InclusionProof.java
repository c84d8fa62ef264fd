package dk.ipsbridge.ledger;

import java.util.HexFormat;
import java.util.List;

/**
 * An RFC 9162 inclusion proof: entry {@code index} is in the tree of {@code treeSize} entries.
 *
 * @param leafHash the entry's leaf hash, hex
 * @param path     the audit path, hex, leaf sibling first
 */
public record InclusionProof(long index, long treeSize, String leafHash, List<String> path) {

    public InclusionProof {
        path = List.copyOf(path);
    }

    /** True when the path leads from the leaf hash to {@code rootHash} (hex), e.g. a checkpoint's. */
    public boolean verify(String rootHash) {
        HexFormat hex = HexFormat.of();
        return Merkle.verifyInclusion(hex.parseHex(leafHash), index, treeSize,
                path.stream().map(hex::parseHex).toList(), hex.parseHex(rootHash));
    }

    /** Proof size in bytes. */
    public int bytes() {
        return path.size() * Merkle.HASH_SIZE;
    }
}
