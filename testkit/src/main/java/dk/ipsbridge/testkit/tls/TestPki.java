package dk.ipsbridge.testkit.tls;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A small PKI made at test time with Bouncy Castle, in a directory of its own: a CA, and server and client
 * certificates it issues, each as PEM files (certificate with its chain, private key as PKCS#8 and in the
 * traditional form) and as a PKCS#12 key store, plus a PKCS#12 trust store holding the CA. Every store and key of one
 * PKI has the same random password, also in {@link #passwordFile()}. Nothing is ever checked in: keys live as long as
 * the directory.
 *
 * <pre>{@code
 * TestPki pki = TestPki.create(tempDir);
 * ServerTls https = pki.serverTls("localhost");          // a server certificate; clients of this CA required
 * TestPki.Issued client = pki.issue("adapter", TestPki.KeyType.EC);
 * MockJobcenter jobcenter = new MockJobcenter("jc-a", "Jobcenter A", https);
 * }</pre>
 */
public final class TestPki {

    /** The kind of key pair: RSA 2048 or EC P-384. */
    public enum KeyType {
        RSA, EC
    }

    /**
     * A key pair and the certificate this PKI issued for it, in files.
     *
     * @param certificate        PEM: the certificate, then the CA's
     * @param privateKey         PEM, PKCS#8 ({@code BEGIN PRIVATE KEY})
     * @param traditionalKey     PEM, the traditional form ({@code BEGIN RSA PRIVATE KEY}, {@code BEGIN EC PRIVATE KEY})
     * @param keyStore           PKCS#12: the key and the chain, under the PKI's password
     * @param x509               the certificate
     * @param keys               the key pair (its public half to register with a mock token endpoint)
     */
    public record Issued(String name, Path certificate, Path privateKey, Path traditionalKey, Path keyStore,
            X509Certificate x509, KeyPair keys) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Provider BC = new BouncyCastleProvider();
    private static final Duration VALIDITY = Duration.ofDays(2);

    private final Path dir;
    private final String password;
    private final KeyPair caKeys;
    private final X509Certificate ca;
    private final AtomicLong serial = new AtomicLong(1);

    private TestPki(Path dir, String name) throws GeneralSecurityException, IOException {
        this.dir = Files.createDirectories(dir);
        this.password = HexFormat.of().formatHex(RANDOM.generateSeed(12));
        this.caKeys = generate(KeyType.RSA);
        X500Name caName = new X500Name("CN=" + name);
        this.ca = sign(new JcaX509v3CertificateBuilder(caName, BigInteger.valueOf(serial.getAndIncrement()),
                Date.from(Instant.now().minus(Duration.ofHours(1))), Date.from(Instant.now().plus(VALIDITY)), caName,
                caKeys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)));
        Files.writeString(passwordFile(), password);
        writePem(caCertificate(), List.of(ca));
        KeyStore trust = emptyStore();
        trust.setCertificateEntry("ca", ca);
        store(trust, trustStore());
    }

    /** A new CA, {@code CN=IPS Bridge test CA}, in {@code dir}. */
    public static TestPki create(Path dir) {
        return create(dir, "IPS Bridge test CA");
    }

    /** A new CA with the given common name: a second one is a CA nobody trusts. */
    public static TestPki create(Path dir, String commonName) {
        try {
            return new TestPki(dir, commonName);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The CA's certificate, PEM: what a client or server trusts. */
    public Path caCertificate() {
        return dir.resolve("ca.pem");
    }

    /** A PKCS#12 trust store holding the CA, under {@link #password()}. */
    public Path trustStore() {
        return dir.resolve("ca-truststore.p12");
    }

    /** The password of every store and key of this PKI. */
    public String password() {
        return password;
    }

    /** {@link #password()} in a file, as the adapter reads passwords. */
    public Path passwordFile() {
        return dir.resolve("password.txt");
    }

    /**
     * A certificate for server and client use. {@code hostnames} go into the subject alternative names (an IP
     * address as such), so a server certificate needs the host the client calls, such as {@code localhost}.
     */
    public Issued issue(String name, KeyType type, String... hostnames) {
        Objects.requireNonNull(name, "name");
        try {
            KeyPair keys = generate(type);
            List<GeneralName> names = new ArrayList<>();
            for (String host : hostnames) {
                names.add(host.matches("[0-9.]+|.*:.*") ? new GeneralName(GeneralName.iPAddress,
                        InetAddress.getByName(host).getHostAddress()) : new GeneralName(GeneralName.dNSName, host));
            }
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca,
                    BigInteger.valueOf(serial.getAndIncrement()), Date.from(Instant.now().minus(Duration.ofHours(1))),
                    Date.from(Instant.now().plus(VALIDITY)), new X500Name("CN=" + name), keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature
                            | KeyUsage.keyEncipherment))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[] {
                            KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth }));
            if (!names.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(names.toArray(GeneralName[]::new)));
            }
            X509Certificate certificate = sign(builder);
            Issued issued = new Issued(name, dir.resolve(name + "-cert.pem"), dir.resolve(name + "-key.pem"),
                    dir.resolve(name + "-key-traditional.pem"), dir.resolve(name + ".p12"), certificate, keys);
            writePem(issued.certificate(), List.of(certificate, ca));
            try (Writer out = Files.newBufferedWriter(issued.privateKey()); JcaPEMWriter pem = new JcaPEMWriter(out)) {
                pem.writeObject(new JcaPKCS8Generator(keys.getPrivate(), null));
            }
            writePem(issued.traditionalKey(), List.of(traditional(keys.getPrivate())));
            KeyStore store = emptyStore();
            store.setKeyEntry(name, keys.getPrivate(), password.toCharArray(),
                    new X509Certificate[] { certificate, ca });
            store(store, issued.keyStore());
            return issued;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** HTTPS for a mock: a server certificate for {@code hostnames}, and client certificates of this CA required. */
    public ServerTls serverTls(String... hostnames) {
        return new ServerTls(issue("server-" + String.join("-", hostnames).replaceAll("[^A-Za-z0-9.-]", "_"),
                KeyType.RSA, hostnames).keyStore(), password, trustStore());
    }

    /**
     * The key as Bouncy Castle holds it, whose traditional form carries the EC curve inside ({@code BEGIN EC PRIVATE
     * KEY} as OpenSSL writes it); the JDK's own would be written without.
     */
    private static PrivateKey traditional(PrivateKey key) throws GeneralSecurityException {
        return KeyFactory.getInstance(key.getAlgorithm(), BC).generatePrivate(new PKCS8EncodedKeySpec(
                key.getEncoded()));
    }

    private static KeyPair generate(KeyType type) throws GeneralSecurityException {
        if (type == KeyType.EC) {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp384r1"), RANDOM);
            return generator.generateKeyPair();
        }
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048, RANDOM);
        return generator.generateKeyPair();
    }

    private X509Certificate sign(X509v3CertificateBuilder builder) throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(builder.build(
                    new JcaContentSignerBuilder("SHA256withRSA").build(caKeys.getPrivate())));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static void writePem(Path file, List<?> objects) throws IOException {
        try (Writer out = Files.newBufferedWriter(file); JcaPEMWriter pem = new JcaPEMWriter(out)) {
            for (Object object : objects) {
                pem.writeObject(object);
            }
        }
    }

    private static KeyStore emptyStore() throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return store;
    }

    private void store(KeyStore store, Path file) throws IOException, GeneralSecurityException {
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password.toCharArray());
        }
    }
}
