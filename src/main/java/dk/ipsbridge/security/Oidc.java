package dk.ipsbridge.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoders;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;

/**
 * The OpenID Connect side of login, built from {@code ips.security.oidc.*} at start-up (the provider's discovery
 * document is read then): the authorization code flow for the pages and JWT bearer tokens for the API, both signed by
 * the configured issuer only. Not a bean: the decoder and the registration are used by the filter chains alone.
 */
final class Oidc {

    static final String REGISTRATION_ID = "oidc";

    private final OidcProperties properties;
    private final InMemoryClientRegistrationRepository registrations;
    private final JwtDecoder decoder;
    private final OidcUserService users = new OidcUserService();

    Oidc(OidcProperties properties) {
        this.properties = properties;
        String issuer = properties.issuerUri().toString();
        ClientRegistration registration = discover(issuer)
                .registrationId(REGISTRATION_ID)
                .clientId(properties.clientId())
                .clientSecret(secret(properties))
                .scope("openid")
                .userNameAttributeName(properties.usernameClaim())
                .redirectUri("{baseUrl}/login/oauth2/code/{registrationId}")
                .build();
        this.registrations = new InMemoryClientRegistrationRepository(registration);
        this.decoder = decoder(issuer, properties.audience());
    }

    /** Checks signature, issuer and expiry, and the audience when one is configured. */
    private static JwtDecoder decoder(String issuer, String audience) {
        NimbusJwtDecoder decoder = JwtDecoders.fromIssuerLocation(issuer);
        if (audience != null && !audience.isBlank()) {
            decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(JwtValidators.createDefaultWithIssuer(issuer),
                    new JwtClaimValidator<List<String>>(JwtClaimNames.AUD, aud -> aud != null && aud.contains(audience))));
        }
        return decoder;
    }

    private static ClientRegistration.Builder discover(String issuer) {
        try {
            return ClientRegistrations.fromIssuerLocation(issuer);
        } catch (RuntimeException e) {
            throw new IllegalStateException("ips.security.oidc.issuer-uri: the provider's discovery document could not "
                    + "be read; the provider must be reachable when the adapter starts", e);
        }
    }

    private static String secret(OidcProperties properties) {
        try {
            return Files.readString(properties.clientSecretFile()).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read ips.security.oidc.client-secret-file", e);
        }
    }

    /** Bearer JWTs on the API, besides HTTP Basic. */
    void api(HttpSecurity http) throws Exception {
        http.oauth2ResourceServer(server -> server.jwt(jwt -> jwt.decoder(decoder)
                .jwtAuthenticationConverter(this::authentication)));
    }

    /** Login through the provider for the pages, besides the local form login. */
    void pages(HttpSecurity http, AuthenticationSuccessHandler landing) throws Exception {
        http.oauth2Login(login -> login.clientRegistrationRepository(registrations)
                .userInfoEndpoint(userInfo -> userInfo.oidcUserService(this::user))
                .successHandler(landing));
    }

    /** A bearer token as the API sees it: checked, then its user's name and authorities. */
    AbstractAuthenticationToken bearer(String token) {
        return authentication(decoder.decode(token));
    }

    private AbstractAuthenticationToken authentication(Jwt jwt) {
        String name = jwt.getClaimAsString(properties.usernameClaim());
        if (name == null || name.isBlank()) {
            throw new InvalidBearerTokenException("the token has no " + properties.usernameClaim() + " claim");
        }
        try {
            return new JwtAuthenticationToken(jwt, OidcClaims.authorities(jwt, properties.rolesClaim()), name);
        } catch (IllegalArgumentException e) {
            throw new InvalidBearerTokenException(e.getMessage());
        }
    }

    private OidcUser user(OidcUserRequest request) {
        OidcUser user = users.loadUser(request);
        try {
            return new DefaultOidcUser(OidcClaims.authorities(user, properties.rolesClaim()), user.getIdToken(),
                    user.getUserInfo(), properties.usernameClaim());
        } catch (IllegalArgumentException e) {
            throw new OAuth2AuthenticationException(new OAuth2Error("invalid_token", e.getMessage(), null), e);
        }
    }
}
