package dk.ipsbridge.http;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** {@link HttpSettings} and the client as the adapter binds them: the defaults, but for the given settings. */
public final class Http {

    private Http() {
    }

    /** @param overrides property names below {@code ips.operations}, such as {@code max-response-bytes} */
    public static HttpSettings settings(Map<String, String> overrides) {
        Map<String, String> properties = new HashMap<>();
        overrides.forEach((name, value) -> properties.put("ips.operations." + name, value));
        return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("ips.operations",
                HttpSettings.class);
    }

    /** A client for local tests: plain http:// allowed, each source or jobcenter made ready on its first call. */
    public static BoundedHttp client(Map<String, String> overrides) {
        return new BoundedHttp(settings(overrides), new TransportSecurity(true), Clock.systemUTC());
    }

    public static BoundedHttp client() {
        return client(Map.of());
    }
}
