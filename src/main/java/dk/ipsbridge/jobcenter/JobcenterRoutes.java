package dk.ipsbridge.jobcenter;

import dk.ipsbridge.config.IpsProperties;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.stereotype.Component;

/** Makes one {@code jobcenter-deliver-<id>} route per configured jobcenter from the {@code jobcenter-deliver} template. */
@Component
class JobcenterRoutes implements CamelContextConfiguration {

    private final IpsProperties properties;

    JobcenterRoutes(IpsProperties properties) {
        this.properties = properties;
    }

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
        // the YAML templates are not loaded yet
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
        for (IpsProperties.Jobcenter jobcenter : properties.jobcenters()) {
            TemplatedRouteBuilder.builder(camelContext, "jobcenter-deliver")
                    .routeId("jobcenter-deliver-" + jobcenter.id())
                    .parameter("jobcenterId", jobcenter.id())
                    .add();
        }
    }
}
