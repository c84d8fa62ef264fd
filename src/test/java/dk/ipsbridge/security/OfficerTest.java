package dk.ipsbridge.security;

import static org.assertj.core.api.Assertions.assertThat;


import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.TestingAuthenticationToken;

/** An officer's scope from their authorities, in the region this adapter serves (DK-82). */
class OfficerTest {

    @Test
    void shouldSeeEveryJobcenterWithoutAJobcenterOrRegionLimitButNothingWithoutAJobcenter() {
        Officer officer = Officer.of(auth("ROLE_OFFICER"), "DK-82");
        assertThat(officer.unlimited()).isTrue();
        assertThat(officer.covers("jc-a")).isTrue();
        assertThat(officer.covers(null)).as("an entry without a jobcenter, to an unlimited officer").isTrue();
        assertThat(officer.name()).isEqualTo("anna");
    }

    @Test
    void shouldSeeOnlyTheirJobcentersAndNoEntryWithoutOne() {
        Officer officer = Officer.of(auth("ROLE_OFFICER", "JOBCENTER_jc-a", "JOBCENTER_jc-b"), "DK-82");
        assertThat(officer.unlimited()).isFalse();
        assertThat(officer.jobcenters()).containsExactlyInAnyOrder("jc-a", "jc-b");
        assertThat(officer.covers("jc-a")).isTrue();
        assertThat(officer.covers("jc-c")).isFalse();
        assertThat(officer.covers(null)).isFalse();
    }

    @Test
    void shouldSeeTheWholeServedRegionWhenLimitedToItAndNothingWhenLimitedToAnother() {
        assertThat(Officer.of(auth("REGION_DK-82"), "DK-82").unlimited()).isTrue();
        Officer elsewhere = Officer.of(auth("REGION_DK-81", "JOBCENTER_jc-a"), "DK-82");
        assertThat(elsewhere.unlimited()).isFalse();
        assertThat(elsewhere.covers("jc-a")).as("a jobcenter of the same id, but another region's officer").isFalse();
        assertThat(elsewhere.covers(null)).isFalse();
        Officer ownRegionAndJobcenter = Officer.of(auth("REGION_DK-82", "JOBCENTER_jc-a"), "DK-82");
        assertThat(ownRegionAndJobcenter.covers("jc-a")).isTrue();
        assertThat(ownRegionAndJobcenter.covers("jc-b")).isFalse();
    }

    private static TestingAuthenticationToken auth(String... authorities) {
        return new TestingAuthenticationToken("anna", null, authorities);
    }
}
