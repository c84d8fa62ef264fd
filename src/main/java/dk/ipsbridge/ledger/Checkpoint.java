package dk.ipsbridge.ledger;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * A signed tree head: the ledger had {@code treeSize} entries with Merkle root {@code rootHash} at {@code timestamp},
 * signed with Ed25519 by the key {@code keyId}. Checkpoints are numbered from 1 without gaps, so a deleted one shows.
 *
 * @param rootHash  lower-case hex
 * @param keyId     lower-case hex SHA-256 of the signing key's public key (SubjectPublicKeyInfo, DER)
 * @param signature base64 Ed25519 signature of {@link #signedText()}
 */
public record Checkpoint(long seq, long treeSize, String rootHash, Instant timestamp, String keyId, String signature) {

    static final String HEADER = "ips-bridge ledger checkpoint v1";

    /**
     * The text signed: six lines, each ending in a newline: the header {@value #HEADER}, the sequence number, the tree
     * size, the root hash (hex), the timestamp (ISO-8601 UTC) and the key id.
     */
    public String signedText() {
        return HEADER + "\n" + seq + "\n" + treeSize + "\n" + rootHash + "\n"
                + DateTimeFormatter.ISO_INSTANT.format(timestamp) + "\n" + keyId + "\n";
    }

    byte[] signedBytes() {
        return signedText().getBytes(StandardCharsets.UTF_8);
    }
}
