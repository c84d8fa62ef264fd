package dk.ipsbridge;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * IPS Bridge: consent-gated sharing of IPS data from a psychiatry EHR to jobcenters. {@code java -jar ips-bridge.jar}
 * starts the adapter; {@code java -jar ips-bridge.jar init --dir DIR} writes a first configuration and ledger keys,
 * without starting it; {@code java -jar ips-bridge.jar backfill --source ID} loads a source at go-live.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class IpsBridgeApplication {

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("init")) {
            System.exit(InitCommand.run(Arrays.asList(args).subList(1, args.length), System.out, System.err));
        }
        if (args.length > 0 && args[0].equals("backfill")) {
            backfill(Arrays.asList(args).subList(1, args.length));
            return;
        }
        SpringApplication.run(IpsBridgeApplication.class, args);
    }

    /**
     * {@code backfill --source ID [settings]}: the adapter with its usual settings, on a port of its own (0 unless
     * {@code --server.port} says otherwise, so it may run beside the service on PostgreSQL), logging warnings only
     * (unless a setting or {@code LOGGING_LEVEL_ROOT} says otherwise), following the go-live backfill of one source
     * ({@code BackfillCommand}).
     */
    private static void backfill(List<String> args) {
        List<String> settings = new ArrayList<>();
        String source = null;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--source") && i + 1 < args.size()) {
                source = args.get(++i);
            } else if (arg.startsWith("--source=")) {
                source = arg.substring("--source=".length());
            } else {
                settings.add(arg);
            }
        }
        if (source == null || source.isBlank()) {
            System.err.println("usage: java -jar ips-bridge.jar backfill --source ID [--setting=value ...]");
            System.exit(2);
        }
        settings.add("--ips.backfill.source=" + source);
        if (settings.stream().noneMatch(s -> s.startsWith("--logging.level.root="))
                && System.getenv("LOGGING_LEVEL_ROOT") == null) {
            settings.add("--logging.level.root=WARN"); // over config/application.yml's INFO: the progress bar speaks
        }
        SpringApplication application = new SpringApplication(IpsBridgeApplication.class);
        application.setDefaultProperties(Map.of("server.port", "0", "spring.main.banner-mode", "off"));
        ConfigurableApplicationContext context = application.run(settings.toArray(String[]::new));
        if (context.isActive()) {
            System.exit(SpringApplication.exit(context));
        }
    }
}
