package dk.ipsbridge.keys;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

/**
 * Personal data kept outside the ledger for a while: a failed record's original message and an outbox payload. Both
 * are sealed with AES-256-GCM under a key derived from the ledger's CPR encryption key (so there is no further key to
 * manage, and the two uses never share a key), and carry its key id, so that the CPR encryption key can be rotated:
 * what a retired key sealed still opens while that key is listed as retired. What a column holds is bound to the
 * column ({@code context}), so a payload cannot be moved to another column and read from there.
 */
public final class AtRest {

    private static final String FORMAT = "s1:";

    private final AesGcmRing ring;

    private AtRest(AesGcmRing ring) {
        this.ring = ring;
    }

    /**
     * @param encryptionKey the ledger's current CPR encryption key
     * @param retired       its retired keys
     */
    public static AtRest of(byte[] encryptionKey, List<byte[]> retired) {
        return new AtRest(AesGcmRing.of(Stream.concat(Stream.of(encryptionKey), retired.stream()).map(AtRest::derive)
                .toList(), "ips.ledger.keys.cpr-encryption-key"));
    }

    /** The text sealed for a column ({@code table.column}), or null for null. */
    public String seal(String text, String context) {
        return text == null ? null : FORMAT + ring.seal(text.getBytes(StandardCharsets.UTF_8), context);
    }

    /** What {@link #seal} sealed for the same column, or null for null; fails if it was changed or moved. */
    public String open(String stored, String context) {
        if (stored == null) {
            return null;
        }
        if (!stored.startsWith(FORMAT)) {
            throw new IllegalArgumentException("not sealed personal data");
        }
        return new String(ring.open(stored.substring(FORMAT.length()), context), StandardCharsets.UTF_8);
    }

    private static byte[] derive(byte[] key) {
        return AesGcmRing.hmac(key, "ips-bridge personal data at rest v1");
    }
}
