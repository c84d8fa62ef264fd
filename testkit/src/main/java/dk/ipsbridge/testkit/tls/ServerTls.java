package dk.ipsbridge.testkit.tls;

import java.nio.file.Path;
import java.util.Objects;

import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

/**
 * HTTPS for a mock server (jobcenter, EHR, token endpoint): its key store (PKCS#12, the key under the store's
 * password) and, when not null, the trust store whose CAs a client certificate must chain to; without one, no client
 * certificate is asked for. Made by {@link TestPki#serverTls}, or from stores of your own.
 */
public record ServerTls(Path keyStore, String password, Path clientTrustStore) {

    public ServerTls {
        Objects.requireNonNull(keyStore, "keyStore");
        Objects.requireNonNull(password, "password");
    }

    /** The same server certificate, and no client certificate asked for. */
    public ServerTls withoutClientCertificates() {
        return new ServerTls(keyStore, password, null);
    }

    /** Whether a client must present a certificate. */
    public boolean needsClientCertificate() {
        return clientTrustStore != null;
    }

    /** WireMock options for HTTPS only (no plain port) on {@code port}, 0 for a free one. */
    public WireMockConfiguration apply(WireMockConfiguration options, int port) {
        WireMockConfiguration https = (port == 0 ? options.dynamicHttpsPort() : options.httpsPort(port))
                .httpDisabled(true).keystorePath(keyStore.toString()).keystoreType("PKCS12")
                .keystorePassword(password).keyManagerPassword(password);
        if (needsClientCertificate()) {
            https.needClientAuth(true).trustStorePath(clientTrustStore.toString()).trustStoreType("PKCS12")
                    .trustStorePassword(password);
        }
        return https;
    }
}
