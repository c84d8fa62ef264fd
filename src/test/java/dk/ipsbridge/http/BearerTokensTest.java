package dk.ipsbridge.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dk.ipsbridge.config.IpsProperties.Jobcenter;
import dk.ipsbridge.config.IpsProperties.OAuth;
import dk.ipsbridge.config.IpsProperties.Smart;
import dk.ipsbridge.config.IpsProperties.Source;
import dk.ipsbridge.config.IpsProperties.Tls;
import dk.ipsbridge.failure.BadInputException;
import dk.ipsbridge.failure.UnavailableException;
import dk.ipsbridge.testkit.ehr.MockEhr;
import dk.ipsbridge.testkit.jobcenter.MockJobcenter;
import dk.ipsbridge.testkit.oauth.MockTokenEndpoint;
import dk.ipsbridge.testkit.tls.TestPki;
import dk.ipsbridge.testkit.tls.TestPki.KeyType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bearer tokens through the one HTTP client, against the test kit's token endpoint, which checks each client secret
 * and client assertion as a real one does, and a mock jobcenter or EHR that takes only tokens it issued and that have
 * not expired.
 */
class BearerTokensTest {

    private static final String SECRET = "jobcenter-client-secret-4711";

    @TempDir
    static Path dir;

    private static TestPki pki;
    private static Path secretFile;

    private final MockTokenEndpoint tokens = new MockTokenEndpoint().registerSecret("adapter", SECRET);
    private final MockJobcenter jobcenter = new MockJobcenter("jc-a", "A").requireTokensFrom(tokens);
    private final BoundedHttp http = Http.client();

    @BeforeAll
    static void keys() throws IOException {
        pki = TestPki.create(dir.resolve("pki"));
        secretFile = Files.writeString(dir.resolve("client-secret"), SECRET + "\n");
    }

    @AfterEach
    void stop() {
        jobcenter.close();
        tokens.close();
    }

    @Test
    void shouldFetchATokenWithTheClientSecretAndKeepItForTheNextCalls() {
        Jobcenter configured = withSecret("jc-secret", secretFile);

        assertThat(read(configured)).isEqualTo(404);
        assertThat(read(configured)).isEqualTo(404);

        assertThat(tokens.issued()).isEqualTo(1);
        assertThat(tokens.scopesGranted()).containsExactly("ips-cases");
        assertThat(jobcenter.refusedTokens()).isZero();
        assertThat(jobcenter.requests()).hasSize(2);
    }

    @Test
    void shouldAuthenticateWithAClientAssertionInsteadOfASecret() {
        TestPki.Issued key = pki.issue("jobcenter-client-key", KeyType.RSA);
        tokens.registerKey("adapter-jwt", key.keys().getPublic());
        Jobcenter configured = jobcenter("jc-jwt", new OAuth(URI.create(tokens.tokenUrl()), "adapter-jwt", null,
                key.privateKey(), "ips-cases"));

        assertThat(read(configured)).isEqualTo(404);
        assertThat(read(configured)).isEqualTo(404);

        assertThat(tokens.issued()).isEqualTo(1);
        assertThat(tokens.refusals()).isEmpty();
    }

    @Test
    void shouldRenewTheTokenBeforeItExpires() {
        tokens.tokenLifetime(Duration.ofSeconds(2)); // renewed after half its life: under 30 s, half is early enough
        Jobcenter configured = withSecret("jc-renew", secretFile);
        assertThat(read(configured)).isEqualTo(404);

        await().pollDelay(Duration.ofMillis(1100)).atMost(Duration.ofSeconds(2)).until(() -> true);
        assertThat(read(configured)).isEqualTo(404);

        assertThat(tokens.issued()).as("a new token for the second call").isEqualTo(2);
        assertThat(jobcenter.refusedTokens()).as("no call went out with an expired token").isZero();
    }

