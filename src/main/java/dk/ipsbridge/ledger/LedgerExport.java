package dk.ipsbridge.ledger;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Clock;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes the ledger as JSON lines (see {@code docs/ledger.md}) from one consistent snapshot: what
 * {@link OfflineVerifier} checks with nothing but the public keys. CPR numbers only as keyed hash and ciphertext.
 */
public class LedgerExport {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate snapshot;
    private final Clock clock;

    public LedgerExport(DataSource dataSource, PlatformTransactionManager transactions, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.jdbc.setFetchSize(1000);
        this.snapshot = LedgerVerifier.readSnapshot(transactions);
        this.clock = clock;
    }

    /** Writes the export to {@code out} and flushes it; the caller closes the stream. */
    public void write(OutputStream out) {
        BufferedOutputStream buffered = new BufferedOutputStream(out, 1 << 16);
        ExportFormat.Writer writer = new ExportFormat.Writer(buffered);
        snapshot.executeWithoutResult(status -> {
            writer.header(jdbc.queryForObject("select tree_size, root_hash, checkpoint_seq from ledger_head where id = 1",
                    (rs, n) -> new Verification.Head(rs.getLong(1), rs.getString(2), rs.getLong(3))), clock.instant());
            jdbc.query("select " + LedgerColumns.CHECKPOINT_COLUMNS + " from ledger_checkpoint order by seq", rs -> {
                writer.checkpoint(LedgerColumns.checkpoint(rs, 0));
            });
            jdbc.query("select " + LedgerColumns.ENTRY_COLUMNS + " from ledger_entry order by leaf_index", rs -> {
                writer.entry(LedgerColumns.entry(rs, 0));
            });
        });
        try {
            buffered.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
