package dk.ipsbridge.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
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

    private static final Logger log = LoggerFactory.getLogger(SecurityConfig.class);
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
                        .anyMatch(a -> ("ROLE_" + OPERATOR).equals(a.getAuthority()));
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
        List<UserDetails> users = properties.users().stream().map(SecurityConfig::user).toList();
        if (users.isEmpty()) {
            log.warn("No users configured (ips.security.users): the pages and the API refuse everyone");
        }
        // Not the manager itself: as a UserDetailsPasswordService it would re-hash every password below bcrypt cost 10
        // in memory at the first login, and every request after would pay cost 10. The configured hash is what counts;
        // a long random machine password (the EHR's) may use a low cost and keep each notification cheap.
        InMemoryUserDetailsManager manager = new InMemoryUserDetailsManager(users);
        return manager::loadUserByUsername;
    }

    private static UserDetails user(UserProperties.User user) {
        String hash = user.passwordHash();
        if (user.passwordHashFile() != null) {
            try {
                hash = Files.readString(user.passwordHashFile()).strip();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the password hash file of user " + user.username(), e);
            }
        }
        if (hash == null || !hash.matches("\\$2[aby]?\\$\\d\\d\\$[./A-Za-z0-9]{53}")) {
            throw new IllegalStateException("user " + user.username()
                    + " needs a bcrypt password-hash (from the environment) or password-hash-file");
        }
        return User.withUsername(user.username()).password(hash)
                .roles(user.roles().toArray(String[]::new)).build();
    }
}
