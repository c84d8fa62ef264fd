package dk.ipsbridge.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;

import org.junit.jupiter.api.Test;

class CprProtectionTest {

    private final CprProtection cpr = LedgerKeys.load(TestLedgers.KEYS.config()).cpr();

    @Test
    void shouldHashDeterministicallyForSearchAndEncryptRandomlyForDisplay() {
        String hash = cpr.hash("0101901234");
        assertThat(hash).hasSize(64).isEqualTo(cpr.hash("0101901234")).isNotEqualTo(cpr.hash("0101901235"));
        String first = cpr.encrypt("0101901234", hash);
        String second = cpr.encrypt("0101901234", hash);
        assertThat(first).isNotEqualTo(second).doesNotContain("0101901234").startsWith("v1:");
        assertThat(cpr.decrypt(first, hash)).isEqualTo("0101901234");
    }

    @Test
    void shouldRefuseACiphertextMovedToAnotherPatientsHashOrUnderAnotherKey() {
        String hash = cpr.hash("0101901234");
        String ciphertext = cpr.encrypt("0101901234", hash);
        assertThatThrownBy(() -> cpr.decrypt(ciphertext, cpr.hash("0202902345")))
                .isInstanceOf(IllegalArgumentException.class);
        CprProtection other = new CprProtection(random(32), random(32));
        assertThatThrownBy(() -> other.decrypt(ciphertext, hash)).isInstanceOf(IllegalArgumentException.class);
        assertThat(other.hash("0101901234")).isNotEqualTo(hash);
    }

    @Test
    void shouldRefuseShortKeys() {
        assertThatThrownBy(() -> new CprProtection(random(16), random(32))).hasMessageContaining("hash key");
        assertThatThrownBy(() -> new CprProtection(random(32), random(16))).hasMessageContaining("AES-256");
    }

    private static byte[] random(int n) {
        byte[] key = new byte[n];
        new SecureRandom().nextBytes(key);
        return key;
    }
}
