package dk.ipsbridge.ledger;

import java.time.Clock;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;

import javax.sql.DataSource;

import dk.ipsbridge.config.Times;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Removes the contents of entries older than {@code ips.ledger.retention}. The leaf hash stays, so the tree, old
 * checkpoints and proofs still verify; the verifier reports such entries as redacted, not tampered.
 */
public class LedgerRetention {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final LedgerProperties settings;
    private final Clock clock;

    public LedgerRetention(DataSource dataSource, PlatformTransactionManager transactions, LedgerProperties settings,
            Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.transaction = new TransactionTemplate(transactions);
        this.settings = settings;
        this.clock = clock;
    }

    /** Redacts every expired entry, {@code ips.ledger.retention-batch} per transaction; returns how many. */
    public long redactExpired() {
        Instant now = clock.instant();
        Instant cutoff = cutoff(now, settings.retention());
        String clear = String.join(" = null, ", LedgerColumns.CONTENT_COLUMNS.split(", ")) + " = null";
        String sql = "update ledger_entry set " + clear + ", redacted_at = ? where leaf_index in (select leaf_index "
                + "from ledger_entry where redacted_at is null and recorded_at < ? order by leaf_index limit ?)";
        long total = 0;
        int done;
        do {
            done = transaction.execute(status -> jdbc.update(sql, Times.utc(now), Times.utc(cutoff),
                    settings.retentionBatch()));
            total += done;
        } while (done > 0);
        return total;
    }

    /** Entries recorded before this instant have expired. */
    static Instant cutoff(Instant now, Period retention) {
        return now.atOffset(ZoneOffset.UTC).minus(retention).toInstant();
    }
}
