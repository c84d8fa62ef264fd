package dk.ipsbridge.testkit.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dk.ipsbridge.testkit.jobcenter.MockJobcenter;
import dk.ipsbridge.testkit.tls.TestPki;
import dk.ipsbridge.testkit.tls.TestPki.KeyType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mock token endpoint checks client assertions and secrets as a real one does, and its tokens live and die. */
class MockTokenEndpointTest {

    private static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static TestPki.Issued ecKey;
    private static TestPki.Issued rsaKey;
    private static TestPki.Issued strangerKey;

    private final HttpClient http = HttpClient.newHttpClient();
    private final MockTokenEndpoint tokens = new MockTokenEndpoint();

    @BeforeAll
    static void keys() {
        TestPki pki = TestPki.create(dir);
        ecKey = pki.issue("client-ec", KeyType.EC);
        rsaKey = pki.issue("client-rsa", KeyType.RSA);
        strangerKey = pki.issue("stranger", KeyType.EC);
    }

    @AfterEach
    void stop() {
        tokens.close();
    }

    @Nested
    class ClientAssertions {

        @Test
        void shouldIssueATokenForAnEs384AssertionAndRefuseTheSameJtiAgain() throws Exception {
            tokens.registerKey("client", ecKey.keys().getPublic());
            String assertion = es384("client", tokens.tokenUrl(), "jti-1", Instant.now().plusSeconds(60));

            HttpResponse<String> first = post(assertionForm(assertion, "ips-cases"), null);
            HttpResponse<String> replayed = post(assertionForm(assertion, "ips-cases"), null);

            assertThat(first.statusCode()).isEqualTo(200);
            JsonNode token = JSON.readTree(first.body());
            assertThat(token.path("token_type").asText()).isEqualTo("Bearer");
            assertThat(token.path("expires_in").asInt()).isEqualTo(300);
            assertThat(tokens.accepts(token.path("access_token").asText())).isTrue();
            assertThat(replayed.statusCode()).isEqualTo(401);
            assertThat(JSON.readTree(replayed.body()).path("error").asText()).isEqualTo("invalid_client");
            assertThat(tokens.refusals()).containsExactly("jti-reused");
            assertThat(tokens.issued()).isEqualTo(1);
        }

        @Test
        void shouldAcceptAnRs384Assertion() throws Exception {
            tokens.registerKey("client", rsaKey.keys().getPublic());
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS384), claims("client", tokens.tokenUrl(),
                    "jti-rsa", Instant.now().plusSeconds(60)));
            jwt.sign(new RSASSASigner((RSAPrivateKey) rsaKey.keys().getPrivate()));

