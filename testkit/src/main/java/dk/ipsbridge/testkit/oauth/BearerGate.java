package dk.ipsbridge.testkit.oauth;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.requestfilter.RequestFilterAction;
import com.github.tomakehurst.wiremock.extension.requestfilter.StubRequestFilterV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * A WireMock request filter in front of a mock's API: open until {@link #require} is called, then a request passes
 * only with {@code Authorization: Bearer <token>} whose token the predicate accepts (typically
 * {@link MockTokenEndpoint#accepts}: issued there and not expired); any other gets 401 with
 * {@code WWW-Authenticate: Bearer error="invalid_token"} and is counted, before the mock sees it.
 */
public final class BearerGate implements StubRequestFilterV2 {

    private volatile Predicate<String> accepts;
    private final AtomicInteger refused = new AtomicInteger();

    /** From now on, only tokens {@code accepts} takes pass; null opens the gate again. */
    public void require(Predicate<String> accepts) {
        this.accepts = accepts;
    }

    /** How many requests were answered 401 here. */
    public int refused() {
        return refused.get();
    }

    @Override
    public String getName() {
        return "ipsbridge-bearer-gate";
    }

    @Override
    public RequestFilterAction filter(Request request, ServeEvent serveEvent) {
        Predicate<String> check = accepts;
        String header = request.containsHeader("Authorization") ? request.getHeader("Authorization") : "";
        String token = header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : "";
        if (check == null || !token.isEmpty() && check.test(token)) {
            return RequestFilterAction.continueWith(request);
        }
        refused.incrementAndGet();
        return RequestFilterAction.stopWith(ResponseDefinitionBuilder.responseDefinition().withStatus(401)
                .withHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"").build());
    }
}
