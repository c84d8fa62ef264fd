package dk.ipsbridge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.ipsbridge.IpsBridgeApplication;
import dk.ipsbridge.store.TestDatabases;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

class StartupTest {

    @Test
    void shouldRefuseToStartWithoutSourceAndJobcenterAndSayWhatIsMissing() {
        assertThatThrownBy(() -> start("--ips.region=DK-82"))
                .rootCause().hasMessageContaining("ips.sources")
                .hasMessageContaining("configure at least one EHR source")
                .hasMessageContaining("ips.jobcenters")
                .hasMessageContaining("configure at least one jobcenter");
    }

    @Test
    void shouldRefuseAnUnknownRegion() {
        assertThatThrownBy(() -> start(configured("--ips.region=DK-99")))
                .rootCause().hasMessageContaining("ips.region").hasMessageContaining("DK-81");
    }

    @Test
    void shouldStartWithTheYamlRoutesAndOnePollRoutePerSource() {
        try (ConfigurableApplicationContext context = start(configured("--ips.region=DK-82"))) {
            CamelContext camel = context.getBean(CamelContext.class);
            assertThat(camel.getRoutes()).extracting(r -> r.getRouteId()).contains("ehr-poll-ehr-test",
                    "patient-review", "patient-decide", "jobcenter-deliver-jc-a", "jobcenter-deliver", "jobcenter-reconcile");
        }
    }

    private static String[] configured(String region) {
        return new String[] {region,
                "--ips.sources[0].id=ehr-test", "--ips.sources[0].fhir-base-url=http://localhost:9/fhir",
                "--ips.sources[0].poll-interval=1h",
                "--ips.jobcenters[0].id=jc-a", "--ips.jobcenters[0].base-url=http://localhost:9/api",
                "--ips.jobcenters[0].organization-identifiers[0]=http://cvr.dk|12345678"};
    }

    /** The database as a command-line argument: it outranks the ./config/application.yml of a working copy. */
    private static ConfigurableApplicationContext start(String... args) {
        String[] all = java.util.stream.Stream.concat(java.util.stream.Stream.of(
                "--spring.datasource.url=" + TestDatabases.h2Url()), java.util.Arrays.stream(args))
                .toArray(String[]::new);
        return new SpringApplicationBuilder(IpsBridgeApplication.class)
                .properties("server.port=0", "camel.springboot.main-run-controller=false")
                .run(all);
    }
}
