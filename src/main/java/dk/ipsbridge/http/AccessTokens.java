package dk.ipsbridge.http;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.ipsbridge.config.IpsProperties.OAuth;
import dk.ipsbridge.config.IpsProperties.Smart;
import dk.ipsbridge.failure.BadInputException;
import dk.ipsbridge.failure.UnavailableException;

/**
 * Bearer tokens for one EHR or jobcenter by the OAuth 2.0 client credentials grant, fetched through the same client
 * (the same TLS) as the calls they are for. The client authenticates with a secret (HTTP Basic, RFC 6749 2.3.1) or a
 * {@link ClientAssertion} ({@code private_key_jwt}; SMART Backend Services). A token is kept until
 * {@link #RENEW_EARLY} before it expires (half its lifetime, when shorter), and renewed at once when a call with it
 * was answered 401. A token endpoint that is down (I/O, 429, 5xx) is {@link UnavailableException}; one that refuses
 * (4xx) is {@link BadInputException} {@code token-refused} naming the setting. Tokens, secrets and assertions are
 * never logged nor put in a message.
 */
final class AccessTokens {

    /** How long before its expiry a token is renewed. */
    static final Duration RENEW_EARLY = Duration.ofSeconds(30);
    /** A token endpoint that does not say how long a token lasts: taken as this long. */
    static final Duration UNSAID_LIFETIME = Duration.ofMinutes(5);

    private static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    /** Sends a request through the peer's client. */
    interface Post {
        BoundedHttp.Response send(HttpRequest.Builder request, String what);
    }

    private final String setting;
    private final URI tokenUrl;
    private final String clientId;
    private final String scope;
    private final char[] secret;
    private final ClientAssertion assertion;
    private final Clock clock;
    private final ObjectMapper json = ExternalJson.mapper();
    private String token;
    private Instant renewAt = Instant.MIN;

    private AccessTokens(String setting, URI tokenUrl, String clientId, String scope, char[] secret,
            ClientAssertion assertion, Clock clock) {
        this.setting = setting;
        this.tokenUrl = tokenUrl;
        this.clientId = clientId;
        this.scope = scope;
        this.secret = secret;
        this.assertion = assertion;
        this.clock = clock;
    }

    /** A jobcenter's client credentials, {@code setting} such as {@code ips.jobcenters[1].oauth}. */
    static AccessTokens oauth(String setting, OAuth oauth, Clock clock) {
        if ((oauth.clientSecretFile() == null) == (oauth.privateKeyJwt() == null)) {
            throw PemFiles.refused(setting, "needs one of client-secret-file and private-key-jwt", null);
        }
        return new AccessTokens(setting, oauth.tokenUrl(), oauth.clientId(), oauth.scope(),
                oauth.clientSecretFile() == null ? null
                        : PemFiles.secret(oauth.clientSecretFile(), setting + ".client-secret-file"),
                oauth.privateKeyJwt() == null ? null
                        : ClientAssertion.fromPem(oauth.privateKeyJwt(), setting + ".private-key-jwt"), clock);
    }

    /** An EHR's SMART Backend Services client, {@code setting} such as {@code ips.sources[0].smart}. */
    static AccessTokens smart(String setting, Smart smart, Clock clock) {
        return new AccessTokens(setting, smart.tokenUrl(), smart.clientId(), smart.scope(), null,
                ClientAssertion.fromPem(smart.privateKey(), setting + ".private-key"), clock);
    }

    URI tokenUrl() {
        return tokenUrl;
    }

    /** The token to send now: the one held, or a new one when it is due for renewal. */
    synchronized String current(Post post) {
        if (token == null || !clock.instant().isBefore(renewAt)) {
            fetch(post);
        }
        return token;
    }

    /** A call with {@code refused} was answered 401: a new token, unless another call has renewed it already. */
    synchronized String renew(String refused, Post post) {
        if (refused.equals(token)) {
            fetch(post);
        }
        return token;
    }

    private void fetch(Post post) {
        Instant asked = clock.instant();
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        form.put("scope", scope);
        HttpRequest.Builder request = HttpRequest.newBuilder(tokenUrl)
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json");
        if (assertion != null) {
            form.put("client_assertion_type", ASSERTION_TYPE);
            form.put("client_assertion", assertion.sign(clientId, tokenUrl, asked));
        } else {
            String pair = encode(clientId) + ":" + encode(new String(secret));
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    pair.getBytes(StandardCharsets.UTF_8)));
        }
        String what = "token endpoint of " + setting;
        BoundedHttp.Response response = post.send(request.POST(HttpRequest.BodyPublishers.ofString(form.entrySet()
                .stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&")))), what);
        int status = response.status();
        if (Answer.retries(status)) {
            throw new UnavailableException(what + " answered " + status, status,
                    response.answer(Answer.Call.READ).retryAfter(), null);
        }
        if (status < 200 || status > 299) {
            throw new BadInputException("token-refused", what + " refused the client with " + status
                    + oauthError(response) + ": check " + setting + ".client-id and its key or secret", null);
        }
        JsonNode answer = tree(response.body());
        JsonNode accessToken = answer.path("access_token");
        if (!accessToken.isTextual() || accessToken.asText().isBlank()
                || !"bearer".equalsIgnoreCase(answer.path("token_type").asText("bearer"))) {
            throw new BadInputException("malformed-token-response", what + " answered no bearer access_token",
                    null);
        }
        Duration lifetime = answer.path("expires_in").canConvertToLong() && answer.path("expires_in").asLong() > 0
                ? Duration.ofSeconds(answer.path("expires_in").asLong()) : UNSAID_LIFETIME;
        Duration early = lifetime.dividedBy(2).compareTo(RENEW_EARLY) < 0 ? lifetime.dividedBy(2) : RENEW_EARLY;
        token = accessToken.asText();
        renewAt = asked.plus(lifetime).minus(early);
    }

    private JsonNode tree(byte[] body) {
        try {
            JsonNode node = body.length == 0 ? null : json.readTree(body);
            return node == null ? json.createObjectNode() : node;
        } catch (java.io.IOException e) { // not JSON: no token in it
            return json.createObjectNode();
        }
    }

    /** The OAuth error code (RFC 6749 5.2), from a fixed vocabulary, never its free-text description. */
    private String oauthError(BoundedHttp.Response response) {
        String error = tree(response.body()).path("error").asText("");
        return error.matches("[a-z_]{1,40}") ? " (" + error + ")" : "";
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
