package dk.ipsbridge.ledger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.util.List;

import javax.sql.DataSource;

import dk.ipsbridge.store.SettableClock;
import dk.ipsbridge.store.TestDatabases;
import dk.ipsbridge.store.TestDatabases.Kind;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A ledger over a fresh database, wired as the application wires it, with keys generated once per test run. Public for
 * the benchmarks ({@code dk.ipsbridge.bench}).
 */
public final class TestLedgers {

    public static final LedgerKeyTool.GeneratedKeys KEYS = generateKeys();
    static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    private TestLedgers() {
    }

    /** Everything a test needs around one ledger. */
    public record Fixture(DataSource dataSource, Ledger ledger, LedgerVerifier verifier, LedgerExport export,
            LedgerRetention retention, TransactionTemplate transaction, JdbcTemplate jdbc, SettableClock clock,
            LedgerKeys keys) {
    }

    static Fixture create(Kind kind, int checkpointEveryEntries) {
        return create(TestDatabases.fresh(kind), settings(checkpointEveryEntries), LedgerKeys.load(KEYS.config()));
    }

    public static Fixture create(DataSource dataSource, LedgerProperties settings, LedgerKeys keys) {
        DataSourceTransactionManager transactions = new DataSourceTransactionManager(dataSource);
        SettableClock clock = new SettableClock(T0);
        return new Fixture(dataSource, new Ledger(dataSource, transactions, keys, settings, clock),
                new LedgerVerifier(dataSource, transactions, keys, settings, clock),
                new LedgerExport(dataSource, transactions, clock),
                new LedgerRetention(dataSource, transactions, settings, clock),
                new TransactionTemplate(transactions), new JdbcTemplate(dataSource), clock, keys);
    }

    public static LedgerProperties settings(int checkpointEveryEntries) {
        return new LedgerProperties(Period.ofYears(10), checkpointEveryEntries, Duration.ofMinutes(5), 50,
                KEYS.config());
    }

    /** A realistic entry; every third without a CPR number, every tenth an officer search, fields varying with i. */
    public static LedgerEntry entry(int i, Instant time) {
        String decision = i % 10 == 9 ? LedgerEntry.OFFICER_SEARCH
                : List.of(LedgerEntry.SHARED, LedgerEntry.HELD, LedgerEntry.WITHDRAWN).get(i % 3);
        return LedgerEntry.builder().time(time).decision(decision)
                .reason(decision.equals(LedgerEntry.SHARED) ? null : "consent-withdrawn")
                .source("ehr-main", "Patient/p" + (i % 17)).recipient("jobcenter-aarhus", "case" + (char) ('a' + i % 26))
                .consultantRef(i % 2 == 0 ? "Practitioner/c" + i % 5 : null).consent("Consent/k" + i % 17, "" + (1 + i % 3))
                .purpose("ips-employment-support")
                .categories(decision.equals(LedgerEntry.SHARED) ? List.of("citizen", "employment-goal") : List.of())
                .payloadSha256(decision.equals(LedgerEntry.HELD) ? null : sha256Hex("payload " + i))
                .correlationId("corr-" + i).actor(decision.equals(LedgerEntry.OFFICER_SEARCH) ? "officer" + i % 3 : null)
                .cpr(i % 3 == 2 ? null : cpr(i % 17)).build();
    }

    /** A synthetic CPR number per patient. */
    static String cpr(int patient) {
        return String.format("%02d0190%04d", 1 + patient % 28, 1000 + patient);
    }

    static String sha256Hex(String text) {
        return java.util.HexFormat.of().formatHex(Merkle.sha256().digest(text.getBytes(
                java.nio.charset.StandardCharsets.UTF_8)));
    }

    private static LedgerKeyTool.GeneratedKeys generateKeys() {
        try {
            return LedgerKeyTool.generate(Files.createTempDirectory("ledger-test-keys"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
