package dk.ipsbridge;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import dk.ipsbridge.ledger.LedgerKeyTool;

/**
 * The first run, {@code java -jar ips-bridge.jar init --dir DIR}: a fresh ledger key set and an {@code application.yml}
 * that points at it, in DIR. Runs without Spring, and never overwrites a file.
 */
final class InitCommand {

    static final String CONFIG_FILE = "application.yml";
    private static final String USAGE = "usage: java -jar ips-bridge.jar init --dir DIR";

    private InitCommand() {
    }

    /** Returns the process exit code: 0 written, 1 refused (a file exists, or cannot be written), 2 bad usage. */
    static int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.size() != 2 || !args.get(0).equals("--dir")) {
            err.println(USAGE);
            return 2;
        }
        Path dir = Path.of(args.get(1)).toAbsolutePath().normalize();
        Path config = dir.resolve(CONFIG_FILE);
        List<Path> files = new ArrayList<>(LedgerKeyTool.files(dir));
        files.add(config);
        for (Path file : files) {
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                err.println("Refusing to overwrite " + file + ": init writes only into a directory without these "
                        + "files. Keep the keys a ledger was written with; choose another directory for a new set.");
                return 1;
            }
        }
        try {
            createPrivateDirectory(dir);
            LedgerKeyTool.GeneratedKeys keys = LedgerKeyTool.generate(dir);
            Files.writeString(config, configuration(keys), StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
        } catch (IOException | UncheckedIOException | IllegalStateException e) {
            err.println("init failed: " + e.getMessage());
            return 1;
        }
        out.println("Wrote the ledger keys (private ones readable by you only) and " + config + ".");
        out.println("Fill in the EHR source and the jobcenters there (or give them as environment variables), then:");
        out.println("  java -jar ips-bridge.jar --spring.config.additional-location=" + dir + "/");
        out.println("Give " + dir.resolve("ledger-verification-key.pem") + " to whoever verifies ledger exports.");
        return 0;
    }

    private static void createPrivateDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createDirectories(dir,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectories(dir);
        }
    }

    /** Only settings from the README's "Configuration"; the sources and jobcenters are left for the operator. */
    static String configuration(LedgerKeyTool.GeneratedKeys keys) {
        return """
                # IPS Bridge, written by "java -jar ips-bridge.jar init" on %s. Start with
                #   java -jar ips-bridge.jar --spring.config.additional-location=%s/
                # Every setting, with its default, is in config/application.yml (inside the jar too) and in the
                # README's "Configuration". Environment variables (IPS_SOURCES_0_FHIR_BASE_URL, ...) and --arguments
                # override this file.
                ips:
                  region: DK-82   # DK-81 ... DK-85: the region whose psychiatry shares data

                  # The EHR to read from (FHIR R4). The adapter refuses to start without one.
                  # sources:
                  #   - id: ehr-main                                   # a-z, 0-9, -
                  #     fhir-base-url: https://ehr.example/fhir

                  # The jobcenters that may receive case records. The adapter refuses to start without one.
                  # jobcenters:
                  #   - id: jobcenter-aarhus                           # a-z, 0-9, -
                  #     name: Jobcenter Aarhus
                  #     base-url: https://jobcenter.example/api/ips/v1
                  #     organization-identifiers:                      # system|value by which consents name it
                  #       - urn:oid:1.2.208.176.1.1|1234561000016002

                  # Who may log in; without users everyone is refused (only /actuator/health is open).
                  # security:
                  #   users:
                  #     - username: officer
                  #       roles: [OFFICER]
                  #       password-hash-file: /run/secrets/officer.bcrypt   # a bcrypt hash, never the password

                  # The disclosure ledger's keys, written next to this file. Keep them with the database: its ledger can
                  # only be extended and verified with the keys it was written with.
                  ledger:
                    keys:
                      signing-key-file: %s
                      cpr-hash-key-file: %s
                      cpr-encryption-key-file: %s

                # The database: by default an H2 file under ./data of the working directory. In production, PostgreSQL
                # 15+, with the password from the environment (SPRING_DATASOURCE_PASSWORD):
                # spring:
                #   datasource:
                #     url: jdbc:postgresql://db:5432/ipsbridge
                #     username: ipsbridge
                """.formatted(LocalDate.now(), keys.signingKey().getParent(), yaml(keys.signingKey()),
                yaml(keys.cprHashKey()), yaml(keys.cprEncryptionKey()));
    }

    /** A single-quoted YAML scalar: a path may hold spaces, colons or quotes. */
    private static String yaml(Path path) {
        return "'" + path.toString().replace("'", "''") + "'";
    }
}
