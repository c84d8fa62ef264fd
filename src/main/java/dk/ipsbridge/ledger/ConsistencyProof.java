package dk.ipsbridge.ledger;

import java.util.HexFormat;
import java.util.List;

/**
 * An RFC 9162 consistency proof: the tree of {@code first} entries is a prefix of the tree of {@code second}.
 *
 * @param path hex hashes
 */
public record ConsistencyProof(long first, long second, List<String> path) {

    public ConsistencyProof {
        path = List.copyOf(path);
    }

    /** True when the roots (hex), e.g. of two checkpoints, are consistent by this proof. */
    public boolean verify(String firstRoot, String secondRoot) {
        HexFormat hex = HexFormat.of();
        return Merkle.verifyConsistency(first, second, hex.parseHex(firstRoot), hex.parseHex(secondRoot),
                path.stream().map(hex::parseHex).toList());
    }

    /** Proof size in bytes. */
    public int bytes() {
        return path.size() * Merkle.HASH_SIZE;
    }
}
