package dk.ipsbridge.testkit.oauth;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dk.ipsbridge.testkit.tls.ServerTls;

/**
 * A mock OAuth 2.0 token endpoint ({@code POST /token}) for the client credentials grant, as a jobcenter or an EHR
 * (SMART Backend Services) runs one, on WireMock, over HTTP or HTTPS ({@link ServerTls}). It checks what a real one
 * checks, and refuses with the RFC 6749 error and a reason a test can read ({@link #refusals()}):
 * <ul>
 * <li>{@code grant_type=client_credentials} ({@code unsupported-grant-type});</li>
 * <li>the client: a registered secret by HTTP Basic or in the form ({@code bad-secret}), or a {@code private_key_jwt}
 * client assertion ({@code client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer}) whose
 * signature verifies with a key registered for its {@code iss} ({@code bad-signature}, {@code unknown-client},
 * {@code malformed-assertion}); {@code sub} equal to {@code iss} ({@code wrong-subject}); {@code aud} naming this
 * token URL ({@code wrong-audience}); {@code exp} not past ({@code expired}) and at most five minutes ahead
 * ({@code exp-too-far}); a {@code jti} not seen before ({@code jti-reused}, {@code no-jti});</li>
 * </ul>
 * and then issues a random bearer token for {@link #tokenLifetime} (default 5 minutes). A mock jobcenter or EHR given
 * {@link #accepts} takes only tokens issued here and not expired, nor revoked ({@link #revokeAll}). Thread-safe.
 */
public final class MockTokenEndpoint implements AutoCloseable {

    /** The token endpoint's path. */
    public static final String PATH = "/token";
    /** The longest a client assertion may be good for. */
    public static final Duration MAX_ASSERTION_LIFETIME = Duration.ofMinutes(5);

    private static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final WireMockServer server;
    private final boolean https;
    private final Clock clock;
    private final Map<String, String> secrets = new ConcurrentHashMap<>();
    private final Map<String, List<JWK>> keys = new ConcurrentHashMap<>();
    private final Set<String> seenJtis = ConcurrentHashMap.newKeySet();
    private final Map<String, Instant> tokens = new ConcurrentHashMap<>();
    private final List<String> refusals = new CopyOnWriteArrayList<>();
    private final List<String> scopes = new CopyOnWriteArrayList<>();
    private final AtomicInteger issued = new AtomicInteger();
    private volatile Duration lifetime = Duration.ofMinutes(5);

    /** Over plain HTTP on a free port. */
    public MockTokenEndpoint() {
        this(null);
    }

    /** Over HTTPS on a free port when {@code tls} is not null. */
    public MockTokenEndpoint(ServerTls tls) {
        this.clock = Clock.systemUTC();
        this.https = tls != null;
        WireMockConfiguration config = tls == null ? options().dynamicPort() : tls.apply(options(), 0);
        server = new WireMockServer(config.bindAddress("localhost").extensions(new Endpoint()));
        server.stubFor(any(anyUrl()).willReturn(aResponse().withTransformers(Endpoint.NAME)));
        server.start();
    }

    /** {@code http(s)://localhost:<port>/token}: the URL to configure, and the {@code aud} assertions must name. */
    public String tokenUrl() {
        return (https ? "https://localhost:" + server.httpsPort() : "http://localhost:" + server.port()) + PATH;
    }

    /** Registers a client that authenticates with a secret. */
    public MockTokenEndpoint registerSecret(String clientId, String secret) {
        secrets.put(Objects.requireNonNull(clientId), Objects.requireNonNull(secret));
        return this;
    }

    /**
     * Registers a public key of a client that authenticates with client assertions, as its JWK Set would list it:
     * EC or RSA, with its RFC 7638 thumbprint as {@code kid}. An assertion with a {@code kid} must name it.
     */
    public MockTokenEndpoint registerKey(String clientId, PublicKey publicKey) {
        try {
            JWK jwk = publicKey instanceof ECPublicKey ec
                    ? new ECKey.Builder(Curve.forECParameterSpec(ec.getParams()), ec).keyIDFromThumbprint().build()
                    : new RSAKey.Builder((RSAPublicKey) publicKey).keyIDFromThumbprint().build();
            keys.computeIfAbsent(clientId, id -> new CopyOnWriteArrayList<>()).add(jwk);
            return this;
        } catch (JOSEException e) {
            throw new IllegalArgumentException("not a usable public key: " + e.getMessage(), e);
        }
    }

    /** How long tokens issued from now on last ({@code expires_in}, whole seconds, at least 1). */
    public MockTokenEndpoint tokenLifetime(Duration lifetime) {
        if (lifetime.toSeconds() < 1) {
            throw new IllegalArgumentException("a token lasts at least a second");
        }
        this.lifetime = lifetime;
        return this;
    }

    /** Whether {@code token} was issued here, is not expired, and was not revoked. */
    public boolean accepts(String token) {
        Instant expires = tokens.get(token);
        return expires != null && clock.instant().isBefore(expires);
    }

