package dk.ipsbridge.ledger;

import java.io.UncheckedIOException;
import java.time.Clock;

import javax.sql.DataSource;

import dk.ipsbridge.keys.AtRest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/** The ledger's beans, from {@code ips.ledger.*}. */
@Configuration(proxyBeanMethods = false)
class LedgerConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(LedgerConfiguration.class);

    /** Refuses to start without every key, rather than start and fail every decision. */
    @Bean
    LedgerKeys ledgerKeys(LedgerProperties properties) {
        LedgerKeys keys;
        try {
            keys = LedgerKeys.load(properties.keys());
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw LedgerKeyCheck.unusable(e);
        }
        LedgerKeyCheck.requireComplete(keys);
        LOG.info("Ledger signs checkpoints with key {}", keys.signingKeyId());
        return keys;
    }

    /** Seals the personal data kept outside the ledger: failed records' originals and outbox payloads. */
    @Bean
    AtRest atRest(LedgerKeys keys) {
        return keys.atRest();
    }

    /** Refuses to extend a ledger that was written with other keys; so after the migrations. */
    @Bean
    @DependsOnDatabaseInitialization
    Ledger ledger(DataSource dataSource, PlatformTransactionManager transactions, LedgerKeys keys,
            LedgerProperties properties, Clock clock) {
        LedgerKeyCheck.requireMatching(new JdbcTemplate(dataSource), keys);
        return new Ledger(dataSource, transactions, keys, properties, clock);
    }

    @Bean
    LedgerVerifier ledgerVerifier(DataSource dataSource, PlatformTransactionManager transactions, LedgerKeys keys,
            LedgerProperties properties, Clock clock) {
        return new LedgerVerifier(dataSource, transactions, keys, properties, clock);
    }

    @Bean
    LedgerExport ledgerExport(DataSource dataSource, PlatformTransactionManager transactions, Clock clock) {
        return new LedgerExport(dataSource, transactions, clock);
    }

    @Bean
    LedgerRetention ledgerRetention(DataSource dataSource, PlatformTransactionManager transactions,
            LedgerProperties properties, Clock clock) {
        return new LedgerRetention(dataSource, transactions, properties, clock);
    }
}
