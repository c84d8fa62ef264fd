package dk.ipsbridge.flow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dk.ipsbridge.IpsBridgeApplication;
import dk.ipsbridge.ledger.LedgerKeyTool;
import dk.ipsbridge.testkit.cohort.SyntheticCohort;
import dk.ipsbridge.testkit.ehr.MockEhr;
import dk.ipsbridge.testkit.jobcenter.MockJobcenter;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts the real adapter against a mock EHR and the two cohort jobcenters, on the given database, with short
 * intervals; {@code extra} settings override these. Settings are passed as command-line arguments: they outrank {@code config/application.yml}.
 */
final class Adapter {

    /** One key set per test run, so that a restarted adapter still verifies its earlier checkpoints. */
    static final LedgerKeyTool.GeneratedKeys LEDGER_KEYS = LedgerKeyTool.generate(temporaryDirectory());

    private Adapter() {
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("ips-ledger-keys");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ConfigurableApplicationContext start(String db, MockEhr ehr, MockJobcenter a, MockJobcenter b, Clock clock,
            String... extra) {
        SpringApplicationBuilder builder = new SpringApplicationBuilder(IpsBridgeApplication.class);
        if (clock != null) {
            builder.initializers(context -> context.getBeanFactory().registerSingleton("clock", clock));
        }
        return builder.run(arguments(db, ehr, a, b, extra).toArray(String[]::new));
    }

    /** The adapter's command-line arguments ({@code --key=value}) for these systems. */
    static List<String> arguments(String db, MockEhr ehr, MockJobcenter a, MockJobcenter b, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "server.port=0", "spring.datasource.url=" + db, "spring.datasource.username=postgres",
                "spring.datasource.password=postgres", "camel.springboot.main-run-controller=false",
                "ips.region=" + SyntheticCohort.REGION, "ips.security.allow-plain-http=true",
                "ips.sources[0].id=ehr", "ips.sources[0].fhir-base-url=" + ehr.baseUrl(),
                "ips.sources[0].poll-interval=300ms", "ips.sources[0].page-size=7",
                "ips.jobcenters[0].id=" + a.id(), "ips.jobcenters[0].base-url=" + a.baseUrl(),
                "ips.jobcenters[0].organization-identifiers[0]=" + SyntheticCohort.JOBCENTER_A_IDENTIFIER,
                "ips.jobcenters[1].id=" + b.id(), "ips.jobcenters[1].base-url=" + b.baseUrl(),
                "ips.jobcenters[1].organization-identifiers[0]=" + SyntheticCohort.JOBCENTER_B_IDENTIFIER,
                "ips.operations.poll-check-interval=100ms", "ips.operations.review-interval=200ms",
                "ips.operations.delivery-interval=200ms",
                "ips.operations.retry-backoff=100ms", "ips.audit.region-name=Region Midtjylland",
                "ips.audit.region-sor=" + SyntheticCohort.TREATING_UNIT_SOR));
        args.addAll(LEDGER_KEYS.properties());
        args.addAll(List.of(extra));
        // a later setting of the same key wins (Spring would join repeated arguments into a list)
        Map<String, String> settings = new LinkedHashMap<>();
        args.forEach(arg -> settings.put(arg.substring(0, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1)));
        return settings.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toList();
    }
}
