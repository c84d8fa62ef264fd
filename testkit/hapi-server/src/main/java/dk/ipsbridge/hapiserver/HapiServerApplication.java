package dk.ipsbridge.hapiserver;

import ca.uhn.fhir.rest.server.RestfulServer;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;

/**
 * A real HAPI FHIR JPA server (R4, H2) for black-box tests and benchmarks of IPS Bridge. Not a product.
 *
 * <p>FHIR base: {@code http://localhost:<server.port>/fhir}; request counts: {@code GET /stats}, {@code POST
 * /stats/reset}. Everything HAPI-specific is in {@link FhirServerConfig}; the auto-configurations that HAPI's class
 * path would otherwise switch on (Flyway, Quartz, Elasticsearch, Thymeleaf) are excluded in application.yaml.
 */
@SpringBootApplication
public class HapiServerApplication {

    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(HapiServerApplication.class);
        // Only this jar's application.yaml (plus command line, system properties and environment). Spring Boot would
        // otherwise also read ./config/application.yml and ./application.yml from the working directory: started from
        // the IPS Bridge repository, that is the adapter's own configuration (its datasource, port, logging).
        // --spring.config.location / --spring.config.additional-location still work.
        app.setDefaultProperties(Map.of("spring.config.location", "classpath:/"));
        app.run(args);
    }

    @Bean
    public ServletRegistrationBean<RestfulServer> fhirServlet(RestfulServer restfulServer) {
        ServletRegistrationBean<RestfulServer> registration = new ServletRegistrationBean<>(restfulServer, "/fhir/*");
        registration.setName("fhir");
        // initialise HAPI's servlet (providers, capability statement) at start, not on the first request
        registration.setLoadOnStartup(1);
        return registration;
    }
}