    @Test
    void shouldRetryOnceWithANewTokenWhenTheJobcenterNoLongerTakesTheOneHeld() {
        Jobcenter configured = withSecret("jc-revoked", secretFile);
        assertThat(read(configured)).isEqualTo(404);
        tokens.revokeAll(); // as after a restart of the jobcenter's authorization server

        assertThat(read(configured)).isEqualTo(404);

        assertThat(jobcenter.refusedTokens()).isEqualTo(1);
        assertThat(tokens.issued()).isEqualTo(2);
    }

    @Test
    void shouldAnswer401WithoutLoopingWhenTheNewTokenIsRefusedToo() {
        Jobcenter configured = withSecret("jc-401", secretFile);
        jobcenter.failNext(401, 10);

        assertThat(read(configured)).isEqualTo(401);

        assertThat(jobcenter.requests()).as("the call and one retry").hasSize(2);
        assertThat(tokens.issued()).isEqualTo(2);
    }

    @Test
    void shouldGetSmartBackendServicesTokensForAnEhrSignedWithEs384OrRs384() {
        try (MockEhr ehr = new MockEhr().requireTokensFrom(tokens)) {
            for (KeyType type : KeyType.values()) {
                TestPki.Issued key = pki.issue("ehr-client-" + type, type);
                tokens.registerKey("adapter-" + type, key.keys().getPublic());
                Source source = new Source("ehr-" + type.name().toLowerCase(), URI.create(ehr.baseUrl()),
                        Duration.ofSeconds(30), 100, Tls.NONE, new Smart(URI.create(tokens.tokenUrl()),
                                "adapter-" + type, key.traditionalKey(), "system/*.rs"));

                BoundedHttp.Response response = http.send(source, HttpRequest.newBuilder(URI.create(ehr.baseUrl()
                        + "/metadata")).GET(), "EHR metadata");

                assertThat(response.status()).as(type.name()).isEqualTo(200);
            }
            assertThat(tokens.scopesGranted()).containsExactly("system/*.rs", "system/*.rs");
            assertThat(ehr.refusedTokens()).isZero();
        }
    }

    @Nested
    class TokenEndpointFailing {

        @Test
        void shouldRefuseAWrongSecretAsAConfigurationErrorNamingTheSettingNotTheSecret() throws IOException {
            Path wrong = Files.writeString(dir.resolve("wrong-secret"), "not-the-secret");

            assertThatThrownBy(() -> read(withSecret("jc-wrong", wrong))).isInstanceOf(BadInputException.class)
                    .hasMessage("token endpoint of ips.jobcenters[jc-wrong].oauth refused the client with 401 "
                            + "(invalid_client): check ips.jobcenters[jc-wrong].oauth.client-id and its key or secret")
                    .satisfies(e -> assertThat(((BadInputException) e).reason()).isEqualTo("token-refused"));
            assertThat(tokens.refusals()).containsExactly("bad-secret");
            assertThat(jobcenter.requests()).as("nothing went to the jobcenter").isEmpty();
        }

        @Test
        void shouldBeUnavailableWhenTheTokenEndpointCannotBeReached() throws IOException {
            int closed;
            try (ServerSocket socket = new ServerSocket(0)) {
                closed = socket.getLocalPort();
            }
            Jobcenter configured = jobcenter("jc-down", new OAuth(URI.create("http://localhost:" + closed + "/token"),
                    "adapter", secretFile, null, "ips-cases"));

            assertThatThrownBy(() -> read(configured)).isInstanceOf(UnavailableException.class)
                    .hasMessageStartingWith("token endpoint of ips.jobcenters[jc-down].oauth failed: ");
            assertThat(jobcenter.requests()).isEmpty();
        }
    }

    private int read(Jobcenter configured) {
        return http.getJson(configured, "cases/nosuch", "case nosuch").status();
    }

    private Jobcenter withSecret(String id, Path secret) {
        return jobcenter(id, new OAuth(URI.create(tokens.tokenUrl()), "adapter", secret, null, "ips-cases"));
    }

    private Jobcenter jobcenter(String id, OAuth oauth) {
        return new Jobcenter(id, null, URI.create(jobcenter.baseUrl()), List.of("http://cvr.dk|1"), Tls.NONE, oauth);
    }
}
