package dk.ipsbridge.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.springframework.security.core.authority.AuthorityUtils;

class ScopesTest {

    @Test
    void shouldReadJobcentersAndRegionFromTheAuthoritiesAndIgnoreRoles() {
        Scopes scopes = Scopes.of(AuthorityUtils.createAuthorityList(
                "ROLE_OFFICER", "JOBCENTER_jc-a", "JOBCENTER_jc-b", "REGION_DK-82"));

        assertThat(scopes.jobcenters()).containsExactlyInAnyOrder("jc-a", "jc-b");
        assertThat(scopes.region()).contains("DK-82");
        assertThat(scopes.unscoped()).isFalse();
        assertThat(scopes.allowsJobcenter("jc-a")).isTrue();
        assertThat(scopes.allowsJobcenter("jc-c")).isFalse();
        assertThat(scopes.allowsRegion("DK-82")).isTrue();
        assertThat(scopes.allowsRegion("DK-81")).isFalse();
    }

    @Test
    void shouldBeUnscopedWithNeitherJobcentersNorRegion() {
        Scopes scopes = Scopes.of(AuthorityUtils.createAuthorityList("ROLE_OFFICER"));

        assertThat(scopes.unscoped()).isTrue();
        assertThat(scopes.allowsJobcenter("jc-any")).isTrue();
        assertThat(scopes.allowsRegion("DK-85")).isTrue();
    }

    @Test
    void shouldLimitByRegionAloneOrByJobcentersAlone() {
        Scopes region = Scopes.of(AuthorityUtils.createAuthorityList("REGION_DK-83"));
        assertThat(region.unscoped()).isFalse();
        assertThat(region.allowsJobcenter("jc-any")).isTrue();
        assertThat(region.allowsRegion("DK-82")).isFalse();

        Scopes jobcenter = Scopes.of(AuthorityUtils.createAuthorityList("JOBCENTER_jc-a"));
        assertThat(jobcenter.unscoped()).isFalse();
        assertThat(jobcenter.allowsJobcenter("jc-b")).isFalse();
        assertThat(jobcenter.allowsRegion("DK-85")).isTrue();
    }

    @Test
    void shouldRefuseTwoRegionsRatherThanWidenTheScope() {
        assertThatThrownBy(() -> Scopes.of(AuthorityUtils.createAuthorityList("REGION_DK-81", "REGION_DK-82")))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldMakeAuthoritiesThatReadBackToTheSameScope() {
        Scopes scopes = Scopes.of(Scopes.authorities(List.of("jc-a", "jc-b"), "DK-84"));

        assertThat(scopes).isEqualTo(new Scopes(Set.of("jc-a", "jc-b"), Optional.of("DK-84")));
        assertThat(Scopes.authorities(List.of(), null)).isEmpty();
    }

    @Test
    void shouldRefuseAnInvalidJobcenterIdOrRegionCodeWithoutQuotingIt() {
        assertThatThrownBy(() -> Scopes.authorities(List.of("JC A"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("JC A");
        assertThatThrownBy(() -> Scopes.authorities(List.of(), "DK-99"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("DK-99");
    }
}
