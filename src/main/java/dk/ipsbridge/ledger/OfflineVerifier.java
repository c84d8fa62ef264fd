package dk.ipsbridge.ledger;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.Period;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;

/**
 * Verifies a ledger export with nothing but the export and the public keys: no database, no Spring.
 *
 * <pre>
 * java -cp ips-bridge.jar -Dloader.main=dk.ipsbridge.ledger.OfflineVerifier \
 *     org.springframework.boot.loader.launch.PropertiesLauncher \
 *     --key ledger-verification-key.pem [--key retired-key.pem ...] [--retention P10Y] ledger-export.jsonl
 * </pre>
 *
 * Prints the report and exits 0 when nothing points to tampering, 1 when something does, 2 when it cannot verify.
 */
public final class OfflineVerifier {

    private OfflineVerifier() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs as {@link #main} does and returns the exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        List<Path> keyFiles = new ArrayList<>();
        Period retention = null;
        Path export = null;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--key" -> keyFiles.add(Path.of(args[++i]));
                    case "--retention" -> retention = Period.parse(args[++i]);
                    default -> export = Path.of(args[i]);
                }
            }
            if (export == null || keyFiles.isEmpty()) {
                err.println("usage: OfflineVerifier --key public-key.pem [--key ...] [--retention P10Y] export.jsonl");
                return 2;
            }
            VerificationReport report = verify(export, keyFiles, retention, Instant.now());
            out.println(report.summary());
            return report.ok() ? 0 : 1;
        } catch (RuntimeException e) {
            err.println("cannot verify: " + e.getMessage());
            return 2;
        }
    }

    /**
     * Verifies an export against the given public keys (PEM).
     *
     * @param retention when given, an entry redacted before it was this old is reported as redacted too early
     */
    public static VerificationReport verify(Path export, List<Path> publicKeys, Period retention, Instant now) {
        Map<String, Ed25519PublicKeyParameters> keys = LedgerKeys.verificationKeys(publicKeys);
        ExportFormat.Contents contents = ExportFormat.readContents(export);
        Verification verification = new Verification(keys,
                retention == null ? null : LedgerRetention.cutoff(now, retention), contents.head(),
                contents.checkpoints(), null);
        ExportFormat.readEntries(export, verification::accept);
        return verification.finish();
    }
}
