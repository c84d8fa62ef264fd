package dk.ipsbridge.ledger;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import dk.ipsbridge.patient.Redacted;
import dk.ipsbridge.config.Times;
import dk.ipsbridge.ledger.Merkle.Node;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The disclosure ledger: appends entries, signs checkpoints, answers CPR searches and proofs.
 *
 * <p>{@link #append} joins the caller's Spring transaction when there is one (the entry commits or rolls back with
 * the caller's state change) and opens its own otherwise. Appends lock the single {@code ledger_head} row, so they
 * are serialised and leaf indexes have no gaps, also across instances.
 */
public class Ledger {

    private static final HexFormat HEX = HexFormat.of();
    private static final String LOCK_HEAD = "select tree_size, frontier, checkpoint_seq, checkpoint_size, checkpoint_at "
            + "from ledger_head where id = 1 for update";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final LedgerKeys keys;
    private final LedgerProperties settings;
    private final Clock clock;

    public Ledger(DataSource dataSource, PlatformTransactionManager transactions, LedgerKeys keys,
            LedgerProperties settings, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.transaction = new TransactionTemplate(transactions);
        this.transaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRED);
        this.keys = keys;
        this.settings = settings;
        this.clock = clock;
    }

    /** Appends one entry in the current transaction (or a new one) and returns its leaf index. */
    public long append(LedgerEntry entry) {
        return appendAll(List.of(entry)).get(0);
    }

    /**
     * Appends entries in order, in the current transaction (or a new one), with one lock and batched inserts; returns
     * their leaf indexes. Signs a checkpoint in the same transaction when {@code ips.ledger.checkpoint-every-entries}
     * is reached.
     */
    public List<Long> appendAll(List<LedgerEntry> entries) {
        if (entries.isEmpty()) {
            return List.of();
        }
        return transaction.execute(status -> {
            Head head = lockHead();
            CprProtection cpr = entries.stream().anyMatch(e -> e.cpr() != null) ? keys.cpr() : null;
            List<Object[]> entryRows = new ArrayList<>(entries.size());
            List<Object[]> nodeRows = new ArrayList<>(entries.size());
            List<Long> indexes = new ArrayList<>(entries.size());
            for (LedgerEntry entry : entries) {
                long index = head.frontier().size();
                LedgerRecord record = stored(index, entry, cpr);
                byte[] leaf = Merkle.leafHash(CanonicalEntry.encode(record));
                head.frontier().append(leaf, (level, node, hash) -> nodeRows.add(
                        new Object[] {level, node, HEX.formatHex(hash)}));
                entryRows.add(LedgerColumns.insertParams(record.withLeafHash(HEX.formatHex(leaf))));
                indexes.add(index);
            }
            jdbc.batchUpdate(LedgerColumns.INSERT_ENTRY, entryRows);
            if (!nodeRows.isEmpty()) {
                jdbc.batchUpdate("insert into ledger_node (tree_level, node_index, hash) values (?, ?, ?)", nodeRows);
            }
            byte[] root = head.frontier().root();
            jdbc.update("update ledger_head set tree_size = ?, root_hash = ?, frontier = ? where id = 1",
                    head.frontier().size(), HEX.formatHex(root), head.frontier().encode());
            if (head.frontier().size() - head.checkpointSize() >= settings.checkpointEveryEntries()) {
                sign(head, root);
            }
            return indexes;
        });
    }

    /**
     * Signs a checkpoint if entries were added since the last one and {@code ips.ledger.checkpoint-every} has passed
     * (or {@code checkpoint-every-entries} were added). For a timer; returns the new checkpoint, if one was made.
     */
    public Optional<Checkpoint> checkpointIfDue() {
        return transaction.execute(status -> {
            Head head = lockHead();
            long added = head.frontier().size() - head.checkpointSize();
            boolean due = added > 0 && (added >= settings.checkpointEveryEntries() || head.checkpointAt() == null
                    || !clock.instant().isBefore(head.checkpointAt().plus(settings.checkpointEvery())));
            return due ? Optional.of(sign(head, head.frontier().root())) : Optional.<Checkpoint>empty();
        });
    }

    /** Signs a checkpoint of the current tree now, unless the latest one already covers it; returns the latest. */
    public Optional<Checkpoint> checkpoint() {
        return transaction.execute(status -> {
            Head head = lockHead();
            if (head.frontier().size() > head.checkpointSize()) {
                return Optional.of(sign(head, head.frontier().root()));
            }
            return latestCheckpoint();
        });
    }

    /** The number of entries. */
    public long size() {
        return jdbc.queryForObject("select tree_size from ledger_head where id = 1", Long.class);
    }

    public Optional<LedgerRecord> entry(long index) {
        return jdbc.query("select " + LedgerColumns.ENTRY_COLUMNS + " from ledger_entry where leaf_index = ?",
                LedgerColumns::entry, index).stream().findFirst();
    }

    /** A patient's entries by CPR number, oldest first; redacted entries no longer match. */
    public List<LedgerRecord> findByCpr(String cpr) {
        List<String> hashes = keys.cpr().hashes(LedgerEntry.normalisedCpr(cpr));
        return jdbc.query("select " + LedgerColumns.ENTRY_COLUMNS + " from ledger_entry where cpr_hash in ("
                + placeholders(hashes.size()) + ") order by leaf_index", LedgerColumns::entry, hashes.toArray());
    }

    /**
     * What a consent officer searches by; every field optional, null meaning any.
     *
     * @param from inclusive, {@code to} exclusive
     */
    public record Query(String cpr, String consultantRef, String recipient, String consentId, String decision,
            java.time.Instant from, java.time.Instant to, int limit) {
        @Override
        public String toString() {
            return Redacted.toString(this, "cpr");
        }
    }

    /** Entries matching every given field of {@code query}, newest first, at most {@code query.limit()}. */
    public List<LedgerRecord> search(Query query) {
        return search(query, null);
    }

    /**
     * Entries matching every given field of {@code query} and concerning one of {@code recipients} (null: any entry,
     * also one without a recipient), newest first, at most {@code query.limit()}.
     */
    public List<LedgerRecord> search(Query query, Collection<String> recipients) {
        if (recipients != null && recipients.isEmpty()) {
            return List.of();
        }
        StringBuilder sql = new StringBuilder("select " + LedgerColumns.ENTRY_COLUMNS + " from ledger_entry where 1 = 1");
        List<Object> params = new java.util.ArrayList<>();
        if (recipients != null) {
            sql.append(" and recipient in (").append(placeholders(recipients.size())).append(")");
            params.addAll(recipients);
        }
        if (query.cpr() != null) {
            List<String> hashes = keys.cpr().hashes(LedgerEntry.normalisedCpr(query.cpr()));
            sql.append(" and cpr_hash in (").append(placeholders(hashes.size())).append(")");
            params.addAll(hashes);
        }
        where(sql, params, "consultant_ref", query.consultantRef());
        where(sql, params, "recipient", query.recipient());
        where(sql, params, "consent_id", query.consentId());
        where(sql, params, "decision", query.decision());
        if (query.from() != null) {
            sql.append(" and recorded_at >= ?");
            params.add(java.time.OffsetDateTime.ofInstant(query.from(), java.time.ZoneOffset.UTC));
        }
        if (query.to() != null) {
            sql.append(" and recorded_at < ?");
            params.add(java.time.OffsetDateTime.ofInstant(query.to(), java.time.ZoneOffset.UTC));
        }
        sql.append(" order by leaf_index desc limit ?");
        params.add(Math.max(1, Math.min(query.limit(), 10_000)));
        return jdbc.query(sql.toString(), LedgerColumns::entry, params.toArray());
    }

    private static void where(StringBuilder sql, List<Object> params, String column, String value) {
        if (value != null && !value.isBlank()) {
            sql.append(" and ").append(column).append(" = ?");
            params.add(value.strip());
        }
    }

    /** Entries per day and decision since {@code from}, for the officers' charts: day, decision, count. */
    public List<Object[]> countsPerDay(java.time.Instant from) {
        return jdbc.query("select cast(recorded_at as date), decision, count(*) from ledger_entry "
                + "where recorded_at >= ? and decision is not null group by cast(recorded_at as date), decision "
                + "order by 1", (rs, n) -> new Object[] {rs.getObject(1, java.time.LocalDate.class), rs.getString(2),
                        rs.getLong(3)}, java.time.OffsetDateTime.ofInstant(from, java.time.ZoneOffset.UTC));
    }

    /** Whether a checkpoint carries a valid signature by a key this ledger knows (current or retired). */
    public boolean signedByKnownKey(Checkpoint checkpoint) {
        var key = keys.verification().get(checkpoint.keyId());
        return key != null && Ed25519Keys.verify(key, checkpoint.signedBytes(), checkpoint.signature());
    }

    /** The CPR number of an entry, for display to an officer; empty when it has none or was redacted. */
    public Optional<String> revealCpr(LedgerRecord record) {
        if (record.cprCiphertext() == null || record.cprHash() == null) {
            return Optional.empty();
        }
        return Optional.of(keys.cpr().decrypt(record.cprCiphertext(), record.cprHash()));
    }

    public Optional<Checkpoint> latestCheckpoint() {
        return jdbc.query("select " + LedgerColumns.CHECKPOINT_COLUMNS + " from ledger_checkpoint where seq = "
                + "(select max(seq) from ledger_checkpoint)", LedgerColumns::checkpoint).stream().findFirst();
    }

    public List<Checkpoint> checkpoints() {
        return jdbc.query("select " + LedgerColumns.CHECKPOINT_COLUMNS + " from ledger_checkpoint order by seq",
                LedgerColumns::checkpoint);
    }

    /** Proves that entry {@code index} is in the tree of {@code treeSize} entries (e.g. a checkpoint's). */
    public InclusionProof inclusionProof(long index, long treeSize) {
        checkSize(treeSize);
        String leaf = jdbc.queryForObject("select leaf_hash from ledger_entry where leaf_index = ?", String.class,
                index);
        return new InclusionProof(index, treeSize, leaf,
                hex(Merkle.inclusionProof(index, treeSize, this::storedHashes)));
    }

    /** Proves that the tree of {@code first} entries is a prefix of the tree of {@code second}. */
    public ConsistencyProof consistencyProof(long first, long second) {
        checkSize(second);
        return new ConsistencyProof(first, second, hex(Merkle.consistencyProof(first, second, this::storedHashes)));
    }

    /** The Merkle root of the first {@code treeSize} entries, from the stored subtree hashes. */
    public String root(long treeSize) {
        checkSize(treeSize);
        return HEX.formatHex(Merkle.root(treeSize, this::storedHashes));
    }

    private void checkSize(long treeSize) {
        long size = size();
        if (treeSize < 0 || treeSize > size) {
            throw new IllegalArgumentException("tree size " + treeSize + " is beyond the ledger's " + size);
        }
    }

    private Map<Node, byte[]> storedHashes(Collection<Node> nodes) {
        Map<Node, byte[]> out = new HashMap<>();
        List<Long> leaves = nodes.stream().filter(n -> n.level() == 0).map(Node::index).toList();
        if (!leaves.isEmpty()) {
            jdbc.query("select leaf_index, leaf_hash from ledger_entry where leaf_index in ("
                    + placeholders(leaves.size()) + ")", rs -> {
                        out.put(new Node(0, rs.getLong(1)), HEX.parseHex(rs.getString(2)));
                    }, leaves.toArray());
        }
        List<Node> inner = nodes.stream().filter(n -> n.level() > 0).toList();
        if (!inner.isEmpty()) {
            List<Object> args = new ArrayList<>();
            inner.forEach(n -> {
                args.add(n.level());
                args.add(n.index());
            });
            // a row-value IN: H2 answers it from the primary key, an OR of pairs it answers with a table scan
            jdbc.query("select tree_level, node_index, hash from ledger_node where (tree_level, node_index) in ("
                    + inner.stream().map(n -> "(?, ?)").collect(Collectors.joining(", ")) + ")",
                    rs -> {
                        out.put(new Node(rs.getInt(1), rs.getLong(2)), HEX.parseHex(rs.getString(3)));
                    }, args.toArray());
        }
        return out;
    }

    private LedgerRecord stored(long index, LedgerEntry e, CprProtection cpr) {
        String cprHash = e.cpr() == null ? null : cpr.hash(e.cpr());
        String cprCiphertext = e.cpr() == null ? null : cpr.encrypt(e.cpr(), cprHash);
        return new LedgerRecord(index, e.time(), e.decision(), e.reason(), e.sourceId(), e.patientRef(),
                e.recipient(), e.caseId(), e.consultantRef(), e.consentId(), e.consentVersion(), e.purpose(),
                e.categories(), e.payloadSha256(), e.correlationId(), cprHash, cprCiphertext, e.actor(), null, null);
    }

    private Checkpoint sign(Head head, byte[] root) {
        Ed25519Keys.SigningKey key = keys.signing();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Checkpoint unsigned = new Checkpoint(head.checkpointSeq() + 1, head.frontier().size(), HEX.formatHex(root),
                now, key.keyId(), null);
        Checkpoint signed = new Checkpoint(unsigned.seq(), unsigned.treeSize(), unsigned.rootHash(), now,
                key.keyId(), key.sign(unsigned.signedBytes()));
        jdbc.update("insert into ledger_checkpoint (" + LedgerColumns.CHECKPOINT_COLUMNS + ") values (?, ?, ?, ?, ?, ?)",
                LedgerColumns.insertParams(signed));
        jdbc.update("update ledger_head set checkpoint_seq = ?, checkpoint_size = ?, checkpoint_at = ? where id = 1",
                signed.seq(), signed.treeSize(), Times.utc(now));
        return signed;
    }

    private Head lockHead() {
        return jdbc.queryForObject(LOCK_HEAD, (rs, n) -> new Head(Frontier.decode(rs.getLong(1), rs.getString(2)),
                rs.getLong(3), rs.getLong(4), LedgerColumns.instant(rs, 5)));
    }

    private static String placeholders(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }

    private static List<String> hex(List<byte[]> hashes) {
        return hashes.stream().map(HEX::formatHex).toList();
    }

    /** The locked head row; the frontier grows as entries are appended. */
    private record Head(Frontier frontier, long checkpointSeq, long checkpointSize, Instant checkpointAt) {
    }
}
