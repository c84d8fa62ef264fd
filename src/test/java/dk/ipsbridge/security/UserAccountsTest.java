package dk.ipsbridge.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/** Local users as bound from {@code ips.security.users}: their roles and scopes become granted authorities. */
class UserAccountsTest {

    private static final String HASH = new BCryptPasswordEncoder(4).encode("irrelevant");

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(Accounts.class)
            .withPropertyValues("ips.security.users[0].username=anna", "ips.security.users[0].password-hash=" + HASH,
                    "ips.security.users[0].roles[0]=OFFICER");

    @Test
    void shouldGiveAScopedOfficerHerJobcentersAndRegionAsAuthorities() {
        runner.withPropertyValues("ips.security.users[0].jobcenters[0]=jc-a", "ips.security.users[0].jobcenters[1]=jc-b",
                "ips.security.users[0].region=DK-82").run(context -> {
                    UserDetails anna = context.getBean(UserDetailsService.class).loadUserByUsername("anna");

                    assertThat(anna.getAuthorities()).extracting(GrantedAuthority::getAuthority)
                            .containsExactlyInAnyOrder("ROLE_OFFICER", "JOBCENTER_jc-a", "JOBCENTER_jc-b", "REGION_DK-82");
                    assertThat(Scopes.of(anna.getAuthorities()).allowsJobcenter("jc-c")).isFalse();
                });
    }

    @Test
    void shouldLeaveAnOfficerWithoutJobcentersAndRegionUnscoped() {
        runner.run(context -> {
            UserDetails anna = context.getBean(UserDetailsService.class).loadUserByUsername("anna");

            assertThat(anna.getAuthorities()).extracting(GrantedAuthority::getAuthority).containsExactly("ROLE_OFFICER");
            assertThat(Scopes.of(anna.getAuthorities()).unscoped()).isTrue();
        });
    }

    @Test
    void shouldRefuseToStartWithAnInvalidRegionOrJobcenterNamingTheSetting() {
        runner.withPropertyValues("ips.security.users[0].region=DK-99").run(context -> assertThat(context)
                .hasFailed().getFailure().rootCause().hasMessageContaining("users[0].region"));
        runner.withPropertyValues("ips.security.users[0].jobcenters[0]=JC A").run(context -> assertThat(context)
                .hasFailed().getFailure().rootCause().hasMessageContaining("users[0].jobcenters[0]"));
    }

    @Test
    void shouldBindAnEhrUserToItsSourcesAndRefuseOneBoundToNone() {
        runner.withPropertyValues("ips.security.users[0].roles[0]=EHR", "ips.security.users[0].sources[0]=ehr-north")
                .run(context -> assertThat(context.getBean(UserDetailsService.class).loadUserByUsername("anna")
                        .getAuthorities()).extracting(GrantedAuthority::getAuthority)
                        .containsExactlyInAnyOrder("ROLE_EHR", "SOURCE_ehr-north"));
        runner.withPropertyValues("ips.security.users[0].roles[0]=EHR").run(context -> assertThat(context)
                .hasFailed().getFailure().rootCause().hasMessageContaining("ips.security.users[n].sources"));
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(UserProperties.class)
    static class Accounts {
        @Bean
        UserDetailsService users(UserProperties properties) {
            return UserAccounts.of(properties);
        }
    }
}