            assertThat(post(assertionForm(jwt.serialize(), "system/*.rs"), null).statusCode()).isEqualTo(200);
            assertThat(tokens.scopesGranted()).containsExactly("system/*.rs");
        }

        @Test
        void shouldRefuseAnAssertionSignedWithAKeyNotRegistered() throws Exception {
            tokens.registerKey("client", ecKey.keys().getPublic());
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.ES384), claims("client", tokens.tokenUrl(),
                    "jti-2", Instant.now().plusSeconds(60)));
            jwt.sign(new ECDSASigner((ECPrivateKey) strangerKey.keys().getPrivate()));

            assertThat(post(assertionForm(jwt.serialize(), "ips-cases"), null).statusCode()).isEqualTo(401);
            assertThat(tokens.refusals()).containsExactly("bad-signature");
        }

        @Test
        void shouldRefuseAnUnsignedAssertion() throws Exception {
            tokens.registerKey("client", ecKey.keys().getPublic());
            String unsigned = new PlainJWT(new PlainHeader(), claims("client", tokens.tokenUrl(), "jti-3",
                    Instant.now().plusSeconds(60))).serialize();

            assertThat(post(assertionForm(unsigned, "ips-cases"), null).statusCode()).isEqualTo(401);
            assertThat(tokens.refusals()).containsExactly("malformed-assertion");
        }

        @Test
        void shouldRefuseAnExpiredAssertionAndOneGoodForMoreThanFiveMinutes() throws Exception {
            tokens.registerKey("client", ecKey.keys().getPublic());

            post(assertionForm(es384("client", tokens.tokenUrl(), "jti-4", Instant.now().minusSeconds(1)),
                    "ips-cases"), null);
            post(assertionForm(es384("client", tokens.tokenUrl(), "jti-5", Instant.now().plusSeconds(330)),
                    "ips-cases"), null);
            post(assertionForm(es384("client", tokens.tokenUrl(), "jti-6", Instant.now().plusSeconds(290)),
                    "ips-cases"), null);

            assertThat(tokens.refusals()).containsExactly("expired", "exp-too-far");
            assertThat(tokens.issued()).isEqualTo(1);
        }

        @Test
        void shouldRefuseAnAssertionForAnotherAudienceOrAnotherSubject() throws Exception {
            tokens.registerKey("client", ecKey.keys().getPublic());
            post(assertionForm(es384("client", "https://elsewhere.invalid/token", "jti-7",
                    Instant.now().plusSeconds(60)), "ips-cases"), null);
            SignedJWT otherSubject = new SignedJWT(new JWSHeader(JWSAlgorithm.ES384), new JWTClaimsSet.Builder(
                    claims("client", tokens.tokenUrl(), "jti-8", Instant.now().plusSeconds(60))).subject("someone")
                    .build());
            otherSubject.sign(new ECDSASigner((ECPrivateKey) ecKey.keys().getPrivate()));
            post(assertionForm(otherSubject.serialize(), "ips-cases"), null);

            assertThat(tokens.refusals()).containsExactly("wrong-audience", "wrong-subject");
        }
    }

    @Nested
    class Secrets {

        @Test
        void shouldTakeTheRegisteredSecretByHttpBasicAndRefuseAnother() throws Exception {
            tokens.registerSecret("client", "s3cret");

            assertThat(post("grant_type=client_credentials&scope=ips-cases", basic("client", "s3cret")).statusCode())
                    .isEqualTo(200);
            assertThat(post("grant_type=client_credentials&scope=ips-cases", basic("client", "guess")).statusCode())
                    .isEqualTo(401);
            assertThat(post("grant_type=password&scope=ips-cases", basic("client", "s3cret")).statusCode())
                    .isEqualTo(400);
            assertThat(tokens.refusals()).containsExactly("bad-secret", "unsupported-grant-type");
        }
    }

    @Nested
    class Tokens {

        @Test
        void shouldLetAMockJobcenterTakeOnlyLiveTokensItIssued() throws Exception {
            tokens.registerSecret("client", "s3cret").tokenLifetime(Duration.ofSeconds(1));
            try (MockJobcenter jobcenter = new MockJobcenter("jc-a", "A").requireTokensFrom(tokens)) {
                String token = JSON.readTree(post("grant_type=client_credentials", basic("client", "s3cret")).body())
                        .path("access_token").asText();

                assertThat(get(jobcenter, null)).isEqualTo(401);
                assertThat(get(jobcenter, "made-up")).isEqualTo(401);
                assertThat(get(jobcenter, token)).as("the case API answers: no such case").isEqualTo(404);
                await().atMost(Duration.ofSeconds(3)).until(() -> !tokens.accepts(token));
                assertThat(get(jobcenter, token)).as("expired").isEqualTo(401);
                assertThat(jobcenter.refusedTokens()).isEqualTo(3);
                assertThat(jobcenter.requests()).hasSize(1);
            }
        }

        @Test
        void shouldForgetRevokedTokens() throws Exception {
            tokens.registerSecret("client", "s3cret");
            String token = JSON.readTree(post("grant_type=client_credentials", basic("client", "s3cret")).body())
                    .path("access_token").asText();

            tokens.revokeAll();

            assertThat(tokens.accepts(token)).isFalse();
        }
    }

    private static JWTClaimsSet claims(String clientId, String audience, String jti, Instant expires) {
        return new JWTClaimsSet.Builder().issuer(clientId).subject(clientId).audience(audience).jwtID(jti)
                .expirationTime(Date.from(expires)).build();
    }

    private static String es384(String clientId, String audience, String jti, Instant expires) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.ES384), claims(clientId, audience, jti, expires));
        jwt.sign(new ECDSASigner((ECPrivateKey) ecKey.keys().getPrivate()));
        return jwt.serialize();
    }

    private static String assertionForm(String assertion, String scope) {
        return "grant_type=client_credentials&scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8)
                + "&client_assertion_type=" + URLEncoder.encode(ASSERTION_TYPE, StandardCharsets.UTF_8)
                + "&client_assertion=" + assertion;
    }

    private static String basic(String clientId, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(
                StandardCharsets.UTF_8));
    }

    private HttpResponse<String> post(String form, String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(tokens.tokenUrl()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private int get(MockJobcenter jobcenter, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(jobcenter.baseUrl() + "/cases/"
                + UUID.randomUUID().toString().replace("-", "")));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
