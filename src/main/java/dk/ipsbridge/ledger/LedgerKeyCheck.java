package dk.ipsbridge.ledger;

import java.util.List;
import java.util.Map;

import dk.ipsbridge.config.RefusedStart;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Why the adapter refuses to start rather than fail every decision later: ledger keys that are missing, or that are
 * not the keys the ledger in the database was written with. The messages name settings and key ids (hashes of public
 * keys), never key material or a CPR number.
 */
final class LedgerKeyCheck {

    static final String INIT = "java -jar ips-bridge.jar init --dir DIR";

    private static final String WRITE_KEYS = """
            Write a key set and a configuration that points at it, then start with that configuration:
                %s
                java -jar ips-bridge.jar --spring.config.additional-location=DIR/
            or point the settings named above at the key files you have (config/application.yml).""".formatted(INIT);

    private static final String USE_THE_LEDGERS_KEYS = """
            Point ips.ledger.keys.* at the key set this database's ledger was written with. A replaced signing key \
            stays valid for its old checkpoints when its public key is listed in \
            ips.ledger.keys.verification-key-files. A new key set (%s) belongs with a new database.""".formatted(INIT);

    private LedgerKeyCheck() {
    }

    /** Refuses a key file that is configured but unusable (unreadable, not a key, too short). */
    static RefusedStart unusable(RuntimeException cause) {
        return new RefusedStart("A ledger key cannot be used: " + cause.getMessage(), WRITE_KEYS, cause);
    }

    /** Refuses to start without every key: without them nothing can be recorded, so nothing can be decided. */
    static void requireComplete(LedgerKeys keys) {
        if (!keys.complete()) {
            throw new RefusedStart("The disclosure ledger has no keys, so no decision could be recorded. Missing: "
                    + String.join(", ", keys.missingSettings()) + ".", WRITE_KEYS);
        }
    }

    /**
     * Refuses keys that do not fit the ledger already in the database: checkpoints signed by a key that is neither
     * the signing key nor a listed retired one, or CPR numbers that the configured CPR keys do not open or hash to
     * what is stored. Run after the migrations and before anything is appended.
     */
    static void requireMatching(JdbcTemplate jdbc, LedgerKeys keys) {
        Map<String, ?> known = keys.verification();
        List<String> unknown = jdbc.queryForList("select distinct key_id from ledger_checkpoint", String.class)
                .stream().filter(id -> !known.containsKey(id)).sorted().toList();
        if (!unknown.isEmpty()) {
            throw new RefusedStart("The ledger in the database has checkpoints signed by key " + String.join(", ",
                    unknown.stream().map(LedgerKeyCheck::shortId).toList()) + ", which is neither "
                    + "ips.ledger.keys.signing-key-file (key " + shortId(keys.signingKeyId()) + ") nor listed in "
                    + "ips.ledger.keys.verification-key-files.", USE_THE_LEDGERS_KEYS);
        }
        List<Map<String, Object>> newest = jdbc.queryForList("select leaf_index, cpr_hash, cpr_ciphertext "
                + "from ledger_entry where cpr_ciphertext is not null order by leaf_index desc limit 1");
        if (newest.isEmpty()) {
            return;
        }
        Object index = newest.get(0).get("leaf_index");
        String hash = (String) newest.get(0).get("cpr_hash");
        String cpr;
        try {
            cpr = keys.cpr().decrypt((String) newest.get(0).get("cpr_ciphertext"), hash);
        } catch (IllegalArgumentException e) {
            throw new RefusedStart("ips.ledger.keys.cpr-encryption-key-file (or IPS_LEDGER_KEYS_CPRENCRYPTIONKEY) "
                    + "is not the key the ledger in the database was written with, nor listed in ips.ledger.keys."
                    + "retired-cpr-encryption-key-files: it does not open the CPR number of entry " + index + ".",
                    USE_THE_LEDGERS_KEYS);
        }
        if (!keys.cpr().hashes(cpr).contains(hash)) {
            throw new RefusedStart("ips.ledger.keys.cpr-hash-key-file (or IPS_LEDGER_KEYS_CPRHASHKEY) is not the key "
                    + "the ledger in the database was written with, nor listed in ips.ledger.keys."
                    + "retired-cpr-hash-key-files: entry " + index + " would no longer be found by its CPR number.",
                    USE_THE_LEDGERS_KEYS);
        }
    }

    private static String shortId(String keyId) {
        return keyId.substring(0, Math.min(16, keyId.length()));
    }
}
