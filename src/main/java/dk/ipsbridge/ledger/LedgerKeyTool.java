package dk.ipsbridge.ledger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

/**
 * Generates a fresh set of ledger keys into a directory: for the demo and the tests, or for an operator to move into
 * the secret store. Run: {@code java -cp ips-bridge.jar -Dloader.main=dk.ipsbridge.ledger.LedgerKeyTool
 * org.springframework.boot.loader.launch.PropertiesLauncher <directory>}, or as part of {@code java -jar
 * ips-bridge.jar init --dir DIR}. Private key files are readable by their owner only; an existing file is never
 * overwritten (a ledger can only be extended and verified with the keys it was written with).
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
            return new LedgerProperties.Keys(signingKey, List.of(), cprHashKey, null, cprEncryptionKey, null, List.of(),
                    List.of());
        }
    }

    private static final List<String> FILE_NAMES = List.of("ledger-signing-key.pem", "ledger-verification-key.pem",
            "ledger-cpr-hash.key", "ledger-cpr-encryption.key");

    private LedgerKeyTool() {
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: LedgerKeyTool <directory>");
            System.exit(2);
        }
        GeneratedKeys keys;
        try {
            keys = generate(Path.of(args[0]));
        } catch (IllegalStateException e) {
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        }
        System.out.println("Ledger keys written. Settings:");
        keys.properties().forEach(p -> System.out.println("  " + p));
        System.out.println("Give " + keys.verificationKey() + " to whoever verifies exports.");
    }

    /** The files {@link #generate} writes into a directory. */
    public static List<Path> files(Path dir) {
        return FILE_NAMES.stream().map(dir::resolve).toList();
    }

    /**
     * Writes a fresh key set into the directory (created if missing).
     *
     * @throws IllegalStateException naming the file, when one of the files exists already; nothing is written then
     */
    public static GeneratedKeys generate(Path dir) {
        for (Path file : files(dir)) {
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new IllegalStateException(file + " exists already: keys are never overwritten");
            }
        }
        try {
            Files.createDirectories(dir);
            Ed25519PrivateKeyParameters signing = Ed25519Keys.generate();
            Path signingKey = secretFile(dir.resolve(FILE_NAMES.get(0)), Ed25519Keys.privatePem(signing));
            Path verificationKey = dir.resolve(FILE_NAMES.get(1));
            Files.writeString(verificationKey, Ed25519Keys.publicPem(signing.generatePublicKey()),
                    StandardCharsets.US_ASCII, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            Path hashKey = secretFile(dir.resolve(FILE_NAMES.get(2)), randomKey());
            Path encryptionKey = secretFile(dir.resolve(FILE_NAMES.get(3)), randomKey());
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
        // created owner-only before the key is written into it; fails if the file exists
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(file);
        }
        Files.writeString(file, content, StandardCharsets.US_ASCII);
        return file;
    }
}
