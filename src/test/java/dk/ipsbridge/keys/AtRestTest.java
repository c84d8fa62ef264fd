package dk.ipsbridge.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class AtRestTest {

    private static final String PATIENT = "{\"resourceType\":\"Patient\",\"identifier\":[{\"value\":\"0707071236\"}],"
            + "\"name\":[{\"family\":\"Fjendtligsen\"}]}";

    private final byte[] key = TestKeys.key();
    private final AtRest atRest = AtRest.of(key, List.of());

    @Test
    void shouldSealSoThatNothingOfTheTextShowsAndOpenItAgain() {
        String sealed = atRest.seal(PATIENT, "failed_record.original");
        assertThat(sealed).startsWith("s1:").doesNotContain("0707071236").doesNotContain("Fjendtligsen")
                .isNotEqualTo(atRest.seal(PATIENT, "failed_record.original"));
        assertThat(atRest.open(sealed, "failed_record.original")).isEqualTo(PATIENT);
        assertThat(atRest.seal(null, "outbox.payload")).isNull();
        assertThat(atRest.open(null, "outbox.payload")).isNull();
    }

    @Test
    void shouldRefuseTextMovedToAnotherColumnChangedOrInClear() {
        String sealed = atRest.seal(PATIENT, "failed_record.original");
        assertThatThrownBy(() -> atRest.open(sealed, "outbox.payload")).isInstanceOf(IllegalArgumentException.class);
        int middle = sealed.length() / 2;
        String changed = sealed.substring(0, middle) + (sealed.charAt(middle) == 'A' ? 'B' : 'A')
                + sealed.substring(middle + 1);
        assertThatThrownBy(() -> atRest.open(changed, "failed_record.original"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> atRest.open(PATIENT, "failed_record.original"))
                .hasMessageNotContaining("0707071236").isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRefuseACiphertextWithNothingAfterItsIv() {
        String sealed = atRest.seal(PATIENT, "outbox.payload");
        String named = sealed.substring(0, sealed.indexOf(':', "s1:".length()) + 1);
        String ivOnly = named + java.util.Base64.getEncoder().encodeToString(new byte[12]);
        assertThatThrownBy(() -> atRest.open(ivOnly, "outbox.payload")).hasMessageContaining("too short");
        assertThatThrownBy(() -> atRest.open(named + "not base64!", "outbox.payload"))
                .hasMessageContaining("not base64");
    }

    @Test
    void shouldOpenWhatARetiredKeySealedAndNotWhatAForgottenOneDid() {
        String sealed = atRest.seal(PATIENT, "outbox.payload");
        byte[] next = TestKeys.key();
        assertThat(AtRest.of(next, List.of(key)).open(sealed, "outbox.payload")).isEqualTo(PATIENT);
        assertThatThrownBy(() -> AtRest.of(next, List.of()).open(sealed, "outbox.payload"))
                .hasMessageContaining("neither current nor retired");
    }

    @Test
    void shouldNotUseTheCprEncryptionKeyItselfButOneDerivedFromIt() {
        String sealed = atRest.seal(PATIENT, "outbox.payload").substring("s1:".length());
        AesGcmRing plain = AesGcmRing.of(List.of(key), "key");
        assertThat(sealed).doesNotStartWith(plain.currentKeyId());
        assertThatThrownBy(() -> plain.openUnnamed(sealed.substring(sealed.indexOf(':') + 1), "outbox.payload"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
