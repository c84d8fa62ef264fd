package dk.ipsbridge.http;

import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.bouncycastle.jcajce.provider.asymmetric.util.EC5Util;

/**
 * A {@code private_key_jwt} client assertion (RFC 7523, SMART Backend Services), signed with nimbus-jose-jwt:
 * {@code iss} and {@code sub} the client id, {@code aud} the token URL, a random {@code jti} each time, {@code exp}
 * {@value #LIFETIME_SECONDS} s ahead (SMART allows at most five minutes). An EC P-384 key signs ES384, an RSA key of at
 * least 2048 bits RS384; the header's {@code kid} is the public key's RFC 7638 thumbprint, as registered in the
 * client's JWK Set. The assertion is a credential: it is never logged.
 */
final class ClientAssertion {

    /** How long an assertion is good for: under the five minutes SMART allows, so a slower clock still takes it. */
    static final long LIFETIME_SECONDS = 240;

    private static final int MIN_RSA_BITS = 2048;

    private final JWK key;
    private final JWSSigner signer;
    private final JWSAlgorithm algorithm;

    private ClientAssertion(JWK key, JWSSigner signer, JWSAlgorithm algorithm) {
        this.key = key;
        this.signer = signer;
        this.algorithm = algorithm;
    }

    /** The signing key from a PEM file; an unusable key refuses start-up, naming {@code setting}. */
    static ClientAssertion fromPem(Path file, String setting) {
        PrivateKey key = PemFiles.privateKey(file, setting);
        try {
            if (key instanceof ECPrivateKey ec && Curve.P_384.equals(Curve.forECParameterSpec(ec.getParams()))) {
                ECKey jwk = new ECKey.Builder(Curve.P_384, publicKey(ec)).privateKey(ec).keyIDFromThumbprint().build();
                return new ClientAssertion(jwk, new ECDSASigner(jwk), JWSAlgorithm.ES384);
            }
            if (key instanceof RSAPrivateCrtKey rsa && rsa.getModulus().bitLength() >= MIN_RSA_BITS) {
                RSAKey jwk = new RSAKey.Builder(publicKey(rsa)).privateKey(rsa).keyIDFromThumbprint().build();
                return new ClientAssertion(jwk, new RSASSASigner(jwk), JWSAlgorithm.RS384);
            }
        } catch (JOSEException | GeneralSecurityException e) {
            throw PemFiles.refused(setting, "cannot sign client assertions", e);
        }
        throw PemFiles.refused(setting, "must be an EC P-384 key (ES384) or an RSA key of at least " + MIN_RSA_BITS
                + " bits (RS384)", null);
    }

    /** A fresh assertion for a request to {@code tokenUrl}. */
    String sign(String clientId, URI tokenUrl, Instant now) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(clientId).subject(clientId)
                .audience(tokenUrl.toString()).jwtID(UUID.randomUUID().toString()).issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofSeconds(LIFETIME_SECONDS)))).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).type(JOSEObjectType.JWT).keyID(key.getKeyID())
                .build(), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("signing a client assertion failed: " + e.getClass().getSimpleName(), e);
        }
        return jwt.serialize();
    }

    /** The public half, as the client registers it with the token endpoint (its JWK Set). */
    JWK publicJwk() {
        return key.toPublicJWK();
    }

    private static ECPublicKey publicKey(ECPrivateKey key) throws GeneralSecurityException {
        var q = EC5Util.convertSpec(key.getParams()).getG().multiply(key.getS()).normalize();
        ECPoint point = new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
        return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, key.getParams()));
    }

    private static RSAPublicKey publicKey(RSAPrivateCrtKey key) throws GeneralSecurityException {
        BigInteger exponent = key.getPublicExponent();
        return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(key.getModulus(),
                exponent));
    }
}
