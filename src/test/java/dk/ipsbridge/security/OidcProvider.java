package dk.ipsbridge.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.http.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.security.oauth2.server.servlet.OAuth2AuthorizationServerAutoConfiguration;
import org.springframework.boot.autoconfigure.security.oauth2.server.servlet.OAuth2AuthorizationServerJwtAutoConfiguration;
import org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration;
import org.springframework.boot.autoconfigure.security.servlet.SecurityFilterAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.DispatcherServletAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.ServletWebServerFactoryAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.WebMvcAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.error.ErrorMvcAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

/**
 * A real OpenID Connect provider for the tests and the demo: Spring Authorization Server on its own port (never inside
 * the adapter's context), with its own signing key. People log in with a password through the authorization code
 * flow of the adapter's client; machines get tokens with client credentials. Every ID and access token carries the
 * person's or machine's {@code ips_roles}, {@code ips_jobcenters} and {@code ips_region}. It is served on
 * {@code 127.0.0.1} so that a test's cookie jar keeps its session apart from the adapter's on {@code localhost}.
 */
public final class OidcProvider implements AutoCloseable {

    /** A person (password login) or a machine (client credentials, the name is the client id, the password its secret). */
    public record Account(String name, String password, List<String> roles, List<String> jobcenters, String region) {
    }

    private final ConfigurableApplicationContext context;
    private final String issuer;

    private OidcProvider(ConfigurableApplicationContext context, String issuer) {
        this.context = context;
        this.issuer = issuer;
    }

    /**
     * @param clientId     the adapter's client (authorization code, {@code client_secret_basic})
     * @param clientSecret its secret
     * @param redirectUri  the adapter's {@code .../login/oauth2/code/oidc}
     * @param people       who may log in to the pages
     * @param machines     who may get tokens with client credentials
     */
    public static OidcProvider start(String clientId, String clientSecret, String redirectUri, List<Account> people,
            List<Account> machines) {
        int port = freePort();
        String issuer = "http://127.0.0.1:" + port;
        Setup setup = new Setup(issuer, clientId, clientSecret, redirectUri, people, machines);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(Server.class)
                .initializers(c -> c.getBeanFactory().registerSingleton("oidcSetup", setup))
                .properties("server.port=" + port, "server.address=127.0.0.1",
                        "spring.config.name=oidc-provider", // not the adapter's application.yml
                        "spring.main.banner-mode=off")
                .run();
        return new OidcProvider(context, issuer);
    }

    public String issuer() {
        return issuer;
    }

    public String tokenUrl() {
        return issuer + "/oauth2/token";
    }

    @Override
    public void close() {
        context.close();
    }

    /** A port free now, for a server that must be named before it starts (a redirect URI). */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Setup(String issuer, String clientId, String clientSecret, String redirectUri, List<Account> people,
            List<Account> machines) {
    }

    /** The provider's beans; not a {@code @Configuration}, so that no component scan of the adapter picks it up. */
    @ImportAutoConfiguration({ ServletWebServerFactoryAutoConfiguration.class, DispatcherServletAutoConfiguration.class,
            WebMvcAutoConfiguration.class, HttpMessageConvertersAutoConfiguration.class, JacksonAutoConfiguration.class,
            ErrorMvcAutoConfiguration.class, SecurityAutoConfiguration.class, SecurityFilterAutoConfiguration.class,
            OAuth2AuthorizationServerAutoConfiguration.class, OAuth2AuthorizationServerJwtAutoConfiguration.class })
    static class Server {

        private final String issuer;
        private final RegisteredClientRepository clients;
        private final Map<String, Account> people;
        private final Map<String, Account> machines;

        Server(Setup setup) {
            this.issuer = setup.issuer();
            this.people = setup.people().stream().collect(Collectors.toMap(Account::name, Function.identity()));
            this.machines = setup.machines().stream().collect(Collectors.toMap(Account::name, Function.identity()));
            RegisteredClient web = RegisteredClient.withId(UUID.randomUUID().toString())
                    .clientId(setup.clientId()).clientSecret("{noop}" + setup.clientSecret())
                    .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                    .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                    .redirectUri(setup.redirectUri()).scope(OidcScopes.OPENID)
                    .clientSettings(ClientSettings.builder().requireAuthorizationConsent(false).build())
                    .build();
            List<RegisteredClient> all = new ArrayList<>(List.of(web));
            setup.machines().forEach(machine -> all.add(RegisteredClient.withId(UUID.randomUUID().toString())
                    .clientId(machine.name()).clientSecret("{noop}" + machine.password())
                    .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                    .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                    .build()));
            this.clients = new InMemoryRegisteredClientRepository(all);
        }

        @Bean
        RegisteredClientRepository registeredClients() {
            return clients;
        }

        @Bean
        AuthorizationServerSettings authorizationServerSettings() {
            return AuthorizationServerSettings.builder().issuer(issuer).build();
        }

        @Bean
        UserDetailsService people() {
            return new InMemoryUserDetailsManager(people.values().stream()
                    .map(p -> User.withUsername(p.name()).password("{noop}" + p.password()).roles("USER").build())
                    .toList());
        }

        /** Roles and scope in every token, for the person who logged in or the machine that asked. */
        @Bean
        OAuth2TokenCustomizer<JwtEncodingContext> ipsClaims() {
            return context -> {
                String name = context.getPrincipal().getName();
                Account account = people.containsKey(name) ? people.get(name) : machines.get(name);
                if (account == null) {
                    return;
                }
                context.getClaims().claim("ips_roles", account.roles());
                if (!account.jobcenters().isEmpty()) {
                    context.getClaims().claim("ips_jobcenters", account.jobcenters());
                }
                if (account.region() != null) {
                    context.getClaims().claim("ips_region", account.region());
                }
            };
        }
    }
}
