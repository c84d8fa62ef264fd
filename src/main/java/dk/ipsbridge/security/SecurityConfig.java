package dk.ipsbridge.security;

import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;

/**
 * Everything but the health check needs a login. The API ({@code /api/**}) takes HTTP Basic or, with
 * {@code ips.security.oidc.*}, a bearer JWT on every request and keeps no session, so a browser's login cookie cannot
 * be used to forge API calls; the pages use a form login or the OpenID Connect provider's, with a session and CSRF
 * tokens. Consent officers see personal data (preview, ledger); operators see ids and states. An EHR's Subscriptions
 * notify {@code /fhir/notify/{source}/**} with HTTP Basic (in {@code Subscription.channel.header}), as a user with the
 * role {@code EHR} bound to that source (C17), that may do nothing else. Every answer carries the security headers;
 * password logins are throttled ({@link LoginThrottle}), JSON bodies bounded ({@link JsonBodyLimit}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ UserProperties.class, OidcProperties.class, InboundProperties.class })
class SecurityConfig {

    private static final String OFFICER = UserProperties.OFFICER;
    private static final String OPERATOR = UserProperties.OPERATOR;
    private static final String EHR = UserProperties.EHR;
    /** Pages load their styles, forms and links from here only; nothing may frame them. */
    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private final Optional<Oidc> oidc;

    SecurityConfig(OidcProperties oidc) {
        this.oidc = oidc.enabled() ? Optional.of(new Oidc(oidc)) : Optional.empty();
    }

    @Bean
    LoginThrottle loginThrottle(InboundProperties properties, Optional<Clock> clock) {
        return new LoginThrottle(properties, clock.orElseGet(Clock::systemUTC));
    }

    @Bean
    @Order(0)
    SecurityFilterChain ehrNotifications(HttpSecurity http, LoginThrottle throttle) throws Exception {
        return common(http.securityMatcher("/fhir/notify/**"), throttle)
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/fhir/notify/{source}", "/fhir/notify/{source}/**")
                        .access(SecurityConfig::notifierOfSource)
                        .anyRequest().denyAll())
                .httpBasic(Customizer.withDefaults())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .securityContext(c -> c.securityContextRepository(new RequestAttributeSecurityContextRepository()))
                .csrf(csrf -> csrf.disable()) // a machine calls with Basic on every request; no cookie to forge with
                .build();
    }

    /** C17: the EHR user bound to the source in the path, and no other. */
    private static AuthorizationDecision notifierOfSource(Supplier<Authentication> authentication,
            RequestAuthorizationContext context) {
        Set<String> held = AuthorityUtils.authorityListToSet(authentication.get().getAuthorities());
        String source = context.getVariables().get("source");
        return new AuthorizationDecision(held.contains(UserProperties.authority(EHR))
                && held.contains(UserProperties.SOURCE_PREFIX + source));
    }

    @Bean
    @Order(1)
    SecurityFilterChain api(HttpSecurity http, LoginThrottle throttle, InboundProperties properties) throws Exception {
        common(http.securityMatcher("/api/**"), throttle)
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/api/consents/preview", "/api/ledger/**").hasRole(OFFICER)
                        .requestMatchers("/api/consents/**", "/api/results", "/api/results.csv")
                        .hasAnyRole(OFFICER, OPERATOR)
                        .anyRequest().hasRole(OPERATOR))
                .httpBasic(Customizer.withDefaults())
                .addFilterAfter(new JsonBodyLimit(properties), AuthorizationFilter.class)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .securityContext(c -> c.securityContextRepository(new RequestAttributeSecurityContextRepository()))
                .csrf(csrf -> csrf.disable()); // no cookie authenticates here, so there is nothing to forge
        if (oidc.isPresent()) {
            oidc.get().api(http);
        }
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain pages(HttpSecurity http, LoginThrottle throttle) throws Exception {
        common(http, throttle)
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/login", "/error", "/css/**").permitAll()
                        .requestMatchers("/officer/**").hasRole(OFFICER)
                        .requestMatchers("/results").hasAnyRole(OFFICER, OPERATOR)
                        .anyRequest().hasRole(OPERATOR))
                .formLogin(form -> form.successHandler(landingPage()))
                .httpBasic(Customizer.withDefaults());
        if (oidc.isPresent()) {
            oidc.get().pages(http, landingPage());
        }
        return http.build();
    }

    /**
     * What every chain has: the security headers on every answer (HSTS only over HTTPS, which behind a proxy the
     * forwarded headers tell: {@code server.forward-headers-strategy: framework}) and the login throttle.
     */
    private static HttpSecurity common(HttpSecurity http, LoginThrottle throttle) throws Exception {
        // before the form login's filter, which comes before HTTP Basic's: both password logins are checked
        return http.addFilterBefore(throttle.filter(), UsernamePasswordAuthenticationFilter.class)
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives(CSP))
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.NO_REFERRER))
                        .frameOptions(frame -> frame.deny())
                        .httpStrictTransportSecurity(hsts -> hsts.includeSubDomains(true).maxAgeInSeconds(31_536_000)));
    }

    /** After login: the page asked for, else the officers' workspace for officers and the status page for others. */
    private static AuthenticationSuccessHandler landingPage() {
        return new SavedRequestAwareAuthenticationSuccessHandler() {
            @Override
            protected String determineTargetUrl(HttpServletRequest request, HttpServletResponse response,
                    Authentication authentication) {
                boolean operator = authentication.getAuthorities().stream()
                        .anyMatch(a -> UserProperties.authority(OPERATOR).equals(a.getAuthority()));
                return operator ? "/" : "/officer";
            }
        };
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return new BCryptPasswordEncoder();
    }

    @Bean
    UserDetailsService users(UserProperties properties) {
        return UserAccounts.of(properties);
    }
}
