package dk.ipsbridge.security;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;

/**
 * Everything but the health check needs a login. The API ({@code /api/**}) takes HTTP Basic on every request and keeps
 * no session, so a browser's login cookie cannot be used to forge API calls; the pages use a form login with a
 * session and CSRF tokens. Consent officers see personal data (preview, ledger); operators see ids and states. An
 * EHR's Subscriptions notify {@code /fhir/notify/**} with HTTP Basic (in {@code Subscription.channel.header}), as a
 * user with the role {@code EHR} that may do nothing else.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(UserProperties.class)
class SecurityConfig {

    private static final String OFFICER = UserProperties.OFFICER;
    private static final String OPERATOR = UserProperties.OPERATOR;
    private static final String EHR = UserProperties.EHR;

    @Bean
    @Order(0)
    SecurityFilterChain ehrNotifications(HttpSecurity http) throws Exception {
        return http.securityMatcher("/fhir/notify/**")
                .authorizeHttpRequests(auth -> auth.anyRequest().hasRole(EHR))
                .httpBasic(Customizer.withDefaults())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .securityContext(c -> c.securityContextRepository(new RequestAttributeSecurityContextRepository()))
                .csrf(csrf -> csrf.disable()) // a machine calls with Basic on every request; no cookie to forge with
                .build();
    }

    @Bean
    @Order(1)
    SecurityFilterChain api(HttpSecurity http) throws Exception {
        return http.securityMatcher("/api/**")
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/api/consents/preview", "/api/ledger/**").hasRole(OFFICER)
                        .requestMatchers("/api/consents/**").hasAnyRole(OFFICER, OPERATOR)
                        .anyRequest().hasRole(OPERATOR))
                .httpBasic(Customizer.withDefaults())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .securityContext(c -> c.securityContextRepository(new RequestAttributeSecurityContextRepository()))
                .csrf(csrf -> csrf.disable()) // no cookie authenticates here, so there is nothing to forge
                .build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain pages(HttpSecurity http) throws Exception {
        return http
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/login", "/error").permitAll()
                        .requestMatchers("/officer/**").hasRole(OFFICER)
                        .anyRequest().hasRole(OPERATOR))
                .formLogin(form -> form.successHandler(landingPage()))
                .httpBasic(Customizer.withDefaults())
                .build();
    }

    /** After login: the page asked for, else the officers' workspace for officers and the status page for others. */
    private static AuthenticationSuccessHandler landingPage() {
        return new SavedRequestAwareAuthenticationSuccessHandler() {
            @Override
            protected String determineTargetUrl(HttpServletRequest request, HttpServletResponse response,
                    Authentication authentication) {
                boolean operator = authentication.getAuthorities().stream()
                        .anyMatch(a -> (UserProperties.authority(OPERATOR)).equals(a.getAuthority()));
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
