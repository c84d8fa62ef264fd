package dk.ipsbridge.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import dk.ipsbridge.keys.AesGcmRing;
import org.junit.jupiter.api.Test;

class CprProtectionTest {

    private final byte[] hashKey = random(32);
    private final byte[] encryptionKey = random(32);
    private final CprProtection cpr = new CprProtection(List.of(hashKey), List.of(encryptionKey));

    @Test
    void shouldHashDeterministicallyForSearchAndEncryptRandomlyForDisplayNamingTheKey() {
        String hash = cpr.hash("0101901234");
        assertThat(hash).hasSize(64).isEqualTo(cpr.hash("0101901234")).isNotEqualTo(cpr.hash("0101901235"));
        String first = cpr.encrypt("0101901234", hash);
        String second = cpr.encrypt("0101901234", hash);
        assertThat(first).isNotEqualTo(second).doesNotContain("0101901234")
                .startsWith("v2:" + AesGcmRing.keyId(encryptionKey) + ":");
        assertThat(cpr.decrypt(first, hash)).isEqualTo("0101901234");
    }

    @Test
    void shouldRefuseACiphertextMovedToAnotherPatientsHashOrUnderAnotherKey() {
        String hash = cpr.hash("0101901234");
        String ciphertext = cpr.encrypt("0101901234", hash);
        assertThatThrownBy(() -> cpr.decrypt(ciphertext, cpr.hash("0202902345")))
                .isInstanceOf(IllegalArgumentException.class);
        CprProtection other = new CprProtection(List.of(random(32)), List.of(random(32)));
        assertThatThrownBy(() -> other.decrypt(ciphertext, hash)).isInstanceOf(IllegalArgumentException.class);
        assertThat(other.hash("0101901234")).isNotEqualTo(hash);
        String forged = ciphertext.replace("v2:" + AesGcmRing.keyId(encryptionKey), "v2:00000000");
        assertThatThrownBy(() -> cpr.decrypt(forged, hash)).hasMessageContaining("neither current nor retired");
    }

    @Test
    void shouldStillFindAndOpenWhatRetiredKeysWroteAfterARotation() {
        String oldHash = cpr.hash("0101901234");
        String oldCiphertext = cpr.encrypt("0101901234", oldHash);
        byte[] newHashKey = random(32);
        byte[] newEncryptionKey = random(32);
        CprProtection rotated = new CprProtection(List.of(newHashKey, hashKey), List.of(newEncryptionKey,
                encryptionKey));

        assertThat(rotated.decrypt(oldCiphertext, oldHash)).isEqualTo("0101901234");
        assertThat(rotated.hashes("0101901234")).containsExactly(rotated.hash("0101901234"), oldHash);
        String newCiphertext = rotated.encrypt("0101901234", rotated.hash("0101901234"));
        assertThat(newCiphertext).startsWith("v2:" + AesGcmRing.keyId(newEncryptionKey) + ":");
        // without the retired keys, the old entry is neither found nor opened
        CprProtection forgotten = new CprProtection(List.of(newHashKey), List.of(newEncryptionKey));
        assertThat(forgotten.hashes("0101901234")).doesNotContain(oldHash);
        assertThatThrownBy(() -> forgotten.decrypt(oldCiphertext, oldHash))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldOpenCiphertextWrittenBeforeKeysHadIds() throws Exception {
        String hash = cpr.hash("0101901234");
        String v1 = sealedTheV1Way("0101901234", hash, encryptionKey);
        CprProtection rotated = new CprProtection(List.of(hashKey), List.of(random(32), encryptionKey));
        assertThat(rotated.decrypt(v1, hash)).isEqualTo("0101901234");
        assertThatThrownBy(() -> rotated.decrypt(v1, rotated.hash("0202902345")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRefuseShortKeysAndAHashKeyThatIsAlsoAnEncryptionKey() {
        assertThatThrownBy(() -> new CprProtection(List.of(random(16)), List.of(random(32))))
                .hasMessageContaining("hash key");
        assertThatThrownBy(() -> new CprProtection(List.of(random(32)), List.of(random(16))))
                .hasMessageContaining("AES-256");
        byte[] same = random(32);
        assertThatThrownBy(() -> new CprProtection(List.of(same), List.of(same))).hasMessageContaining("must differ");
        assertThatThrownBy(() -> new CprProtection(List.of(random(32), same), List.of(random(32), same)))
                .hasMessageContaining("must differ");
        assertThatThrownBy(() -> new CprProtection(List.of(random(32), same), List.of(same)))
                .hasMessageContaining("must differ");
    }

    /** As version 0.1 wrote it: {@code v1:} and base64 of iv, ciphertext and tag, the hash as associated data. */
    private static String sealedTheV1Way(String cpr, String hash, byte[] key) throws Exception {
        byte[] iv = random(12);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
        cipher.updateAAD(("ips-bridge ledger cpr v1:" + hash).getBytes(StandardCharsets.US_ASCII));
        byte[] sealed = cipher.doFinal(cpr.getBytes(StandardCharsets.US_ASCII));
        return "v1:" + Base64.getEncoder().encodeToString(
                ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array());
    }

    private static byte[] random(int n) {
        byte[] key = new byte[n];
        new SecureRandom().nextBytes(key);
        return key;
    }
}
