package dk.ipsbridge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dk.ipsbridge.IpsBridgeApplication;
import dk.ipsbridge.ledger.LedgerKeyTool;
import dk.ipsbridge.store.TestDatabases;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

class StartupTest {

    private static final LedgerKeyTool.GeneratedKeys KEYS = generateKeys();

    @Test
    void shouldRefuseToStartWithoutSourceAndJobcenterAndSayWhatIsMissing() {
        assertThatThrownBy(() -> start(withKeys("--ips.region=DK-82")))
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
    void shouldRefuseALeaseShorterThan30sAndAnInvalidInstanceId() {
        assertThatThrownBy(() -> start(configured("--ips.region=DK-82", "--ips.cluster.lease=10s")))
                .rootCause().hasMessageContaining("ips.cluster").hasMessageContaining("lease");
        assertThatThrownBy(() -> start(configured("--ips.region=DK-82", "--ips.cluster.instance-id=a b")))
                .rootCause().hasMessageContaining("ips.cluster").hasMessageContaining("instanceId");
    }

    @Test
    void shouldRefuseAnIntervalOfZeroOrANegativeBatch() {
        assertThatThrownBy(() -> start(configured("--ips.region=DK-82", "--ips.operations.delivery-interval=0s")))
                .rootCause().hasMessageContaining("ips.operations").hasMessageContaining("deliveryInterval");
        assertThatThrownBy(() -> start(configured("--ips.region=DK-82", "--ips.operations.reconcile-batch=-1")))
                .rootCause().hasMessageContaining("ips.operations").hasMessageContaining("reconcileBatch");
    }

    @Test
    void shouldRefuseAProgrammeOrAnAgreedJobcenterThatDoesNotExist() {
        assertThatThrownBy(() -> start(configured("--ips.region=DK-82", "--ips.sources[0].programme=ips-other")))
                .rootCause().hasMessageContaining("ips.sources[0].programme").hasMessageContaining("ips-ptsd");
        assertThatThrownBy(() -> start(configured("--ips.region=DK-82", "--ips.sources[0].jobcenters[0]=jc-b")))
                .rootCause().hasMessageContaining("ehr-test").hasMessageContaining("jc-b")
                .hasMessageContaining("no id of ips.jobcenters");
    }

    @Test
    void shouldRefuseALedgerUpkeepIntervalOfZero() {
        assertThatThrownBy(() -> start(configured("--ips.region=DK-82", "--ips.ledger.retention-interval=0s")))
                .rootCause().hasMessageContaining("ips.ledger").hasMessageContaining("retentionInterval");
    }

    @Test
    void shouldRefuseARetentionSweepIntervalOfZero() {
        assertThatThrownBy(() -> start(configured("--ips.region=DK-82", "--ips.retention.interval=0s")))
                .rootCause().hasMessageContaining("ips.retention").hasMessageContaining("interval");
    }

    @Test
    void shouldRefuseTheSameKeyForCprHashAndCprEncryptionAlsoWhenOneIsRetired() {
        String[] same = Arrays.stream(configured("--ips.region=DK-82"))
                .map(arg -> arg.startsWith("--ips.ledger.keys.cpr-hash-key-file=")
                        ? "--ips.ledger.keys.cpr-hash-key-file=" + KEYS.cprEncryptionKey() : arg)
                .toArray(String[]::new);
        assertThatThrownBy(() -> start(same)).rootCause().hasMessageContaining("must differ").hasMessageContaining("cpr-hash-key-file");
        assertThatThrownBy(() -> start(configured("--ips.region=DK-82",
                "--ips.ledger.keys.retired-cpr-hash-key-files[0]=" + KEYS.cprEncryptionKey())))
                .rootCause().hasMessageContaining("must differ");
    }

    @Test
    void shouldRefuseAnAuditSorCodeThatIsNotOne() {
        assertThatThrownBy(() -> start(configured("--ips.region=DK-82", "--ips.audit.region-sor=SOR 123")))
                .rootCause().hasMessageContaining("ips.audit").hasMessageContaining("regionSor");
    }

    @Test
    void shouldStartWithTheYamlRoutesAndOnePollRoutePerSource() {
        try (ConfigurableApplicationContext context = start(configured("--ips.region=DK-82"))) {
            CamelContext camel = context.getBean(CamelContext.class);
            assertThat(camel.getRoutes()).extracting(r -> r.getRouteId()).contains("ehr-poll-ehr-test",
                    "patient-review", "patient-decide", "jobcenter-deliver-jc-a", "jobcenter-deliver", "jobcenter-reconcile");
        }
    }

    @Test
    void shouldRefuseToStartWithoutLedgerKeysNamingTheSettingsAndTheInitCommand() {
        String[] withoutKeys = Arrays.stream(configured("--ips.region=DK-82"))
                .filter(arg -> !arg.startsWith("--ips.ledger.keys.")).toArray(String[]::new);
        assertThatThrownBy(() -> start(withoutKeys)).rootCause().isInstanceOf(RefusedStart.class)
                .hasMessageContaining("ips.ledger.keys.signing-key-file")
                .hasMessageContaining("ips.ledger.keys.cpr-hash-key-file")
                .hasMessageContaining("ips.ledger.keys.cpr-encryption-key-file")
                .satisfies(e -> assertThat(((RefusedStart) e).action())
                        .contains("java -jar ips-bridge.jar init --dir DIR"));
    }

    @Test
    void shouldRefusePlainHttpToAJobcenterOrAnEhrNamingTheSettingUnlessAllowed() {
        String[] plain = withoutPlainHttp();
        assertThatThrownBy(() -> start(plain)).rootCause().isInstanceOf(RefusedStart.class)
                .hasMessageStartingWith("ips.sources[0].fhir-base-url must be an https:// URL")
                .satisfies(e -> assertThat(((RefusedStart) e).action())
                        .contains("ips.security.allow-plain-http: true"));
        assertThatThrownBy(() -> start(withoutPlainHttp("--ips.sources[0].fhir-base-url=https://localhost:9/fhir")))
                .rootCause().isInstanceOf(RefusedStart.class)
                .hasMessageStartingWith("ips.jobcenters[0].base-url must be an https:// URL");
    }

    @Test
    void shouldRefuseAnUnreadableClientKeyOrAnHttpTokenUrlNamingTheSetting() throws IOException {
        String[] https = { "--ips.sources[0].fhir-base-url=https://localhost:9/fhir",
                "--ips.jobcenters[0].base-url=https://localhost:9/api" };
        assertThatThrownBy(() -> start(withoutPlainHttp(Stream.concat(Arrays.stream(https), Stream.of(
                "--ips.jobcenters[0].tls.certificate=/nonexistent/client.pem",
                "--ips.jobcenters[0].tls.private-key=/nonexistent/client-key.pem")).toArray(String[]::new))))
                .satisfies(e -> assertThat(refusal(e)).hasMessage("ips.jobcenters[0].tls.private-key cannot be read "
                        + "as PEM (NoSuchFileException)"));
        String secret = Files.writeString(Files.createTempFile("client-secret", ""), "a secret").toString();
        assertThatThrownBy(() -> start(withoutPlainHttp(Stream.concat(Arrays.stream(https), Stream.of(
                "--ips.jobcenters[0].oauth.token-url=http://localhost:9/token",
                "--ips.jobcenters[0].oauth.client-id=adapter",
                "--ips.jobcenters[0].oauth.client-secret-file=" + secret)).toArray(String[]::new))))
                .rootCause().isInstanceOf(RefusedStart.class)
                .hasMessageStartingWith("ips.jobcenters[0].oauth.token-url must be an https:// URL");
    }

    private static RefusedStart refusal(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof RefusedStart refused) {
                return refused;
            }
        }
        throw new AssertionError("not refused by a setting", failure);
    }

    /** The configured adapter without allow-plain-http, with {@code overrides} replacing settings of the same name. */
    private static String[] withoutPlainHttp(String... overrides) {
        Set<String> replaced = Arrays.stream(overrides).map(arg -> arg.substring(0, arg.indexOf('=')))
                .collect(Collectors.toSet());
        return Stream.concat(Arrays.stream(configured("--ips.region=DK-82"))
                .filter(arg -> !arg.startsWith("--ips.security.allow-plain-http"))
                .filter(arg -> !replaced.contains(arg.substring(0, arg.indexOf('=')))), Arrays.stream(overrides))
                .toArray(String[]::new);
    }

    private static String[] withKeys(String... args) {
        return Stream.concat(Arrays.stream(args), KEYS.properties().stream().map(p -> "--" + p))
                .toArray(String[]::new);
    }

    private static String[] configured(String region, String... more) {
        return withKeys(Stream.concat(Stream.of(region, "--ips.security.allow-plain-http=true",
                "--ips.sources[0].id=ehr-test", "--ips.sources[0].fhir-base-url=http://localhost:9/fhir",
                "--ips.sources[0].poll-interval=1h",
                "--ips.jobcenters[0].id=jc-a", "--ips.jobcenters[0].base-url=http://localhost:9/api",
                "--ips.jobcenters[0].organization-identifiers[0]=http://cvr.dk|12345678"), Arrays.stream(more))
                .toArray(String[]::new));
    }

    private static LedgerKeyTool.GeneratedKeys generateKeys() {
        try {
            return LedgerKeyTool.generate(Files.createTempDirectory("startup-test-keys"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The database as a command-line argument: it outranks the ./config/application.yml of a working copy. */
    private static ConfigurableApplicationContext start(String... args) {
        String[] all = Stream.concat(Stream.of("--spring.datasource.url=" + TestDatabases.h2Url()),
                Arrays.stream(args))
                .toArray(String[]::new);
        return new SpringApplicationBuilder(IpsBridgeApplication.class)
                .properties("server.port=0", "camel.springboot.main-run-controller=false")
                .run(all);
    }
}
