package dk.ipsbridge.http;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Whether EHRs and jobcenters may be called over plain {@code http://} ({@code ips.security.allow-plain-http}). By
 * default they may not: an {@code http://} base URL or token URL refuses start-up, naming the setting. The demo and
 * the tests against local mocks set it; the adapter then warns at start-up.
 */
@ConfigurationProperties("ips.security")
public record TransportSecurity(@DefaultValue("false") boolean allowPlainHttp) {
}
