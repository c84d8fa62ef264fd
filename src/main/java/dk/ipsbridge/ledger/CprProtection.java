package dk.ipsbridge.ledger;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import dk.ipsbridge.keys.AesGcmRing;

/**
 * How the ledger holds a CPR number without holding it in clear: an HMAC-SHA256 under one key, to find a patient's
 * entries by CPR, and AES-256-GCM under another, to show it to an officer. The ciphertext is bound to the hash (as
 * associated data), so it cannot be moved to another patient's entry unnoticed.
 * <p>
 * Both keys can be rotated. A ciphertext names its key ({@code v2:<key id>:...}); one written before keys had ids
 * ({@code v1:...}) opens with whichever key opens it. A hash needs no id: a search hashes the CPR under the current
 * and every retired hash key and looks for any of them. The hash keys and the encryption keys must all differ.
 */
final class CprProtection {

    static final int KEY_BYTES = AesGcmRing.KEY_BYTES;
    private static final String UNNAMED = "v1:";
    private static final String NAMED = "v2:";

    private final List<byte[]> hashKeys;
    private final AesGcmRing encryption;

    /**
     * @param hashKeys       the current hash key first, then the retired ones
     * @param encryptionKeys the current encryption key first, then the retired ones
     */
    CprProtection(List<byte[]> hashKeys, List<byte[]> encryptionKeys) {
        for (byte[] key : hashKeys) {
            if (key.length < KEY_BYTES) {
                throw new IllegalArgumentException("the CPR hash key must be at least " + KEY_BYTES + " bytes");
            }
        }
        this.hashKeys = List.copyOf(hashKeys);
        this.encryption = AesGcmRing.of(encryptionKeys, "the CPR encryption key");
        if (hashKeys.stream().anyMatch(encryption::holds)) {
            throw new IllegalArgumentException("the CPR hash key and the CPR encryption key must differ "
                    + "(ips.ledger.keys.cpr-hash-key-file, cpr-encryption-key-file and their retired keys)");
        }
    }

    /** Lower-case hex HMAC-SHA256 of the ten digits, under the current hash key. */
    String hash(String cpr) {
        return hash(hashKeys.get(0), cpr);
    }

    /** The hash under the current and every retired hash key: what a search looks for. */
    List<String> hashes(String cpr) {
        List<String> hashes = new ArrayList<>();
        for (byte[] key : hashKeys) {
            hashes.add(hash(key, cpr));
        }
        return hashes;
    }

    String encrypt(String cpr, String cprHash) {
        return NAMED + encryption.seal(cpr.getBytes(StandardCharsets.US_ASCII), context(cprHash, NAMED));
    }

    /** The CPR number; fails if the ciphertext was changed, belongs to another hash or to an unknown key. */
    String decrypt(String ciphertext, String cprHash) {
        byte[] cpr;
        if (ciphertext.startsWith(NAMED)) {
            cpr = encryption.open(ciphertext.substring(NAMED.length()), context(cprHash, NAMED));
        } else if (ciphertext.startsWith(UNNAMED)) {
            cpr = encryption.openUnnamed(ciphertext.substring(UNNAMED.length()), context(cprHash, UNNAMED));
        } else {
            throw new IllegalArgumentException("unknown CPR ciphertext format");
        }
        return new String(cpr, StandardCharsets.US_ASCII);
    }

    private static String context(String cprHash, String version) {
        return "ips-bridge ledger cpr " + version + cprHash;
    }

    private static String hash(byte[] key, String cpr) {
        return HexFormat.of().formatHex(AesGcmRing.hmac(key, cpr));
    }
}
