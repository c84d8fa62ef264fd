package dk.ipsbridge.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

import javax.net.ssl.SSLHandshakeException;

import dk.ipsbridge.config.IpsProperties.Jobcenter;
import dk.ipsbridge.config.IpsProperties.Tls;
import dk.ipsbridge.config.RefusedStart;
import dk.ipsbridge.failure.UnavailableException;
import dk.ipsbridge.testkit.jobcenter.MockJobcenter;
import dk.ipsbridge.testkit.tls.TestPki;
import dk.ipsbridge.testkit.tls.TestPki.KeyType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outbound TLS through the one HTTP client, over real sockets: a mock jobcenter that serves HTTPS only and requires a
 * client certificate of the test CA, and the client set up from {@code ips.jobcenters[n].tls.*} as an operator
 * would set it (PKCS#12 or PEM files, made at test time by the test kit's {@link TestPki}).
 */
class MutualTlsTest {

    @TempDir
    static Path dir;

    private static TestPki pki;
    private MockJobcenter jobcenter;
    private final BoundedHttp http = Http.client();

    @AfterEach
    void stop() {
        if (jobcenter != null) {
            jobcenter.close();
        }
    }

    private static TestPki pki() {
        if (pki == null) {
            pki = TestPki.create(dir.resolve("pki"));
        }
        return pki;
    }

    @Test
    void shouldCallAJobcenterThatRequiresAClientCertificateWithAPkcs12KeyStore() {
        jobcenter = new MockJobcenter("jc-a", "A", pki().serverTls("localhost"));
        TestPki.Issued client = pki().issue("adapter-p12", KeyType.RSA);

        BoundedHttp.JsonAnswer answer = http.getJson(configured("jc-p12", new Tls(client.keyStore(),
                pki().passwordFile(), pki().trustStore(), pki().passwordFile(), null, null, null)), "cases/nosuch",
                "case");

        assertThat(answer.status()).as("the case API answered over mutual TLS").isEqualTo(404);
        assertThat(jobcenter.requests()).hasSize(1);
    }

    @Test
    void shouldCallWithAPemCertificateAndAnEcKeyInTheTraditionalForm() {
        jobcenter = new MockJobcenter("jc-a", "A", pki().serverTls("localhost"));
        TestPki.Issued client = pki().issue("adapter-ec", KeyType.EC);

        assertThat(http.getJson(configured("jc-pem-ec", pem(client.certificate(), client.traditionalKey())),
                "cases/nosuch", "case").status()).isEqualTo(404);
    }

    @Test
    void shouldCallWithAPemCertificateAndAnRsaKeyAsPkcs8() {
        jobcenter = new MockJobcenter("jc-a", "A", pki().serverTls("localhost"));
        TestPki.Issued client = pki().issue("adapter-rsa", KeyType.RSA);

        assertThat(http.getJson(configured("jc-pem-rsa", pem(client.certificate(), client.privateKey())),
                "cases/nosuch", "case").status()).isEqualTo(404);
    }

    @Nested
    class Refused {

        @Test
        void shouldFailAsUnavailableWithoutAClientCertificate() {
            jobcenter = new MockJobcenter("jc-a", "A", pki().serverTls("localhost"));

            assertThatThrownBy(() -> http.getJson(configured("jc-nocert", new Tls(null, null, null, null, null, null,
                    pki().caCertificate())), "cases/nosuch", "case"))
                    .isInstanceOf(UnavailableException.class).hasMessageStartingWith("case failed: ");
            assertThat(jobcenter.requests()).as("nothing reached the case API").isEmpty();
        }

        @Test
        void shouldFailWhenTheServerCertificateIsNotFromATrustedCa() {
            TestPki stranger = TestPki.create(dir.resolve("stranger"), "Somebody else's CA");
            jobcenter = new MockJobcenter("jc-a", "A", stranger.serverTls("localhost").withoutClientCertificates());
            TestPki.Issued client = pki().issue("adapter-untrusting", KeyType.EC);

            assertThatThrownBy(() -> http.getJson(configured("jc-stranger", pem(client.certificate(),
                    client.privateKey())), "cases/nosuch", "case"))
                    .isInstanceOf(UnavailableException.class)
                    .hasStackTraceContaining("unable to find valid certification path");
            assertThat(jobcenter.requests()).isEmpty();
        }

        @Test
        void shouldFailWhenTheServerCertificateNamesAnotherHost() {
            jobcenter = new MockJobcenter("jc-a", "A", pki().serverTls("jobcenter.invalid"));
            TestPki.Issued client = pki().issue("adapter-hostname", KeyType.EC);

            assertThatThrownBy(() -> http.getJson(configured("jc-hostname", pem(client.certificate(),
                    client.privateKey())), "cases/nosuch", "case"))
                    .isInstanceOf(UnavailableException.class)
                    .satisfies(e -> assertThat(e.getCause()).isInstanceOf(SSLHandshakeException.class)
                            .hasStackTraceContaining("No subject alternative DNS name matching localhost"));
            assertThat(jobcenter.requests()).isEmpty();
        }

        @Test
        void shouldOfferOnlyTls12AndNewerAndCheckTheHostName() {
            var parameters = PeerTls.parameters(PeerTls.context("ips.jobcenters[0].tls", Tls.NONE));

            assertThat(parameters.getProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
            assertThat(parameters.getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
        }
    }

    @Nested
    class Misconfigured {

        @Test
        void shouldRefuseAKeyStoreWithTheWrongPasswordNamingTheSettingNotThePassword() {
            TestPki.Issued client = pki().issue("adapter-wrong-password", KeyType.RSA);
            Path wrong = pki().issue("other", KeyType.EC).privateKey(); // a file that is no password

            assertThatThrownBy(() -> http.getJson(configured("jc-wrong", new Tls(client.keyStore(), wrong, null, null,
                    null, null, null)), "cases/x", "case"))
                    .isInstanceOf(RefusedStart.class)
                    .hasMessageStartingWith("ips.jobcenters[jc-wrong].tls.key-store cannot be opened as PKCS#12")
                    .hasMessageNotContaining(pki().password());
        }

        @Test
        void shouldRefuseACertificateWithoutItsKeyAndBothKindsOfClientKey() {
            TestPki.Issued client = pki().issue("adapter-half", KeyType.RSA);

            assertThatThrownBy(() -> http.getJson(configured("jc-half", pem(client.certificate(), null)), "cases/x",
                    "case")).isInstanceOf(RefusedStart.class)
                    .hasMessageStartingWith("ips.jobcenters[jc-half].tls.private-key is missing");
            assertThatThrownBy(() -> http.getJson(configured("jc-both", new Tls(client.keyStore(),
                    pki().passwordFile(), null, null, client.certificate(), client.privateKey(), null)), "cases/x",
                    "case")).isInstanceOf(RefusedStart.class)
                    .hasMessageContaining("ips.jobcenters[jc-both].tls sets both key-store and certificate");
        }

        @Test
        void shouldRefuseAPrivateKeyFileThatHoldsACertificate() {
            TestPki.Issued client = pki().issue("adapter-swapped", KeyType.RSA);

            assertThatThrownBy(() -> http.getJson(configured("jc-swapped", pem(client.certificate(),
                    client.certificate())), "cases/x", "case")).isInstanceOf(RefusedStart.class)
                    .hasMessageStartingWith("ips.jobcenters[jc-swapped].tls.private-key holds no unencrypted private "
                            + "key");
        }
    }

    private static Tls pem(Path certificate, Path key) {
        return new Tls(null, null, null, null, certificate, key, pki().caCertificate());
    }

    private Jobcenter configured(String id, Tls tls) {
        String base = jobcenter == null ? "https://localhost:9/api/ips/v1" : jobcenter.baseUrl();
        return new Jobcenter(id, null, URI.create(base), List.of("http://cvr.dk|1"), tls, null);
    }
}
