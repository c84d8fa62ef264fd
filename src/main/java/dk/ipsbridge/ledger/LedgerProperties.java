package dk.ipsbridge.ledger;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Period;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The disclosure ledger ({@code ips.ledger.*}): how often tree heads are signed, how long entries are kept, and where
 * the keys are. Keys never sit in the configuration file: give file paths, or the two CPR keys as environment
 * variables ({@code IPS_LEDGER_KEYS_CPRHASHKEY}, {@code IPS_LEDGER_KEYS_CPRENCRYPTIONKEY}).
 *
 * @param retention              an entry's contents are removed this long after it was recorded (its leaf hash stays)
 * @param checkpointEveryEntries a signed checkpoint at the latest after this many entries (taken in the appending
 *                               transaction)
 * @param checkpointEvery        and at the latest this long after the previous one when entries were added
 *                               (by {@link Ledger#checkpointIfDue()})
 * @param retentionBatch         entries redacted per transaction
 */
@Validated
@ConfigurationProperties("ips.ledger")
public record LedgerProperties(
        @DefaultValue("P10Y") @NotNull Period retention,
        @DefaultValue("1000") @Min(1) int checkpointEveryEntries,
        @DefaultValue("5m") @NotNull Duration checkpointEvery,
        @DefaultValue("10000") @Min(1) int retentionBatch,
        @DefaultValue @Valid Keys keys) {

    /**
     * Key material, each from a file (or for the CPR keys, a base64 value from the environment).
     *
     * @param signingKeyFile        PEM, PKCS#8 Ed25519 private key that signs new checkpoints
     * @param verificationKeyFiles  PEM public keys of retired signing keys; the current one is added automatically
     * @param cprHashKeyFile        a file holding the base64 HMAC-SHA256 key (32 bytes or more) for CPR search
     * @param cprHashKey            or that base64 key itself, from the environment
     * @param cprEncryptionKeyFile  a file holding the base64 AES-256 key (32 bytes) for CPR display
     * @param cprEncryptionKey      or that base64 key itself, from the environment
     * @param retiredCprHashKeyFiles       former hash keys: entries hashed under them are still found by CPR
     * @param retiredCprEncryptionKeyFiles former encryption keys: what they sealed still opens
     */
    public record Keys(Path signingKeyFile, List<Path> verificationKeyFiles, Path cprHashKeyFile, String cprHashKey,
            Path cprEncryptionKeyFile, String cprEncryptionKey, List<Path> retiredCprHashKeyFiles,
            List<Path> retiredCprEncryptionKeyFiles) {

        public Keys {
            verificationKeyFiles = verificationKeyFiles == null ? List.of() : List.copyOf(verificationKeyFiles);
            retiredCprHashKeyFiles = retiredCprHashKeyFiles == null ? List.of() : List.copyOf(retiredCprHashKeyFiles);
            retiredCprEncryptionKeyFiles = retiredCprEncryptionKeyFiles == null ? List.of()
                    : List.copyOf(retiredCprEncryptionKeyFiles);
        }

        @Override
        public String toString() {
            return "Keys[signingKeyFile=" + signingKeyFile + ", verificationKeyFiles=" + verificationKeyFiles
                    + ", cprHashKeyFile=" + cprHashKeyFile + ", cprHashKey=" + (cprHashKey == null ? null : "***")
                    + ", cprEncryptionKeyFile=" + cprEncryptionKeyFile + ", cprEncryptionKey="
                    + (cprEncryptionKey == null ? null : "***") + ", retiredCprHashKeyFiles=" + retiredCprHashKeyFiles
                    + ", retiredCprEncryptionKeyFiles=" + retiredCprEncryptionKeyFiles + "]";
        }
    }
}
