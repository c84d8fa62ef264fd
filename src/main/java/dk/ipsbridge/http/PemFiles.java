package dk.ipsbridge.http;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import dk.ipsbridge.config.RefusedStart;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Keys, certificates and passwords from files, read once at start-up with Bouncy Castle's {@link PEMParser}: a private
 * key as PKCS#8 ({@code BEGIN PRIVATE KEY}) or traditional ({@code BEGIN RSA PRIVATE KEY}, {@code BEGIN EC PRIVATE
 * KEY}), unencrypted (protect the file instead). A file that cannot be used refuses start-up, naming the setting and
 * never quoting the file.
 */
final class PemFiles {

    private PemFiles() {
    }

    /** The private key in a PEM file. */
    static PrivateKey privateKey(Path file, String setting) {
        Object key = read(file, setting).stream().findFirst().orElse(null);
        try {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (key instanceof PEMKeyPair pair) { // a traditional key; its public half may be absent (SEC 1)
                return converter.getPrivateKey(pair.getPrivateKeyInfo());
            }
            if (key instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
        } catch (IOException e) {
            throw refused(setting, "is not a usable RSA or EC private key", e);
        }
        throw refused(setting, "holds no unencrypted private key (PKCS#8 or traditional, RSA or EC)", null);
    }

    /** The certificates in a PEM file, in order; at least one. */
    static List<X509Certificate> certificates(Path file, String setting) {
        List<X509Certificate> certificates = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        for (Object item : read(file, setting)) {
            if (item instanceof X509CertificateHolder holder) {
                try {
                    certificates.add(converter.getCertificate(holder));
                } catch (GeneralSecurityException e) {
                    throw refused(setting, "holds a certificate that cannot be read", e);
                }
            }
        }
        if (certificates.isEmpty()) {
            throw refused(setting, "holds no PEM certificate", null);
        }
        return certificates;
    }

    /** A password or secret: the file's text without its trailing line break. */
    static char[] secret(Path file, String setting) {
        try {
            return Files.readString(file).replaceAll("[\\r\\n]+$", "").toCharArray();
        } catch (IOException e) {
            throw refused(setting, "cannot be read", e);
        }
    }

    static RefusedStart refused(String setting, String problem, Throwable cause) {
        return new RefusedStart(setting + " " + problem + (cause == null ? "" : " (" + cause.getClass()
                .getSimpleName() + ")"), "Point " + setting + " at a readable file of the right kind; "
                + "docs/security/outbound.md shows how to make one.", cause);
    }

    private static List<Object> read(Path file, String setting) {
        List<Object> items = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file); PEMParser parser = new PEMParser(reader)) {
            for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
                items.add(item);
            }
        } catch (IOException | RuntimeException e) { // BC throws PEMException (an IOException) or runtime ones
            throw refused(setting, "cannot be read as PEM", e);
        }
        return items;
    }
}
