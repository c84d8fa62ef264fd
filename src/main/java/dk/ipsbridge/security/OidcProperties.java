package dk.ipsbridge.security;

import java.net.URI;
import java.nio.file.Path;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Officers and operators from an OpenID Connect provider ({@code ips.security.oidc.*}): login for the pages and bearer
 * JWTs for the API. Off without an {@code issuer-uri}; local users work either way.
 *
 * @param issuerUri        the provider's issuer; its discovery document is read at start-up
 * @param clientId         the adapter's client at the provider (authorization code flow for the pages)
 * @param clientSecretFile a file holding the client's secret (a mounted secret), never the repository
 * @param rolesClaim       the claim listing the user's roles ({@code OFFICER}, {@code OPERATOR}); others are ignored
 * @param usernameClaim    the claim that names the user in the ledger
 * @param audience         when set, a bearer token on the API must name it in {@code aud} (a token the provider issued
 *                         for another application is refused); unset, any token of the issuer with the roles claim
 */
@Validated
@ConfigurationProperties("ips.security.oidc")
record OidcProperties(
        URI issuerUri,
        String clientId,
        Path clientSecretFile,
        @DefaultValue("ips_roles") @NotBlank String rolesClaim,
        @DefaultValue("sub") @NotBlank String usernameClaim,
        String audience) {

    OidcProperties {
        if (issuerUri != null && (clientId == null || clientId.isBlank() || clientSecretFile == null)) {
            throw new IllegalArgumentException("ips.security.oidc.issuer-uri needs ips.security.oidc.client-id and "
                    + "ips.security.oidc.client-secret-file");
        }
    }

    boolean enabled() {
        return issuerUri != null;
    }
}
