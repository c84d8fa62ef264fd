package dk.ipsbridge.security;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import dk.ipsbridge.IpsBridgeApplication;
import dk.ipsbridge.ledger.Ledger;
import dk.ipsbridge.ledger.LedgerEntry;
import dk.ipsbridge.ledger.LedgerKeyTool;
import dk.ipsbridge.security.OidcProvider.Account;
import dk.ipsbridge.store.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;

/**
 * The adapter as a user meets it, over real HTTP on a real port: local users and a real OpenID Connect provider
 * (Spring Authorization Server, {@link OidcProvider}) at once, every request mapping refused without credentials and
 * with the wrong role, EHR users bound to their sources, the security headers, the login throttle and the JSON body
 * limit.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InboundSecurityTest {

    private static final String CLIENT_ID = "ips-bridge";
    private static final Map<String, String> PASSWORDS = Map.of("officer", "officer-pw-1", "operator", "operator-pw-1",
            "ehr", "ehr-pw-1", "ehr-b", "ehr-b-pw-1", "throttled", "throttled-pw-1", "officer-b", "officer-b-pw-1");
    /** A citizen whose ledger entries concern jobcenter jc-a only: outside the scope of officer-b (jc-b). */
    private static final String CITIZEN_AT_A = "0101901234";
    private static final Account OLGA = new Account("olga", "olga-pw-1", List.of("OFFICER"), List.of("jc-a"), "DK-82");
    private static final Account OTTO = new Account("otto", "otto-pw-1", List.of("OPERATOR"), List.of(), null);
    private static final Account OPS_ROBOT = new Account("ops-robot", "ops-secret-1", List.of("OPERATOR"), List.of(), null);
    private static final Account OFFICER_ROBOT = new Account("officer-robot", "officer-secret-1", List.of("OFFICER"),
            List.of("jc-a"), "DK-82");

    private final ObjectMapper json = new ObjectMapper();
    private OidcProvider provider;
    private OidcProvider untrusted;
    private ConfigurableApplicationContext adapter;
    private String base;

    @BeforeAll
    void start() throws IOException {
        int port = OidcProvider.freePort();
        base = "http://localhost:" + port;
        String clientSecret = "client-secret-" + System.nanoTime();
        List<Account> machines = List.of(OPS_ROBOT, OFFICER_ROBOT);
        provider = OidcProvider.start(CLIENT_ID, clientSecret, base + "/login/oauth2/code/oidc", List.of(OLGA, OTTO),
                machines);
        untrusted = OidcProvider.start(CLIENT_ID, clientSecret, base + "/login/oauth2/code/oidc", List.of(), machines);
        Path secretFile = Files.createTempFile("oidc-client", ".secret");
        Files.writeString(secretFile, clientSecret);

        BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder(4);
        List<String> args = new ArrayList<>(List.of("--server.port=" + port,
                "--spring.datasource.url=" + TestDatabases.h2Url(), "--camel.springboot.main-run-controller=false",
                "--ips.region=DK-82",
                "--ips.sources[0].id=ehr", "--ips.sources[0].fhir-base-url=http://localhost:9/fhir",
                "--ips.sources[0].poll-interval=1h",
                "--ips.sources[1].id=ehr-b", "--ips.sources[1].fhir-base-url=http://localhost:9/fhir-b",
                "--ips.sources[1].poll-interval=1h",
                "--ips.jobcenters[0].id=jc-a", "--ips.jobcenters[0].base-url=http://localhost:9/api",
                "--ips.jobcenters[0].organization-identifiers[0]=http://cvr.dk|12345678",
                "--ips.jobcenters[1].id=jc-b", "--ips.jobcenters[1].base-url=http://localhost:9/api-b",
                "--ips.jobcenters[1].organization-identifiers[0]=http://cvr.dk|87654321",
                "--ips.security.allow-plain-http=true",
                "--ips.security.oidc.issuer-uri=" + provider.issuer(), "--ips.security.oidc.client-id=" + CLIENT_ID,
                "--ips.security.oidc.client-secret-file=" + secretFile,
                "--ips.audit.region-name=Region Test", "--ips.audit.region-sor=123456789",
                "--ips.security.login-max-failures=3", "--ips.security.max-json-body=2KB"));
        List<String[]> users = List.of(new String[] { "officer", "OFFICER", null }, new String[] { "operator", "OPERATOR", null },
                new String[] { "ehr", "EHR", "ehr" }, new String[] { "ehr-b", "EHR", "ehr-b" },
                new String[] { "throttled", "OPERATOR", null }, new String[] { "officer-b", "OFFICER", null });
        for (int i = 0; i < users.size(); i++) {
            String[] user = users.get(i);
            String prefix = "--ips.security.users[" + i + "].";
            args.addAll(List.of(prefix + "username=" + user[0],
                    prefix + "password-hash=" + bcrypt.encode(PASSWORDS.get(user[0])), prefix + "roles[0]=" + user[1]));
            if (user[2] != null) {
                args.add(prefix + "sources[0]=" + user[2]);
            }
            if (user[0].equals("officer-b")) {
                args.add(prefix + "jobcenters[0]=jc-b");
            }
        }
        LedgerKeyTool.generate(Files.createTempDirectory("inbound-keys")).properties().forEach(p -> args.add("--" + p));
        adapter = new SpringApplicationBuilder(IpsBridgeApplication.class).run(args.toArray(String[]::new));
        // what an officer outside jc-a's scope must not reach: two entries of a jc-a citizen (indexes 0 and 1)
        Ledger ledger = adapter.getBean(Ledger.class);
        for (String decision : List.of("shared", "withdrawn")) {
            ledger.append(LedgerEntry.builder().time(java.time.Instant.now()).decision(decision)
                    .source("ehr", "Patient/at-a").recipient("jc-a", "caseata").consent("Consent/k1", "1")
                    .correlationId("seed-" + decision).cpr(CITIZEN_AT_A).build());
        }
    }

    @AfterAll
    void stop() {
        if (adapter != null) {
            adapter.close();
        }
        if (provider != null) {
            provider.close();
        }
        if (untrusted != null) {
            untrusted.close();
        }
    }

    /** Generated from the running application's request mappings: a new endpoint is checked without being listed. */
    @Nested
    class EveryMapping {

        @Test
        void shouldRefuseWithoutCredentialsAndWithEveryWrongRoleAndAdmitTheRightOne() throws Exception {
            Map<String, String> endpoints = endpoints();
            assertThat(endpoints).as("the adapter's own mappings").hasSizeGreaterThan(20)
                    .containsKeys("POST /api/consents/preview", "POST /fhir/notify/{sourceId}", "GET /officer",
                            "GET /actuator/metrics");
            for (Map.Entry<String, String> endpoint : endpoints.entrySet()) {
                String method = endpoint.getKey().split(" ")[0];
                String path = endpoint.getValue();
                Set<String> allowed = allowed(path);
                HttpResponse<String> anonymous = new Session().send(method, path, null);
                if (path.startsWith("/api/") || path.startsWith("/fhir/") || path.startsWith("/actuator/")) {
                    assertThat(anonymous.statusCode()).as("%s without credentials", endpoint.getKey()).isEqualTo(401);
                } else {
                    assertThat(anonymous.statusCode()).as("%s without credentials", endpoint.getKey()).isIn(302, 401);
                    if (anonymous.statusCode() == 302) {
                        assertThat(anonymous.headers().firstValue("Location")).hasValue(base + "/login");
                    }
                }
                for (String user : List.of("officer", "operator", "ehr")) {
                    int status = new Session().send(method, path, user).statusCode();
                    if (allowed.contains(user)) {
                        assertThat(status).as("%s as %s", endpoint.getKey(), user).isNotIn(401, 403);
                    } else {
                        assertThat(status).as("%s as %s", endpoint.getKey(), user).isEqualTo(403);
                    }
                }
                if (allowed.contains("officer")) {
                    // an officer limited to jc-b reads nothing of jc-a's citizen, whatever the endpoint answers
                    HttpResponse<String> outside = new Session().send(method, path, "officer-b");
                    assertThat(outside.body()).as("%s as an officer outside the entries' scope", endpoint.getKey())
                            .doesNotContain(CITIZEN_AT_A).doesNotContain("Patient/at-a").doesNotContain("caseata");
                }
            }
        }

        /** The policy, as the README states it: who may use which path. */
        private static Set<String> allowed(String path) {
            if (path.startsWith("/fhir/notify/")) {
                return Set.of("ehr");
            }
            if (path.startsWith("/officer") || path.startsWith("/api/ledger/") || path.equals("/api/consents/preview")) {
                return Set.of("officer");
            }
            if (path.startsWith("/api/consents/") || path.equals("/results") || path.startsWith("/api/results")) {
                return Set.of("officer", "operator");
            }
            return Set.of("operator");
        }

        /**
         * "METHOD pattern" to a concrete path: every mapping of the adapter's controllers and of the actuator, but
         * Spring's {@code /error} and the health check, which are open to all.
         */
        private Map<String, String> endpoints() {
            Map<String, String> endpoints = new LinkedHashMap<>();
            for (RequestMappingInfoHandlerMapping mapping : adapter.getBeansOfType(RequestMappingInfoHandlerMapping.class)
                    .values()) {
                for (Map.Entry<RequestMappingInfo, HandlerMethod> entry : mapping.getHandlerMethods().entrySet()) {
                    if (entry.getValue().getBeanType().getSimpleName().equals("BasicErrorController")) {
                        continue;
                    }
                    RequestMappingInfo info = entry.getKey();
                    Set<String> methods = new TreeSet<>();
                    info.getMethodsCondition().getMethods().forEach(m -> methods.add(m.name()));
                    if (methods.isEmpty()) {
                        methods.add("GET");
                    }
                    for (String pattern : info.getPatternValues()) {
                        String path = pattern.replace("{sourceId}", "ehr").replace("{index}", "1")
                                .replaceAll("\\{\\*?[^}]+}", "x");
                        if (!path.startsWith("/actuator/health")) {
                            methods.forEach(m -> endpoints.put(m + " " + pattern, path));
                        }
                    }
                }
            }
            return endpoints;
        }
    }

    /** Issue 15, item 4: an officer limited to jobcenter jc-b, against a citizen whose entries are jc-a's. */
    @Nested
    class OutsideScope {

        @Test
        void shouldFindNothingOpenNoEntryExportNoLedgerAndPreviewNoOtherJobcenter() throws Exception {
            String search = "{\"cpr\":\"" + CITIZEN_AT_A + "\"}";
            assertThat(api("POST", "/api/ledger/search", search, "officer").body()).contains("Patient/at-a");
            HttpResponse<String> found = api("POST", "/api/ledger/search", search, "officer-b");
            assertThat(found.statusCode()).isEqualTo(200);
            assertThat(json.readTree(found.body())).as("jc-a's entries, searched by jc-b's officer").isEmpty();

            assertThat(api("GET", "/api/ledger/entries/0/proof", null, "officer").statusCode()).isEqualTo(200);
            assertThat(api("GET", "/api/ledger/entries/0/proof", null, "officer-b").statusCode())
                    .as("as if it did not exist").isEqualTo(404);
            assertThat(new Session().send("GET", "/officer/entries/0", "officer").statusCode()).isEqualTo(200);
            assertThat(new Session().send("GET", "/officer/entries/0", "officer-b").statusCode()).isEqualTo(404);
            assertThat(api("GET", "/api/ledger/export", null, "officer-b").statusCode())
                    .as("the whole ledger, to a scoped officer").isEqualTo(403);
            HttpResponse<String> preview = api("POST", "/api/consents/preview",
                    "{\"cpr\":\"" + CITIZEN_AT_A + "\",\"jobcenterId\":\"jc-a\"}", "officer-b");
            assertThat(preview.statusCode()).isEqualTo(403);
            assertThat(preview.body()).doesNotContain(CITIZEN_AT_A);
            assertThat(api("POST", "/api/ledger/search", "{\"decision\":\"shared\"}", "officer").statusCode())
                    .as("a search that names no one").isEqualTo(400);
        }

        private HttpResponse<String> api(String method, String path, String body, String user) throws Exception {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + path))
                    .header("Authorization", basic(user, PASSWORDS.get(user))).header("Content-Type", "application/json")
                    .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body)).build(),
                    BodyHandlers.ofString());
        }
    }

    /** Contract C17: a credential for one source does not serve another. */
    @Nested
    class EhrSources {

        @Test
        void shouldRefuseAnEhrUserTheNotificationsOfAnotherSource() throws Exception {
            assertThat(new Session().send("POST", "/fhir/notify/ehr-b", "ehr").statusCode()).isEqualTo(403);
            assertThat(new Session().send("PUT", "/fhir/notify/ehr-b/Patient/p1", "ehr").statusCode()).isEqualTo(403);
            assertThat(new Session().send("POST", "/fhir/notify/ehr", "ehr-b").statusCode()).isEqualTo(403);
            assertThat(new Session().send("POST", "/fhir/notify/ehr-b", "ehr-b").statusCode()).isNotIn(401, 403);
            assertThat(new Session().send("POST", "/fhir/notify/unknown", "ehr").statusCode()).isEqualTo(403);
        }
    }

    @Nested
    class OpenIdConnect {

        @Test
        void shouldLogAnOfficerInToThePagesThroughTheAuthorizationCodeFlow() throws Exception {
            Session browser = new Session();
            HttpResponse<String> page = browser.loginThroughProvider(OLGA);

            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.uri().getPath()).isEqualTo("/officer");
            assertThat(browser.send("GET", "/officer/verify", null).statusCode()).isEqualTo(200);
            assertThat(browser.send("GET", "/", null).statusCode()).as("an officer is no operator").isEqualTo(403);
        }

        @Test
        void shouldRefuseAnOperatorFromTheProviderTheOfficersPages() throws Exception {
            Session browser = new Session();
            HttpResponse<String> landing = browser.loginThroughProvider(OTTO);

            assertThat(landing.statusCode()).isEqualTo(200);
            assertThat(landing.uri().getPath()).isEqualTo("/");
            assertThat(browser.send("GET", "/officer", null).statusCode()).isEqualTo(403);
        }

        @Test
        void shouldTakeABearerTokenWithTheRightRoleOnTheApi() throws Exception {
            assertThat(bearer("/api/status", token(provider, OPS_ROBOT)).statusCode()).isEqualTo(200);
            assertThat(bearer("/api/ledger/checkpoints", token(provider, OFFICER_ROBOT)).statusCode()).isEqualTo(200);
        }

        @Test
        void shouldRefuseNoTokenWithUnauthorizedAndTheWrongRoleWithForbidden() throws Exception {
            assertThat(bearer("/api/status", null).statusCode()).isEqualTo(401);
            assertThat(bearer("/api/status", token(provider, OFFICER_ROBOT)).statusCode()).isEqualTo(403);
            assertThat(bearer("/api/ledger/checkpoints", token(provider, OPS_ROBOT)).statusCode()).isEqualTo(403);
        }

        @Test
        void shouldRefuseATokenFromAnotherIssuerOrAnAlteredOne() throws Exception {
            assertThat(bearer("/api/status", token(untrusted, OPS_ROBOT)).statusCode()).isEqualTo(401);
            String token = token(provider, OFFICER_ROBOT);
            String[] parts = token.split("\\.");
            String claims = new String(Base64.getUrlDecoder().decode(parts[1]), UTF_8).replace("OFFICER", "OPERATOR");
            String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(claims.getBytes(UTF_8))
                    + "." + parts[2];
            assertThat(bearer("/api/status", forged).statusCode()).isEqualTo(401);
        }

        @Test
        void shouldGiveAScopedOfficersTokenHisRoleJobcentersAndRegion() throws Exception {
            Path secret = Files.createTempFile("unused", ".secret");
            Oidc oidc = new Oidc(new OidcProperties(URI.create(provider.issuer()), CLIENT_ID, secret, "ips_roles", "sub",
                    null));

            Authentication officer = oidc.bearer(token(provider, OFFICER_ROBOT));
            assertThat(officer.getName()).isEqualTo(OFFICER_ROBOT.name());
            assertThat(Scopes.of(officer.getAuthorities())).isEqualTo(new Scopes(Set.of("jc-a"), Optional.of("DK-82")));
            assertThat(officer.getAuthorities()).extracting(GrantedAuthority::getAuthority).contains("ROLE_OFFICER");
            assertThat(Scopes.of(oidc.bearer(token(provider, OPS_ROBOT)).getAuthorities()).unscoped()).isTrue();
        }

        @Test
        void shouldRefuseATokenIssuedForAnotherAudienceWhenOneIsConfigured() throws Exception {
            Path secret = Files.createTempFile("unused", ".secret");
            String token = token(provider, OPS_ROBOT); // the provider's client credentials name the client as aud
            Oidc forUs = new Oidc(new OidcProperties(URI.create(provider.issuer()), CLIENT_ID, secret, "ips_roles",
                    "sub", OPS_ROBOT.name()));
            Oidc forSomeoneElse = new Oidc(new OidcProperties(URI.create(provider.issuer()), CLIENT_ID, secret,
                    "ips_roles", "sub", "ips-bridge-api"));

            assertThat(forUs.bearer(token).getName()).isEqualTo(OPS_ROBOT.name());
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> forSomeoneElse.bearer(token))
                    .hasMessageContaining("aud");
        }

        private String token(OidcProvider issuer, Account machine) throws Exception {
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(issuer.tokenUrl()))
                    .header("Authorization", basic(machine.name(), machine.password()))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(BodyPublishers.ofString("grant_type=client_credentials")).build(), BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(200);
            return json.readTree(answer.body()).get("access_token").asText();
        }

        private HttpResponse<String> bearer(String path, String token) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path));
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            return HttpClient.newHttpClient().send(request.build(), BodyHandlers.ofString());
        }
    }

    @Nested
    class Headers {

        @Test
        void shouldSendTheSecurityHeadersOnEveryAnswerAndHstsOnlyOverHttps() throws Exception {
            for (HttpResponse<String> answer : List.of(new Session().send("GET", "/actuator/health", null),
                    new Session().send("GET", "/api/status", null), new Session().send("GET", "/", "operator"))) {
                assertThat(answer.headers().firstValue("Content-Security-Policy")).get().asString()
                        .contains("default-src 'self'", "frame-ancestors 'none'").doesNotContain("unsafe-inline");
                assertThat(answer.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
                assertThat(answer.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
                assertThat(answer.headers().firstValue("X-Frame-Options")).hasValue("DENY");
                assertThat(answer.headers().firstValue("Strict-Transport-Security")).as("plain HTTP").isEmpty();
            }
            HttpResponse<String> proxied = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(base + "/actuator/health")).header("X-Forwarded-Proto", "https").build(), BodyHandlers.ofString());
            assertThat(proxied.headers().firstValue("Strict-Transport-Security")).get().asString()
                    .contains("max-age=31536000");
        }

        @Test
        void shouldServeThePagesStyleSheetSoThatNoInlineStyleIsNeeded() throws Exception {
            HttpResponse<String> page = new Session().send("GET", "/", "operator");
            assertThat(page.body()).contains("/css/layout.css").doesNotContain("<style", "style=\"");
            assertThat(new Session().send("GET", "/css/layout.css", null).statusCode()).isEqualTo(200);
        }
    }

    @Nested
    class Limits {

        @Test
        void shouldLockAUsernameAfterTooManyFailedLoginsFromAnyAddress() throws Exception {
            for (int i = 1; i <= 3; i++) {
                assertThat(login("throttled", "wrong", "198.51.100." + i).statusCode()).isEqualTo(401);
            }
            HttpResponse<String> locked = login("throttled", PASSWORDS.get("throttled"), "198.51.100.9");
            assertThat(locked.statusCode()).as("even the right password").isEqualTo(429);
            assertThat(locked.headers().firstValue("Retry-After")).get().asString().matches("\\d+");
            assertThat(new Session().formLogin("throttled", PASSWORDS.get("throttled"), "198.51.100.9").statusCode())
                    .as("the login form as well").isEqualTo(429);
            assertThat(login("operator", PASSWORDS.get("operator"), "198.51.100.9").statusCode())
                    .as("another user from another address").isEqualTo(200);
            assertThat(new Session().formLogin("operator", PASSWORDS.get("operator"), "198.51.100.9").statusCode())
                    .as("the login form, another user").isEqualTo(302);
        }

        @Test
        void shouldLockAnAddressAfterTooManyFailedLoginsForAnyUsername() throws Exception {
            for (String name : List.of("nobody-1", "nobody-2", "operator")) {
                assertThat(login(name, "wrong", "203.0.113.7").statusCode()).isEqualTo(401);
            }
            assertThat(login("operator", PASSWORDS.get("operator"), "203.0.113.7").statusCode())
                    .as("even the right password").isEqualTo(429);
            assertThat(login("operator", PASSWORDS.get("operator"), "203.0.113.8").statusCode())
                    .as("from another address").isEqualTo(200);
        }

        @Test
        void shouldRefuseAJsonBodyOverTheLimitWithAProblem() throws Exception {
            String large = "{\"cpr\":\"" + "x".repeat(3000) + "\"}";
            HttpResponse<String> answer = officerPost(BodyPublishers.ofString(large));
            assertThat(answer.statusCode()).isEqualTo(413);
            assertThat(answer.headers().firstValue("Content-Type")).get().asString().startsWith("application/problem+json");
            assertThat(json.readTree(answer.body()).get("detail").asText()).contains("ips.security.max-json-body");

            HttpResponse<String> chunked = officerPost(BodyPublishers.ofInputStream(
                    () -> new ByteArrayInputStream("{}".getBytes(UTF_8))));
            assertThat(chunked.statusCode()).as("no Content-Length").isEqualTo(411);
            assertThat(officerPost(BodyPublishers.ofString("{}")).statusCode()).isNotIn(411, 413, 401, 403);
        }

        private HttpResponse<String> officerPost(BodyPublisher body) throws Exception {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/api/consents/preview"))
                    .header("Authorization", basic("officer", PASSWORDS.get("officer")))
                    .header("Content-Type", "application/json").POST(body).build(), BodyHandlers.ofString());
        }

        private HttpResponse<String> login(String user, String password, String address) throws Exception {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/api/status"))
                    .header("Authorization", basic(user, password)).header("X-Forwarded-For", address).build(),
                    BodyHandlers.ofString());
        }
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(UTF_8));
    }

    /** One browser: its own cookies, redirects followed by hand, the CSRF token of the login page sent on writes. */
    private final class Session {

        private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");
        private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).build();

        /** A request as {@code user} (HTTP Basic, or none when null); a write carries the session's CSRF token. */
        HttpResponse<String> send(String method, String path, String user) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path));
            if (user != null) {
                request.header("Authorization", basic(user, PASSWORDS.get(user)));
            }
            if (!method.equals("GET") && !path.startsWith("/api/") && !path.startsWith("/fhir/")) {
                request.header("X-CSRF-TOKEN", csrf(get(base + "/login").body()));
            }
            return http.send(request.method(method, BodyPublishers.noBody()).build(), BodyHandlers.ofString());
        }

        /** The adapter's login form, from the given client address (as a proxy says it). */
        HttpResponse<String> formLogin(String user, String password, String address) throws Exception {
            String form = "username=" + enc(user) + "&password=" + enc(password) + "&_csrf="
                    + enc(csrf(get(base + "/login").body()));
            return http.send(HttpRequest.newBuilder(URI.create(base + "/login")).header("X-Forwarded-For", address)
                    .header("Content-Type", "application/x-www-form-urlencoded").POST(BodyPublishers.ofString(form))
                    .build(), BodyHandlers.ofString());
        }

        /** The authorization code flow from the officers' page through the provider's login form and back. */
        HttpResponse<String> loginThroughProvider(Account person) throws Exception {
            HttpResponse<String> answer = follow(get(base + "/oauth2/authorization/" + Oidc.REGISTRATION_ID));
            assertThat(answer.uri().toString()).startsWith(provider.issuer() + "/login");
            String form = "username=" + enc(person.name()) + "&password=" + enc(person.password()) + "&_csrf="
                    + enc(csrf(answer.body()));
            return follow(http.send(HttpRequest.newBuilder(URI.create(provider.issuer() + "/login"))
                    .header("Content-Type", "application/x-www-form-urlencoded").POST(BodyPublishers.ofString(form))
                    .build(), BodyHandlers.ofString()));
        }

        private HttpResponse<String> follow(HttpResponse<String> answer) throws Exception {
            for (int hops = 0; answer.statusCode() == 302 && hops < 10; hops++) {
                answer = get(answer.uri().resolve(answer.headers().firstValue("Location").orElseThrow()).toString());
            }
            return answer;
        }

        private HttpResponse<String> get(String url) throws Exception {
            return http.send(HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/html").build(),
                    BodyHandlers.ofString());
        }

        private static String csrf(String page) {
            Matcher token = CSRF.matcher(page);
            assertThat(token.find()).as("a CSRF token on the login page").isTrue();
            return token.group(1);
        }

        private static String enc(String value) {
            return URLEncoder.encode(value, UTF_8);
        }
    }
}
