package dk.ipsbridge.ledger;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * How the ledger holds a CPR number without holding it in clear: an HMAC-SHA256 under one key, to find a patient's
 * entries by CPR, and AES-256-GCM under another, to show it to an officer. The ciphertext is bound to the hash (as
 * associated data), so it cannot be moved to another patient's entry unnoticed.
 */
final class CprProtection {

    static final int KEY_BYTES = 32;
    private static final String VERSION = "v1:";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec hashKey;
    private final SecretKeySpec encryptionKey;
    private final SecureRandom random = new SecureRandom();

    CprProtection(byte[] hashKey, byte[] encryptionKey) {
        if (hashKey.length < KEY_BYTES) {
            throw new IllegalArgumentException("the CPR hash key must be at least " + KEY_BYTES + " bytes");
        }
        if (encryptionKey.length != KEY_BYTES) {
            throw new IllegalArgumentException("the CPR encryption key must be " + KEY_BYTES + " bytes (AES-256)");
        }
        this.hashKey = new SecretKeySpec(hashKey, "HmacSHA256");
        this.encryptionKey = new SecretKeySpec(encryptionKey, "AES");
    }

    /** Lower-case hex HMAC-SHA256 of the ten digits. */
    String hash(String cpr) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(hashKey);
            return HexFormat.of().formatHex(mac.doFinal(cpr.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
        }
    }

    String encrypt(String cpr, String cprHash) {
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, iv, cprHash);
            byte[] sealed = cipher.doFinal(cpr.getBytes(StandardCharsets.US_ASCII));
            return VERSION + Base64.getEncoder().encodeToString(
                    ByteBuffer.allocate(IV_BYTES + sealed.length).put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    /** The CPR number; fails if the ciphertext was changed or belongs to another hash. */
    String decrypt(String ciphertext, String cprHash) {
        if (!ciphertext.startsWith(VERSION)) {
            throw new IllegalArgumentException("unknown CPR ciphertext format");
        }
        byte[] sealed = Base64.getDecoder().decode(ciphertext.substring(VERSION.length()));
        if (sealed.length <= IV_BYTES) {
            throw new IllegalArgumentException("CPR ciphertext too short");
        }
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, java.util.Arrays.copyOf(sealed, IV_BYTES), cprHash);
            return new String(cipher.doFinal(sealed, IV_BYTES, sealed.length - IV_BYTES), StandardCharsets.US_ASCII);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the CPR ciphertext does not open with this key and hash", e);
        }
    }

    private Cipher cipher(int mode, byte[] iv, String cprHash) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, encryptionKey, new GCMParameterSpec(TAG_BITS, iv));
        cipher.updateAAD(("ips-bridge ledger cpr " + VERSION + cprHash).getBytes(StandardCharsets.US_ASCII));
        return cipher;
    }
}
