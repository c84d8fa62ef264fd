package dk.ipsbridge.ehr;

import dk.ipsbridge.config.IpsProperties;
import dk.ipsbridge.config.OperationsProperties;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.stereotype.Component;

/**
 * Makes one {@code ehr-poll-<source>} route per configured EHR source from the {@code ehr-poll} template. The route
 * checks every {@code poll-check-interval} whether its source is due ({@link PollSchedule}).
 */
@Component
class EhrPollRoutes implements CamelContextConfiguration {

    private final IpsProperties properties;
    private final OperationsProperties ops;

    EhrPollRoutes(IpsProperties properties, OperationsProperties ops) {
        this.properties = properties;
        this.ops = ops;
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
                    .parameter("checkInterval", String.valueOf(ops.pollCheckInterval().toMillis()))
                    .add();
        }
    }
}
