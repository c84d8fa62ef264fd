package dk.ipsbridge.ehr;

import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import dk.ipsbridge.config.IpsProperties;
import dk.ipsbridge.config.IpsProperties.Source;
import org.springframework.stereotype.Component;

/** The configured EHR sources by id. */
@Component
public class EhrSources {

    private final Map<String, Source> byId;

    EhrSources(IpsProperties properties) {
        this.byId = properties.sources().stream().collect(Collectors.toUnmodifiableMap(Source::id, Function.identity()));
    }

    public boolean contains(String id) {
        return byId.containsKey(id);
    }

    public Source get(String id) {
        Source source = byId.get(id);
        if (source == null) {
            throw new IllegalArgumentException("no EHR source with id " + id);
        }
        return source;
    }
}
