package dk.ipsbridge.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.core.ClaimAccessor;

/** Roles and scope from an OpenID Connect user's claims, and the settings that turn the provider on. */
class OidcClaimsTest {

    @Test
    void shouldMapKnownRolesAndTheScopeClaimsAndIgnoreOtherRoles() {
        assertThat(names(Map.of("ips_roles", List.of("OFFICER", "admin", "EHR"), "ips_jobcenters", List.of("jc-a", "jc-b"),
                "ips_region", "DK-82"))).containsExactlyInAnyOrder("ROLE_OFFICER", "JOBCENTER_jc-a", "JOBCENTER_jc-b",
                        "REGION_DK-82");
    }

    @Test
    void shouldTakeASingleStringAsOneValueAndNoClaimsAsNoAuthority() {
        assertThat(names(Map.of("ips_roles", "OPERATOR", "ips_jobcenters", "jc-a")))
                .containsExactlyInAnyOrder("ROLE_OPERATOR", "JOBCENTER_jc-a");
        assertThat(names(Map.of("sub", "someone"))).isEmpty();
    }

    @Test
    void shouldRefuseAScopeClaimItCannotReadRatherThanLeaveTheOfficerUnscoped() {
        assertThatThrownBy(() -> names(Map.of("ips_roles", List.of("OFFICER"), "ips_jobcenters", Map.of("id", "jc-a"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ips_jobcenters");
        assertThatThrownBy(() -> names(Map.of("ips_roles", List.of("OFFICER"), "ips_jobcenters", List.of("JC A"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> names(Map.of("ips_roles", List.of("OFFICER"), "ips_region", List.of("DK-81", "DK-82"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ips_region");
    }

    @Test
    void shouldReadTheRolesFromTheConfiguredClaim() {
        ClaimAccessor claims = () -> Map.of("groups", List.of("OPERATOR"), "ips_roles", List.of("OFFICER"));
        assertThat(OidcClaims.authorities(claims, "groups")).extracting(GrantedAuthority::getAuthority)
                .containsExactly("ROLE_OPERATOR");
    }

    @Test
    void shouldRefuseToStartWithAnIssuerButNoClientNamingTheSettings() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
                .withUserConfiguration(Settings.class)
                .withPropertyValues("ips.security.oidc.issuer-uri=https://login.example/realms/ips")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("ips.security.oidc.client-id")
                        .hasMessageContaining("ips.security.oidc.client-secret-file"));
    }

    @Test
    void shouldRefuseToStartWhenTheProviderCannotBeReachedNamingTheSetting() {
        OidcProperties unreachable = new OidcProperties(URI.create("http://127.0.0.1:9/realms/ips"), "ips-bridge",
                Path.of("unused"), "ips_roles", "sub", null);
        assertThatThrownBy(() -> new Oidc(unreachable)).hasMessageContaining("ips.security.oidc.issuer-uri");
    }

    private static List<String> names(Map<String, Object> claims) {
        return OidcClaims.authorities(() -> claims, "ips_roles").stream().map(GrantedAuthority::getAuthority).toList();
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(OidcProperties.class)
    static class Settings {
    }
}