    /** Forgets every token issued: a resource server asking {@link #accepts} then answers 401 to them. */
    public void revokeAll() {
        tokens.clear();
    }

    /** How many tokens were issued. */
    public int issued() {
        return issued.get();
    }

    /** The reason of each refused request, in order ({@code jti-reused}, {@code bad-signature}, ...). */
    public List<String> refusals() {
        return List.copyOf(refusals);
    }

    /** The {@code scope} of each request that got a token, in order. */
    public List<String> scopesGranted() {
        return List.copyOf(scopes);
    }

    @Override
    public void close() {
        server.stop();
    }

    private synchronized ResponseDefinition token(LoggedRequest request) {
        if (!"POST".equals(request.getMethod().getName()) || !PATH.equals(request.getUrl().split("\\?")[0])) {
            return error(404, "invalid_request", "not-the-token-endpoint");
        }
        Map<String, String> form = form(request.getBodyAsString());
        if (!"client_credentials".equals(form.get("grant_type"))) {
            return error(400, "unsupported_grant_type", "unsupported-grant-type");
        }
        String refusal = request.containsHeader("Authorization") || form.containsKey("client_secret")
                ? checkSecret(request, form) : checkAssertion(form);
        if (refusal != null) {
            return error(401, "invalid_client", refusal);
        }
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(RANDOM.generateSeed(24));
        tokens.put(token, clock.instant().plus(lifetime));
        issued.incrementAndGet();
        scopes.add(form.getOrDefault("scope", ""));
        ObjectNode body = JSON.createObjectNode().put("access_token", token).put("token_type", "Bearer")
                .put("expires_in", lifetime.toSeconds());
        if (form.containsKey("scope")) {
            body.put("scope", form.get("scope"));
        }
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withHeader("Cache-Control", "no-store").withBody(body.toString()).build();
    }

    private String checkSecret(LoggedRequest request, Map<String, String> form) {
        String clientId = form.get("client_id");
        String secret = form.get("client_secret");
        String header = request.containsHeader("Authorization") ? request.getHeader("Authorization") : "";
        if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
            String pair = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = pair.indexOf(':');
            clientId = colon < 0 ? null : URLDecoder.decode(pair.substring(0, colon), StandardCharsets.UTF_8);
            secret = colon < 0 ? null : URLDecoder.decode(pair.substring(colon + 1), StandardCharsets.UTF_8);
        }
        return clientId != null && secret != null && secret.equals(secrets.get(clientId)) ? null : "bad-secret";
    }

    private String checkAssertion(Map<String, String> form) {
        if (!ASSERTION_TYPE.equals(form.get("client_assertion_type")) || form.get("client_assertion") == null) {
            return "no-client-authentication";
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(form.get("client_assertion"));
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            return "malformed-assertion";
        }
        String clientId = claims.getIssuer();
        List<JWK> registered = clientId == null ? null : keys.get(clientId);
        if (registered == null || form.containsKey("client_id") && !clientId.equals(form.get("client_id"))) {
            return "unknown-client";
        }
        if (!verified(jwt, registered)) {
            return "bad-signature";
        }
        if (!clientId.equals(claims.getSubject())) {
            return "wrong-subject";
        }
        if (claims.getAudience() == null || !claims.getAudience().contains(tokenUrl())) {
            return "wrong-audience";
        }
        Instant now = clock.instant();
        if (claims.getExpirationTime() == null || !claims.getExpirationTime().toInstant().isAfter(now)) {
            return "expired";
        }
        if (claims.getExpirationTime().toInstant().isAfter(now.plus(MAX_ASSERTION_LIFETIME))) {
            return "exp-too-far";
        }
        if (claims.getJWTID() == null || claims.getJWTID().isBlank()) {
            return "no-jti";
        }
        return seenJtis.add(clientId + " " + claims.getJWTID()) ? null : "jti-reused";
    }

    private static boolean verified(SignedJWT jwt, List<JWK> registered) {
        String kid = jwt.getHeader().getKeyID();
        for (JWK key : registered) {
            if (kid != null && !kid.equals(key.getKeyID())) {
                continue;
            }
            try {
                JWSVerifier verifier = key instanceof ECKey ec ? new ECDSAVerifier(ec) : new RSASSAVerifier(
                        (RSAKey) key);
                if (verifier.supportedJWSAlgorithms().contains(jwt.getHeader().getAlgorithm()) && jwt.verify(verifier)) {
                    return true;
                }
            } catch (JOSEException e) {
                // not this key: the next one
            }
        }
        return false;
    }

    private ResponseDefinition error(int status, String error, String reason) {
        refusals.add(reason);
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withBody(JSON.createObjectNode().put("error", error).toString()).build();
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    /** The WireMock side: every request to the server goes through {@link #token}. */
    private final class Endpoint implements ResponseDefinitionTransformerV2 {

        static final String NAME = "ipsbridge-mock-token-endpoint";

        @Override
        public String getName() {
            return NAME;
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            return token(event.getRequest());
        }
    }
}
