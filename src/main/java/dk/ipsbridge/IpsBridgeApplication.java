package dk.ipsbridge;

import java.util.Arrays;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * IPS Bridge: consent-gated sharing of IPS data from a psychiatry EHR to jobcenters. {@code java -jar ips-bridge.jar}
 * starts the adapter; {@code java -jar ips-bridge.jar init --dir DIR} writes a first configuration and ledger keys,
 * without starting it.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class IpsBridgeApplication {

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("init")) {
            System.exit(InitCommand.run(Arrays.asList(args).subList(1, args.length), System.out, System.err));
        }
        SpringApplication.run(IpsBridgeApplication.class, args);
    }
}
