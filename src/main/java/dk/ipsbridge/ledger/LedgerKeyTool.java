package dk.ipsbridge.ledger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

/**
 * Generates a fresh set of ledger keys into a directory: for the demo and the tests, or for an operator to move into
 * the secret store. Run: {@code java -cp ips-bridge.jar -Dloader.main=dk.ipsbridge.ledger.LedgerKeyTool
 * org.springframework.boot.loader.launch.PropertiesLauncher <directory>}. Private key files are readable by their
 * owner only.
 */
public final class LedgerKeyTool {

    /** The files written and the settings that point the adapter at them. */
    public record GeneratedKeys(Path signingKey, Path verificationKey, Path cprHashKey, Path cprEncryptionKey) {

        /** {@code ips.ledger.keys.*=path} settings, as {@code key=value} strings. */
        public List<String> properties() {
            return List.of("ips.ledger.keys.signing-key-file=" + signingKey,
                    "ips.ledger.keys.cpr-hash-key-file=" + cprHashKey,
                    "ips.ledger.keys.cpr-encryption-key-file=" + cprEncryptionKey);
        }

        public LedgerProperties.Keys config() {
            return new LedgerProperties.Keys(signingKey, List.of(), cprHashKey, null, cprEncryptionKey, null);
        }
    }

    private LedgerKeyTool() {
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: LedgerKeyTool <directory>");
            System.exit(2);
        }
        GeneratedKeys keys = generate(Path.of(args[0]));
        System.out.println("Ledger keys written. Settings:");
        keys.properties().forEach(p -> System.out.println("  " + p));
        System.out.println("Give " + keys.verificationKey() + " to whoever verifies exports.");
    }

    public static GeneratedKeys generate(Path dir) {
        try {
            Files.createDirectories(dir);
            Ed25519PrivateKeyParameters signing = Ed25519Keys.generate();
            Path signingKey = secretFile(dir.resolve("ledger-signing-key.pem"), Ed25519Keys.privatePem(signing));
            Path verificationKey = dir.resolve("ledger-verification-key.pem");
            Files.writeString(verificationKey, Ed25519Keys.publicPem(signing.generatePublicKey()),
                    StandardCharsets.US_ASCII);
            Path hashKey = secretFile(dir.resolve("ledger-cpr-hash.key"), randomKey());
            Path encryptionKey = secretFile(dir.resolve("ledger-cpr-encryption.key"), randomKey());
            return new GeneratedKeys(signingKey, verificationKey, hashKey, encryptionKey);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String randomKey() {
        byte[] key = new byte[CprProtection.KEY_BYTES];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key) + "\n";
    }

    private static Path secretFile(Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(file);
        }
        Files.writeString(file, content, StandardCharsets.US_ASCII);
        return file;
    }
}
