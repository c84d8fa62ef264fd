package dk.ipsbridge.config;

import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** Settings of {@code ips.operations.*} as the adapter binds them: the defaults, but for the given overrides. */
public final class Operations {

    private Operations() {
    }

    /**
     * @param type      {@link ReviewSettings}, {@link DeliverySettings}, {@link RetrySettings}, {@link RoundSettings} or
     *                  {@link dk.ipsbridge.http.HttpSettings}
     * @param overrides property names below {@code ips.operations}, such as {@code max-response-bytes}
     */
    public static <T> T with(Class<T> type, Map<String, String> overrides) {
        Map<String, String> properties = new HashMap<>();
        overrides.forEach((name, value) -> properties.put("ips.operations." + name, value));
        return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("ips.operations", type);
    }

    public static <T> T defaults(Class<T> type) {
        return with(type, Map.of());
    }
}
