package dk.ipsbridge.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EmbeddedStoreWarningTest {

    @Test
    void shouldWarnOfAnUnencryptedSingleInstanceStoreOnH2OutsideTheDemoOnly() {
        assertThat(EmbeddedStoreWarning.warning("jdbc:h2:file:./data/ipsbridge", false)).get().asString()
                .contains("UNENCRYPTED").contains("ONE instance").contains("in a file").contains("PostgreSQL");
        assertThat(EmbeddedStoreWarning.warning("jdbc:h2:mem:x", false)).get().asString().contains("in memory");
        assertThat(EmbeddedStoreWarning.warning("jdbc:h2:mem:ips-demo", true)).isEmpty();
        assertThat(EmbeddedStoreWarning.warning("jdbc:postgresql://db/ips", false)).isEmpty();
    }
}
