package dk.ipsbridge.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dk.ipsbridge.testkit.cohort.SyntheticCohort;
import dk.ipsbridge.testkit.ehr.MockEhr;
import dk.ipsbridge.testkit.jobcenter.MockJobcenter;
import dk.ipsbridge.testkit.oauth.MockTokenEndpoint;
import dk.ipsbridge.testkit.tls.ServerTls;
import dk.ipsbridge.testkit.tls.TestPki;
import dk.ipsbridge.testkit.tls.TestPki.KeyType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar as production runs it ({@code java -jar}, documented settings only), without
 * {@code ips.security.allow-plain-http}: the EHR and both jobcenters
 * serve HTTPS only and require a client certificate of the region's CA, and take only bearer tokens from their token
 * endpoints, which require the client certificate too. The EHR's tokens come by SMART Backend Services (an ES384
 * client assertion), jobcenter A's by a client secret, jobcenter B's by an RS384 client assertion. A consented
 * patient's case reaches jobcenter A; an unconsented patient's does not; no secret or token is logged.
 */
class SecuredPeersIT {

    private static final String CONSENTED_CPR = "0101901234";
    private static final String UNCONSENTED_CPR = "0202902345";
    private static final String JOBCENTER_SECRET = "jobcenter-a-secret-8f3e";

    @TempDir
    Path dir;

    private AdapterProcess adapter;

    @AfterEach
    void stop() {
        if (adapter != null && adapter.isAlive()) {
            adapter.kill();
        }
    }

    @Test
    void shouldShareOnlyTheConsentedPatientOverMutualTlsWithTokens() throws IOException {
        TestPki pki = TestPki.create(dir.resolve("pki"));
        ServerTls https = pki.serverTls("localhost");
        TestPki.Issued client = pki.issue("ips-bridge", KeyType.EC);
        TestPki.Issued smartKey = pki.issue("ips-bridge-smart", KeyType.EC);
        TestPki.Issued jobcenterKey = pki.issue("ips-bridge-jwt", KeyType.RSA);
        Path secret = Files.writeString(dir.resolve("jobcenter-a-secret"), JOBCENTER_SECRET + "\n");

        try (MockTokenEndpoint ehrTokens = new MockTokenEndpoint(https)
                        .registerKey("ips-bridge", smartKey.keys().getPublic());
                MockTokenEndpoint jobcenterTokens = new MockTokenEndpoint(https)
                        .registerSecret("ips-bridge-a", JOBCENTER_SECRET)
                        .registerKey("ips-bridge-b", jobcenterKey.keys().getPublic());
                MockEhr ehr = new MockEhr(https).requireTokensFrom(ehrTokens);
                MockJobcenter a = new MockJobcenter(SyntheticCohort.JOBCENTER_A_ID, SyntheticCohort.JOBCENTER_A_NAME,
                        https).requireTokensFrom(jobcenterTokens);
                MockJobcenter b = new MockJobcenter(SyntheticCohort.JOBCENTER_B_ID, SyntheticCohort.JOBCENTER_B_NAME,
                        https).requireTokensFrom(jobcenterTokens)) {
            MinimalRegion.storeReferredPatient(ehr, "consented", CONSENTED_CPR, true);
            MinimalRegion.storeReferredPatient(ehr, "unconsented", UNCONSENTED_CPR, false);
            MinimalRegion.storeInto(ehr);

            String db = "jdbc:h2:file:" + dir.resolve("ipsbridge").toAbsolutePath()
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_ON_EXIT=FALSE";
            adapter = AdapterProcess.packaged("secured-peers", Adapter.arguments(db, ehr, a, b,
                    "spring.datasource.username=sa", "spring.datasource.password=",
                    "ips.security.allow-plain-http=false",
                    // the EHR: a PEM client certificate (EC, PKCS#8) and SMART Backend Services
                    "ips.sources[0].tls.certificate=" + client.certificate(),
                    "ips.sources[0].tls.private-key=" + client.privateKey(),
                    "ips.sources[0].tls.trust-certificates=" + pki.caCertificate(),
                    "ips.sources[0].smart.token-url=" + ehrTokens.tokenUrl(),
                    "ips.sources[0].smart.client-id=ips-bridge",
                    "ips.sources[0].smart.private-key=" + smartKey.privateKey(),
                    "ips.sources[0].smart.scope=system/Patient.rs system/Consent.rs",
                    // jobcenter A: PKCS#12 key and trust stores, a client secret
                    "ips.jobcenters[0].tls.key-store=" + client.keyStore(),
                    "ips.jobcenters[0].tls.key-store-password-file=" + pki.passwordFile(),
                    "ips.jobcenters[0].tls.trust-store=" + pki.trustStore(),
                    "ips.jobcenters[0].tls.trust-store-password-file=" + pki.passwordFile(),
                    "ips.jobcenters[0].oauth.token-url=" + jobcenterTokens.tokenUrl(),
                    "ips.jobcenters[0].oauth.client-id=ips-bridge-a",
                    "ips.jobcenters[0].oauth.client-secret-file=" + secret,
                    // jobcenter B: PEM, the traditional key form, and a client assertion
                    "ips.jobcenters[1].tls.certificate=" + client.certificate(),
                    "ips.jobcenters[1].tls.private-key=" + client.traditionalKey(),
                    "ips.jobcenters[1].tls.trust-certificates=" + pki.caCertificate(),
                    "ips.jobcenters[1].oauth.token-url=" + jobcenterTokens.tokenUrl(),
                    "ips.jobcenters[1].oauth.client-id=ips-bridge-b",
                    "ips.jobcenters[1].oauth.private-key-jwt=" + jobcenterKey.privateKey()));
            adapter.start();
            adapter.awaitHealthy(Duration.ofSeconds(90));

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(a.caseFor(CONSENTED_CPR)).as("the consented patient's case at jobcenter A").isPresent();
                assertThat(adapter.output()).as("the decision to hold the unconsented patient back")
                        .contains("patient=Patient/unconsented recipient=- held reason=no-consent");
                assertThat(adapter.output()).as("the jobcenter's answer settled")
                        .contains("delivered to jobcenter-a (201)");
            });
            adapter.stop();
            a.assertNoRecordFor(UNCONSENTED_CPR);
            assertThat(a.receivedCprs()).containsExactly(CONSENTED_CPR);
            assertThat(b.receivedCprs()).isEmpty();
            assertThat(ehrTokens.scopesGranted()).isNotEmpty()
                    .allSatisfy(scope -> assertThat(scope).isEqualTo("system/Patient.rs system/Consent.rs"));
            assertThat(jobcenterTokens.scopesGranted()).contains("ips-cases");
            assertThat(ehrTokens.refusals()).isEmpty();
            assertThat(jobcenterTokens.refusals()).isEmpty();
            assertThat(List.of(ehr.refusedTokens(), a.refusedTokens(), b.refusedTokens()))
                    .as("no call without a live token").containsOnly(0);
        }
        assertThat(adapter.output()).doesNotContain(JOBCENTER_SECRET, "Bearer ", "eyJ", CONSENTED_CPR,
                UNCONSENTED_CPR).doesNotContain("allow-plain-http").contains("delivered to jobcenter-a (201)");
    }
}
