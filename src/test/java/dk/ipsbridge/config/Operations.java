package dk.ipsbridge.config;

import java.util.Map;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** {@link OperationsProperties} as the adapter binds them: the defaults, but for the given {@code ips.operations.*}. */
public final class Operations {

    private Operations() {
    }

    /** @param overrides property names below {@code ips.operations}, such as {@code max-response-bytes} */
    public static OperationsProperties with(Map<String, String> overrides) {
        Map<String, String> properties = new java.util.HashMap<>();
        overrides.forEach((name, value) -> properties.put("ips.operations." + name, value));
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("ips.operations", OperationsProperties.class);
    }

    public static OperationsProperties defaults() {
        return with(Map.of());
    }
}
