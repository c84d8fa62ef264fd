package dk.ipsbridge.ledger;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/** Ed25519 with Bouncy Castle: PEM keys (PKCS#8 private, SubjectPublicKeyInfo public), key ids, signatures. */
final class Ed25519Keys {

    private Ed25519Keys() {
    }

    /** A private key and the id of its public key. */
    record SigningKey(Ed25519PrivateKeyParameters key, String keyId) {

        static SigningKey of(Ed25519PrivateKeyParameters key) {
            return new SigningKey(key, Ed25519Keys.keyId(key.generatePublicKey()));
        }

        String sign(byte[] message) {
            Ed25519Signer signer = new Ed25519Signer();
            signer.init(true, key);
            signer.update(message, 0, message.length);
            return Base64.getEncoder().encodeToString(signer.generateSignature());
        }

        @Override
        public String toString() {
            return "SigningKey[" + keyId + "]";
        }
    }

    static boolean verify(Ed25519PublicKeyParameters key, byte[] message, String signatureBase64) {
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(signatureBase64);
        } catch (IllegalArgumentException e) {
            return false;
        }
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, key);
        verifier.update(message, 0, message.length);
        return verifier.verifySignature(signature);
    }

    /** Hex SHA-256 of the public key's SubjectPublicKeyInfo DER. */
    static String keyId(Ed25519PublicKeyParameters key) {
        return HexFormat.of().formatHex(Merkle.sha256().digest(spki(key)));
    }

    static Ed25519PrivateKeyParameters generate() {
        return new Ed25519PrivateKeyParameters(new SecureRandom());
    }

    static SigningKey readPrivate(Path pem) {
        return SigningKey.of(read(pem, Ed25519PrivateKeyParameters.class, "PRIVATE KEY", "private",
                info -> info instanceof PrivateKeyInfo key ? PrivateKeyFactory.createKey(key) : null));
    }

    static Ed25519PublicKeyParameters readPublic(Path pem) {
        return read(pem, Ed25519PublicKeyParameters.class, "PUBLIC KEY", "public",
                info -> info instanceof SubjectPublicKeyInfo key ? PublicKeyFactory.createKey(key) : null);
    }

    @FunctionalInterface
    private interface KeyFactory {
        AsymmetricKeyParameter create(Object parsed) throws IOException;
    }

    private static <T> T read(Path pem, Class<T> type, String label, String kind, KeyFactory factory) {
        AsymmetricKeyParameter key;
        try {
            key = factory.create(parse(pem));
        } catch (IOException e) {
            throw new IllegalArgumentException(pem + " holds no readable " + kind + " key", e);
        }
        if (key == null) {
            throw new IllegalArgumentException(pem + " holds no " + kind + " key (-----BEGIN " + label + "-----)");
        }
        if (!type.isInstance(key)) {
            throw new IllegalArgumentException(pem + " holds a " + kind + " key that is not Ed25519");
        }
        return type.cast(key);
    }

    static String privatePem(Ed25519PrivateKeyParameters key) {
        try {
            return pem("PRIVATE KEY", PrivateKeyInfoFactory.createPrivateKeyInfo(key).getEncoded());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String publicPem(Ed25519PublicKeyParameters key) {
        return pem("PUBLIC KEY", spki(key));
    }

    private static byte[] spki(Ed25519PublicKeyParameters key) {
        try {
            return SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(key).getEncoded();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        StringWriter out = new StringWriter();
        try (PemWriter writer = new PemWriter(out)) {
            writer.writeObject(new PemObject(type, der));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static Object parse(Path pem) {
        try (Reader reader = Files.newBufferedReader(pem, StandardCharsets.US_ASCII);
                PEMParser parser = new PEMParser(reader)) {
            Object parsed = parser.readObject();
            if (parsed == null) {
                throw new IllegalArgumentException(pem + " holds no PEM object");
            }
            return parsed;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the key file " + pem, e);
        }
    }
}
