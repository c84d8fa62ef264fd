package dk.ipsbridge.http;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import javax.net.ssl.SSLContext;

import dk.ipsbridge.config.IpsProperties;
import dk.ipsbridge.config.IpsProperties.Jobcenter;
import dk.ipsbridge.config.IpsProperties.Source;
import dk.ipsbridge.config.IpsProperties.Tls;
import dk.ipsbridge.config.RefusedStart;
import dk.ipsbridge.failure.BadInputException;
import dk.ipsbridge.failure.UnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The one HTTP client towards the EHRs and the jobcenters. Each EHR source and jobcenter (a peer) has its own JDK
 * client, made once at start-up with its TLS settings ({@link PeerTls}: client certificate, trusted certificates, TLS
 * 1.2 or newer, host name checked), and its bearer tokens if it has any ({@link AccessTokens}: OAuth 2.0 client
 * credentials for a jobcenter, SMART Backend Services for an EHR). A call with a token that is answered 401 is sent
 * once more with a new token; a second 401 is the answer. An {@code http://} base or token URL refuses start-up,
 * naming the setting, unless {@code ips.security.allow-plain-http} ({@link TransportSecurity}). Every call is
 * bounded:
 * <ul>
 * <li>in time: {@code ips.operations.http-timeout} covers the whole call, connecting, the headers and the whole
 * body, so a server that drips its body slowly times out like one that never answers;</li>
 * <li>in size: at most {@code ips.operations.max-response-bytes} of body are read; one byte more is bad input
 * ({@code response-too-large});</li>
 * <li>against decompression bombs: no compressed answer is asked for ({@code Accept-Encoding: identity}) and one
 * that comes anyway ({@code Content-Encoding} other than identity) is refused unread as bad input
 * ({@code compressed-response}). Nothing is ever decompressed, so the size limit is the size of what is parsed;</li>
 * <li>redirects are never followed.</li>
 * </ul>
 * The body of a status that means retry later (429, 5xx) is not read. I/O errors and timeouts are
 * {@link UnavailableException}. What a status means is {@link Answer}'s business, not the client's.
 */
@Component
public class BoundedHttp {

    private static final Logger log = LoggerFactory.getLogger(BoundedHttp.class);

    private final HttpSettings settings;
    private final TransportSecurity security;
    private final Clock clock;
    private final Map<String, Peer> peers = new ConcurrentHashMap<>();
    private final ObjectMapper json = ExternalJson.mapper();
    private final PeerHealth health = new PeerHealth();

    /** One EHR or jobcenter as called: its client (its TLS) and its tokens, or null. */
    private record Peer(HttpClient client, AccessTokens tokens) {
    }

    /** Every configured source and jobcenter is made ready here, so that a setting that cannot work refuses start. */
    @Autowired
    public BoundedHttp(HttpSettings settings, TransportSecurity security, IpsProperties properties) {
        this(settings, security, Clock.systemUTC());
        if (security.allowPlainHttp()) {
            log.warn("ips.security.allow-plain-http is true: EHRs and jobcenters may be called without TLS, and "
                    + "personal data may cross the network unencrypted. For local tests and the demo only.");
        }
        List<Source> sources = properties.sources();
        for (int i = 0; i < sources.size(); i++) {
            peers.put(key(sources.get(i)), source("ips.sources[" + i + "]", sources.get(i)));
        }
        List<Jobcenter> jobcenters = properties.jobcenters();
        for (int i = 0; i < jobcenters.size(); i++) {
            peers.put(key(jobcenters.get(i)), jobcenter("ips.jobcenters[" + i + "]", jobcenters.get(i)));
        }
    }

    /** A client whose peers are made on first use (tests: any source or jobcenter given to a call). */
    BoundedHttp(HttpSettings settings, TransportSecurity security, Clock clock) {
        this.settings = settings;
        this.security = security;
        this.clock = clock;
    }

    /** An answer: its status, headers and body (empty when not read). */
    public record Response(int status, HttpHeaders headers, byte[] body) {

        public Optional<String> header(String name) {
            return headers.firstValue(name);
        }

        /** The body as UTF-8 text. */
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** What the answer means, by the status table. */
        public Answer answer(Answer.Call call) {
            return Answer.of(call, status, header("Retry-After").orElse(null), text());
        }
    }

    /** A JSON answer: its status, and its body as a tree, null when empty or not JSON. */
    public record JsonAnswer(int status, JsonNode body) {
    }

    public HttpSettings settings() {
        return settings;
    }

    /** How each peer has answered lately ({@code source/<id>}, {@code jobcenter/<id>}), for the health endpoint. */
    public PeerHealth health() {
        return health;
    }

    /** The health key of an EHR source. */
    public static String key(Source source) {
        return "source/" + source.id();
    }

    /** The health key of a jobcenter. */
    public static String key(Jobcenter jobcenter) {
        return "jobcenter/" + jobcenter.id();
    }

    /**
     * {@code GET [base-url]/[path]} of a jobcenter's API (the outcomes feed, a case for reconciliation).
     *
     * @throws UnavailableException when the answer means retry later (429, 5xx), or on an I/O error or timeout
     * @throws BadInputException    as {@link #send}
     */
    public JsonAnswer getJson(Jobcenter jobcenter, String path, String what) {
        Response response = send(jobcenter, HttpRequest.newBuilder(URI.create(jobcenter.url(path)))
                .header("Accept", "application/json").GET(), what);
        Answer answer = response.answer(Answer.Call.READ);
        if (answer.meaning() == Answer.Meaning.RETRY_AFTER) {
            throw new UnavailableException(what + " answered " + response.status(), response.status(),
                    answer.retryAfter(), null);
        }
        return new JsonAnswer(response.status(), json(response.body()));
    }

    /**
     * Sends a request to an EHR source and reads the answer within the limits, as {@link #send(Jobcenter,
     * HttpRequest.Builder, String)}.
     */
    public Response send(Source source, HttpRequest.Builder request, String what) {
        return send(key(source), peers.computeIfAbsent(key(source), k -> source("ips.sources[" + source.id() + "]",
                source)), request, what);
    }

    /**
     * Sends a request to a jobcenter and reads the answer within the limits, with the jobcenter's TLS settings and
     * bearer token.
     *
     * @param what names the request in exception messages: ids only, never a payload or a person
     * @throws UnavailableException on an I/O error or when the timeout passes (status null), or when the token
     *                              endpoint is unavailable
     * @throws BadInputException    {@code response-too-large} or {@code compressed-response}; {@code token-refused}
     *                              when the token endpoint refuses the client
     */
    public Response send(Jobcenter jobcenter, HttpRequest.Builder request, String what) {
        return send(key(jobcenter), peers.computeIfAbsent(key(jobcenter), k -> jobcenter("ips.jobcenters["
                + jobcenter.id() + "]", jobcenter)), request, what);
    }

    /** Sends through a peer and notes how it answered ({@link PeerHealth}): by status, or the failure's type. */
    private Response send(String key, Peer peer, HttpRequest.Builder request, String what) {
        try {
            Response response = send(peer, request, what);
            health.answered(key, response.status(), clock.instant());
            return response;
        } catch (UnavailableException e) {
            health.failed(key, e.status() != null ? "answered " + e.status() : "no answer ("
                    + (e.getCause() == null ? "unavailable" : e.getCause().getClass().getSimpleName()) + ")",
                    clock.instant());
            throw e;
        }
    }

    private Response send(Peer peer, HttpRequest.Builder request, String what) {
        if (peer.tokens() == null) {
            return exchange(peer.client(), request, what);
        }
        AccessTokens.Post post = (tokenRequest, tokenCall) -> exchange(peer.client(), tokenRequest, tokenCall);
        String token = peer.tokens().current(post);
        Response response = exchange(peer.client(), bearer(request, token), what);
        if (response.status() != 401) {
            return response;
        }
        // once: a token the server no longer takes (revoked, its keys rotated) is renewed; a second 401 stands
        return exchange(peer.client(), bearer(request, peer.tokens().renew(token, post)), what);
    }

    private static HttpRequest.Builder bearer(HttpRequest.Builder request, String token) {
        return request.copy().setHeader("Authorization", "Bearer " + token);
    }

    private Peer source(String setting, Source source) {
        return peer(setting + ".fhir-base-url", source.fhirBaseUrl(), setting + ".tls", source.tls(),
                source.smart() == null ? null
                        : tokens(setting + ".smart", AccessTokens.smart(setting + ".smart", source.smart(), clock)));
    }

    private Peer jobcenter(String setting, Jobcenter jobcenter) {
        return peer(setting + ".base-url", jobcenter.baseUrl(), setting + ".tls", jobcenter.tls(),
                jobcenter.oauth() == null ? null
                        : tokens(setting + ".oauth", AccessTokens.oauth(setting + ".oauth", jobcenter.oauth(), clock)));
    }

    private Peer peer(String urlSetting, URI url, String tlsSetting, Tls tls, AccessTokens tokens) {
        requireHttps(urlSetting, url);
        SSLContext context = PeerTls.context(tlsSetting, tls == null ? Tls.NONE : tls);
        HttpClient client = HttpClient.newBuilder().connectTimeout(settings.httpTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).sslContext(context)
                .sslParameters(PeerTls.parameters(context)).build();
        return new Peer(client, tokens);
    }

    private AccessTokens tokens(String setting, AccessTokens tokens) {
        requireHttps(setting + ".token-url", tokens.tokenUrl());
        return tokens;
    }

    private void requireHttps(String setting, URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if ("https".equals(scheme) || "http".equals(scheme) && security.allowPlainHttp()) {
            return;
        }
        throw new RefusedStart(setting + " must be an https:// URL" + ("http".equals(scheme)
                ? ": over http:// personal data and credentials would cross the network unencrypted" : ""),
                "Use https:// for " + setting + ". Only for local tests against mocks, set "
                        + "ips.security.allow-plain-http: true.");
    }

    /** Sends a request through a peer's client and reads the answer within the limits. */
    private Response exchange(HttpClient http, HttpRequest.Builder request, String what) {
        HttpRequest req = request.timeout(settings.httpTimeout()).header("Accept-Encoding", "identity").build();
        long limit = settings.maxResponseBytes();
        AtomicReference<HttpResponse.ResponseInfo> answered = new AtomicReference<>();
        AtomicReference<BoundedBody> reading = new AtomicReference<>();
        CompletableFuture<HttpResponse<byte[]>> call = http.sendAsync(req, info -> {
            BoundedBody body = Answer.retries(info.statusCode()) ? BoundedBody.skipped(false)
                    : compressed(info.headers()) ? BoundedBody.skipped(true) : BoundedBody.upTo(limit);
            answered.set(info);
            reading.set(body);
            return body;
        });
        try {
            HttpResponse<byte[]> response = call.get(settings.httpTimeout().toNanos(), TimeUnit.NANOSECONDS);
            return new Response(response.statusCode(), response.headers(), response.body());
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new UnavailableException(what + " failed: timed out after " + settings.httpTimeout().toMillis()
                    + " ms", null, null, e);
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted", null, null, e);
        } catch (ExecutionException e) {
            // A body refused or skipped on purpose cancels the exchange; over HTTP/2 the cancel may fail the call
            // before the body's own outcome reaches it. That outcome, when there is one, is the answer.
            CompletableFuture<byte[]> body = reading.get() == null ? null
                    : reading.get().getBody().toCompletableFuture();
            if (body != null && body.isDone()) {
                try {
                    return new Response(answered.get().statusCode(), answered.get().headers(), body.join());
                } catch (CompletionException refused) {
                    throw failure(refused.getCause(), what, limit);
                }
            }
            throw failure(e.getCause(), what, limit);
        }
    }

    private static RuntimeException failure(Throwable cause, String what, long limit) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof BoundedBody.TooLarge) {
                return new BadInputException("response-too-large", what + " is larger than " + limit + " bytes", null);
            }
            if (t instanceof BoundedBody.Unread unread && unread.compressed) {
                return new BadInputException("compressed-response", what + " came compressed (Content-Encoding), "
                        + "which was not asked for; it was not read", null);
            }
        }
        return new UnavailableException(what + " failed: " + (cause == null ? "unknown" : cause.getClass()
                .getSimpleName()), null, null, cause);
    }

    private JsonNode json(byte[] body) {
        try {
            return body.length == 0 ? null : json.readTree(body);
        } catch (IOException e) { // JacksonException: not JSON
            return null;
        }
    }

    private static boolean compressed(HttpHeaders headers) {
        return headers.allValues("Content-Encoding").stream()
                .flatMap(value -> java.util.Arrays.stream(value.split(",")))
                .map(coding -> coding.trim().toLowerCase(Locale.ROOT))
                .anyMatch(coding -> !coding.isEmpty() && !"identity".equals(coding));
    }
}
