package dk.ipsbridge.keys;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM under a current key and the retired keys that may still have sealed something. Every ciphertext names
 * its key ({@code <key id>:<base64 of iv || ciphertext || tag>}), so a key can be rotated: new text is sealed under
 * the current key, old text still opens under the retired one that sealed it.
 */
public final class AesGcmRing {

    public static final int KEY_BYTES = 32;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final String currentId;
    private final Map<String, SecretKeySpec> keys;
    private final SecureRandom random = new SecureRandom();

    private AesGcmRing(String currentId, Map<String, SecretKeySpec> keys) {
        this.currentId = currentId;
        this.keys = keys;
    }

    /**
     * @param keys    the key that seals (32 bytes) first, then retired keys that only open what they sealed before
     * @param setting the setting that names the key, for the message when it is not 32 bytes
     */
    public static AesGcmRing of(List<byte[]> keys, String setting) {
        Map<String, SecretKeySpec> ring = new LinkedHashMap<>();
        for (byte[] key : keys) {
            if (key.length != KEY_BYTES) {
                throw new IllegalArgumentException(setting + " must be " + KEY_BYTES + " bytes (AES-256)");
            }
            ring.putIfAbsent(keyId(key), new SecretKeySpec(key, "AES"));
        }
        return new AesGcmRing(keyId(keys.get(0)), ring);
    }

    /** A short public name of a key: the first four bytes of HMAC-SHA256 under it, in hex; reveals nothing of it. */
    public static String keyId(byte[] key) {
        return HexFormat.of().formatHex(hmac(key, "ips-bridge key id"), 0, 4);
    }

    /** HMAC-SHA256 of the text under the key: the hash of a CPR number, or a key derived from another. */
    public static byte[] hmac(byte[] key, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
        }
    }

    public String currentKeyId() {
        return currentId;
    }

    /** Sealed under the current key, bound to {@code context} (associated data: it must be the same to open it). */
    public String seal(byte[] plaintext, String context) {
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            byte[] sealed = cipher(Cipher.ENCRYPT_MODE, keys.get(currentId), iv, context).doFinal(plaintext);
            return currentId + ":" + Base64.getEncoder().encodeToString(
                    ByteBuffer.allocate(IV_BYTES + sealed.length).put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    /** The plaintext; fails when the key is not in the ring, or the text or its context was changed. */
    public byte[] open(String sealed, String context) {
        int colon = sealed.indexOf(':');
        SecretKeySpec key = colon < 0 ? null : keys.get(sealed.substring(0, colon));
        if (key == null) {
            throw new IllegalArgumentException("sealed under a key that is neither current nor retired");
        }
        return open(key, decode(sealed.substring(colon + 1)), context);
    }

    /** Opens text sealed before keys had ids: with whichever key of the ring opens it. */
    public byte[] openUnnamed(String base64, String context) {
        byte[] sealed = decode(base64);
        for (SecretKeySpec key : keys.values()) {
            try {
                return open(key, sealed, context);
            } catch (IllegalArgumentException wrongKey) {
                // try the next one
            }
        }
        throw new IllegalArgumentException("the ciphertext does not open with any current or retired key");
    }

    /** Whether any key of this ring equals the given key. */
    public boolean holds(byte[] key) {
        return keys.values().stream().anyMatch(k -> Arrays.equals(k.getEncoded(), key));
    }

    private static byte[] open(SecretKeySpec key, byte[] sealed, String context) {
        try {
            return cipher(Cipher.DECRYPT_MODE, key, Arrays.copyOf(sealed, IV_BYTES), context)
                    .doFinal(sealed, IV_BYTES, sealed.length - IV_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the ciphertext does not open with this key and context", e);
        }
    }

    private static byte[] decode(String base64) {
        byte[] sealed;
        try {
            sealed = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the ciphertext is not base64");
        }
        if (sealed.length <= IV_BYTES) {
            throw new IllegalArgumentException("the ciphertext is too short");
        }
        return sealed;
    }

    private static Cipher cipher(int mode, SecretKeySpec key, byte[] iv, String context)
            throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, iv));
        cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }
}
