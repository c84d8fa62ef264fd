package dk.ipsbridge;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** IPS Bridge: consent-gated sharing of IPS data from a psychiatry EHR to jobcenters. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class IpsBridgeApplication {

    public static void main(String[] args) {
        SpringApplication.run(IpsBridgeApplication.class, args);
    }
}
