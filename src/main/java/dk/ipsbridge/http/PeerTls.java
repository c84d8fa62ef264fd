package dk.ipsbridge.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

import dk.ipsbridge.config.IpsProperties.Tls;

/**
 * The TLS side of one EHR or jobcenter ({@code ips.sources[n].tls.*}, {@code ips.jobcenters[n].tls.*}), made once at
 * start-up: the client certificate from a PKCS#12 key store or PEM files, the trusted server certificates from a
 * PKCS#12 trust store or a PEM file (else the JDK's), TLS 1.2 and 1.3 only, and the host name checked against the
 * server's certificate. A setting that cannot be used refuses start-up, naming it.
 */
final class PeerTls {

    /** The only protocols offered; TLS 1.1 and older are never negotiated. */
    static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private static final char[] IN_MEMORY = new char[0];

    private PeerTls() {
    }

    /** The context for a peer's settings, {@code prefix} such as {@code ips.jobcenters[1].tls}. */
    static SSLContext context(String prefix, Tls tls) {
        checkOneOf(prefix, tls);
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            KeyManagerFactory keys = null;
            ClientKey clientKey = clientKey(prefix, tls);
            if (clientKey != null) {
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(clientKey.store(), clientKey.password());
            }
            TrustManagerFactory trust = null;
            KeyStore trusted = trusted(prefix, tls);
            if (trusted != null) {
                trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(trusted);
            }
            context.init(keys == null ? null : keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(),
                    null);
            return context;
        } catch (GeneralSecurityException e) {
            throw PemFiles.refused(prefix, "cannot be used for TLS", e);
        }
    }

    /** TLS 1.2 or newer, and the server's certificate must name the host called. */
    static SSLParameters parameters(SSLContext context) {
        SSLParameters parameters = context.getDefaultSSLParameters();
        List<String> supported = Arrays.asList(context.getSupportedSSLParameters().getProtocols());
        parameters.setProtocols(PROTOCOLS.stream().filter(supported::contains).toArray(String[]::new));
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        return parameters;
    }

    private static void checkOneOf(String prefix, Tls tls) {
        boolean pem = tls.certificate() != null || tls.privateKey() != null;
        if (tls.keyStore() != null && pem) {
            throw PemFiles.refused(prefix, "sets both key-store and certificate/private-key: set one of the two",
                    null);
        }
        if (pem && (tls.certificate() == null || tls.privateKey() == null)) {
            throw PemFiles.refused(prefix + (tls.certificate() == null ? ".certificate" : ".private-key"),
                    "is missing: a PEM client key needs both certificate and private-key", null);
        }
        if (tls.keyStore() != null && tls.keyStorePasswordFile() == null) {
            throw PemFiles.refused(prefix + ".key-store-password-file", "is missing: the key store needs it", null);
        }
        if (tls.trustStore() != null && tls.trustCertificates() != null) {
            throw PemFiles.refused(prefix, "sets both trust-store and trust-certificates: set one of the two", null);
        }
    }

    private record ClientKey(KeyStore store, char[] password) {
    }

    private static ClientKey clientKey(String prefix, Tls tls) throws GeneralSecurityException {
        if (tls.keyStore() != null) {
            char[] password = PemFiles.secret(tls.keyStorePasswordFile(), prefix + ".key-store-password-file");
            return new ClientKey(load(tls.keyStore(), prefix + ".key-store", password), password);
        }
        if (tls.certificate() == null) {
            return null;
        }
        PrivateKey key = PemFiles.privateKey(tls.privateKey(), prefix + ".private-key");
        List<X509Certificate> chain = PemFiles.certificates(tls.certificate(), prefix + ".certificate");
        KeyStore store = empty();
        store.setKeyEntry("client", key, IN_MEMORY, chain.toArray(X509Certificate[]::new));
        return new ClientKey(store, IN_MEMORY);
    }

    private static KeyStore trusted(String prefix, Tls tls) throws GeneralSecurityException {
        if (tls.trustStore() != null) {
            return load(tls.trustStore(), prefix + ".trust-store", tls.trustStorePasswordFile() == null ? null
                    : PemFiles.secret(tls.trustStorePasswordFile(), prefix + ".trust-store-password-file"));
        }
        if (tls.trustCertificates() == null) {
            return null;
        }
        KeyStore store = empty();
        List<X509Certificate> certificates = PemFiles.certificates(tls.trustCertificates(),
                prefix + ".trust-certificates");
        for (int i = 0; i < certificates.size(); i++) {
            store.setCertificateEntry("trusted-" + i, certificates.get(i));
        }
        return store;
    }

    private static KeyStore load(Path file, String setting, char[] password) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            return store;
        } catch (IOException | GeneralSecurityException e) {
            // a wrong password is an IOException whose message names no secret; only its type is shown
            throw PemFiles.refused(setting, "cannot be opened as PKCS#12 with its password", e);
        }
    }

    private static KeyStore empty() throws GeneralSecurityException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            return store;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
