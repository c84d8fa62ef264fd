package dk.ipsbridge.config;

import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.builder.ThreadPoolProfileBuilder;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.stereotype.Component;

/**
 * Makes the routes that exist once per configured system from their YAML templates: {@code ehr-poll-<source>} per
 * EHR source, {@code jobcenter-deliver-<id>} per jobcenter (so that one slow jobcenter holds up no other).
 */
@Component
class TemplatedRoutes implements CamelContextConfiguration {

    /** The thread pool profile of each jobcenter's deliveries: a pool of its own per jobcenter route. */
    static final String DELIVERY_POOL = "ips-delivery";

    private final IpsProperties properties;
    private final RoundSettings rounds;
    private final DeliverySettings deliveries;

    TemplatedRoutes(IpsProperties properties, RoundSettings rounds, DeliverySettings deliveries) {
        this.properties = properties;
        this.rounds = rounds;
        this.deliveries = deliveries;
    }

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
        // the YAML templates are not loaded yet; the pool profile their split names must be known before they are
        int threads = deliveries.deliveryConcurrency();
        camelContext.getExecutorServiceManager().registerThreadPoolProfile(new ThreadPoolProfileBuilder(DELIVERY_POOL)
                .poolSize(threads).maxPoolSize(threads).maxQueueSize(-1).build());
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
        for (IpsProperties.Source source : properties.sources()) {
            add(camelContext, "ehr-poll", source.id(), Map.of("sourceId", source.id(),
                    "checkInterval", String.valueOf(rounds.pollCheckInterval().toMillis())));
        }
        for (IpsProperties.Jobcenter jobcenter : properties.jobcenters()) {
            add(camelContext, "jobcenter-deliver", jobcenter.id(), Map.of("jobcenterId", jobcenter.id()));
        }
    }

    private static void add(CamelContext camelContext, String template, String id, Map<String, String> parameters) {
        TemplatedRouteBuilder route = TemplatedRouteBuilder.builder(camelContext, template).routeId(template + "-" + id);
        parameters.forEach(route::parameter);
        route.add();
    }
}
