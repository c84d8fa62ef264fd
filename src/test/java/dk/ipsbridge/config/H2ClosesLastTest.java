package dk.ipsbridge.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class H2ClosesLastTest {

    @Test
    void shouldKeepAnH2StoreOpenUntilTheAdapterHasStoppedUnlessTheUrlSaysOtherwise() {
        assertThat(H2ClosesLast.closingLast("jdbc:h2:file:./data/ips;MODE=PostgreSQL"))
                .isEqualTo("jdbc:h2:file:./data/ips;MODE=PostgreSQL;DB_CLOSE_ON_EXIT=FALSE");
        assertThat(H2ClosesLast.closingLast("jdbc:h2:mem:x;db_close_on_exit=true")).endsWith("=true");
        assertThat(H2ClosesLast.closingLast("jdbc:postgresql://db/ips")).isEqualTo("jdbc:postgresql://db/ips");
    }
}
