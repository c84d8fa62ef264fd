package dk.ipsbridge.ehr;

import dk.ipsbridge.config.IpsProperties;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.stereotype.Component;

/** Makes one {@code ehr-poll-<source>} route per configured EHR source from the {@code ehr-poll} template. */
@Component
class EhrPollRoutes implements CamelContextConfiguration {

    private final IpsProperties properties;

    EhrPollRoutes(IpsProperties properties) {
        this.properties = properties;
    }

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
        // the YAML templates are not loaded yet
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
        for (IpsProperties.Source source : properties.sources()) {
            TemplatedRouteBuilder.builder(camelContext, "ehr-poll")
                    .routeId("ehr-poll-" + source.id())
                    .parameter("sourceId", source.id())
                    .parameter("pollInterval", String.valueOf(source.pollInterval().toMillis()))
                    .add();
        }
    }
}
