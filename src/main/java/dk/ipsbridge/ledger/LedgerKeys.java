package dk.ipsbridge.ledger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dk.ipsbridge.keys.AtRest;
import dk.ipsbridge.ledger.Ed25519Keys.SigningKey;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;

/**
 * The ledger's keys, read once: the Ed25519 key that signs checkpoints, every public key whose checkpoints are
 * accepted (the current one and retired ones), and the two CPR keys. A key that is not configured fails the operation
 * that needs it, naming the setting; the adapter itself refuses to start without all of them ({@link LedgerKeyCheck}).
 */
public final class LedgerKeys {

    private final SigningKey signing;
    private final Map<String, Ed25519PublicKeyParameters> verification;
    private final CprProtection cpr;
    private final AtRest atRest;
    private final List<String> missing;

    private LedgerKeys(SigningKey signing, Map<String, Ed25519PublicKeyParameters> verification, CprProtection cpr,
            AtRest atRest, List<String> missing) {
        this.signing = signing;
        this.verification = Collections.unmodifiableMap(verification);
        this.cpr = cpr;
        this.atRest = atRest;
        this.missing = List.copyOf(missing);
    }

    /** Reads the configured keys; a configured file that cannot be read is an error now, not later. */
    public static LedgerKeys load(LedgerProperties.Keys config) {
        SigningKey signing = config.signingKeyFile() == null ? null : Ed25519Keys.readPrivate(config.signingKeyFile());
        Map<String, Ed25519PublicKeyParameters> verification = verificationKeys(config.verificationKeyFiles());
        if (signing != null) {
            verification.put(signing.keyId(), signing.key().generatePublicKey());
        }
        byte[] hashKey = secret(config.cprHashKeyFile(), config.cprHashKey(), "cpr-hash-key-file");
        byte[] encryptionKey = secret(config.cprEncryptionKeyFile(), config.cprEncryptionKey(),
                "cpr-encryption-key-file");
        List<byte[]> retiredHashKeys = retired(config.retiredCprHashKeyFiles(), "retired-cpr-hash-key-files");
        List<byte[]> retiredEncryptionKeys = retired(config.retiredCprEncryptionKeyFiles(),
                "retired-cpr-encryption-key-files");
        boolean both = hashKey != null && encryptionKey != null;
        CprProtection cpr = both ? new CprProtection(concat(hashKey, retiredHashKeys),
                concat(encryptionKey, retiredEncryptionKeys)) : null;
        AtRest atRest = both ? AtRest.of(encryptionKey, retiredEncryptionKeys) : null;
        List<String> missing = new ArrayList<>();
        if (signing == null) {
            missing.add("ips.ledger.keys.signing-key-file");
        }
        if (hashKey == null) {
            missing.add("ips.ledger.keys.cpr-hash-key-file (or IPS_LEDGER_KEYS_CPRHASHKEY)");
        }
        if (encryptionKey == null) {
            missing.add("ips.ledger.keys.cpr-encryption-key-file (or IPS_LEDGER_KEYS_CPRENCRYPTIONKEY)");
        }
        return new LedgerKeys(signing, verification, cpr, atRest, missing);
    }

    /** Public keys by key id, for verifying without a private key (the offline verifier). */
    static Map<String, Ed25519PublicKeyParameters> verificationKeys(List<Path> files) {
        Map<String, Ed25519PublicKeyParameters> keys = new LinkedHashMap<>();
        for (Path file : files) {
            Ed25519PublicKeyParameters key = Ed25519Keys.readPublic(file);
            keys.put(Ed25519Keys.keyId(key), key);
        }
        return keys;
    }

    /** True when appends, checkpoints and CPR search can all work. */
    public boolean complete() {
        return missing.isEmpty();
    }

    /** The settings of the keys that are not configured, empty when {@link #complete()}. */
    public List<String> missingSettings() {
        return missing;
    }

    /** The id of the key that signs new checkpoints. */
    public String signingKeyId() {
        return signing().keyId();
    }

    SigningKey signing() {
        if (signing == null) {
            throw new IllegalStateException("no ledger signing key: set ips.ledger.keys.signing-key-file");
        }
        return signing;
    }

    CprProtection cpr() {
        if (cpr == null) {
            throw new IllegalStateException("no CPR keys for the ledger: set ips.ledger.keys.cpr-hash-key-file and "
                    + "ips.ledger.keys.cpr-encryption-key-file (or IPS_LEDGER_KEYS_CPRHASHKEY and "
                    + "IPS_LEDGER_KEYS_CPRENCRYPTIONKEY)");
        }
        return cpr;
    }

    /** Seals personal data kept outside the ledger (failed records, outbox payloads) under the CPR encryption key. */
    public AtRest atRest() {
        cpr();
        return atRest;
    }

    Map<String, Ed25519PublicKeyParameters> verification() {
        return verification;
    }

    private static List<byte[]> retired(List<Path> files, String setting) {
        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            byte[] key = secret(files.get(i), null, setting + "[" + i + "]");
            if (key == null) {
                throw new IllegalArgumentException("ips.ledger.keys." + setting + "[" + i + "] is empty");
            }
            keys.add(key);
        }
        return keys;
    }

    private static List<byte[]> concat(byte[] current, List<byte[]> retired) {
        List<byte[]> keys = new ArrayList<>(List.of(current));
        keys.addAll(retired);
        return keys;
    }

    /** The base64 key in {@code file}, or else {@code base64}; null when neither is given. */
    private static byte[] secret(Path file, String base64, String setting) {
        String text = base64;
        if (file != null) {
            try {
                text = Files.readString(file, StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read ips.ledger.keys." + setting + " " + file, e);
            }
        }
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(text.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ips.ledger.keys." + setting + " is not base64", e);
        }
    }
}
