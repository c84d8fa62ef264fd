package dk.ipsbridge.ledger;

import java.time.Clock;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/** The ledger's beans, from {@code ips.ledger.*}. */
@Configuration(proxyBeanMethods = false)
class LedgerConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(LedgerConfiguration.class);

    @Bean
    LedgerKeys ledgerKeys(LedgerProperties properties) {
        LedgerKeys keys = LedgerKeys.load(properties.keys());
        if (keys.complete()) {
            LOG.info("Ledger signs checkpoints with key {}", keys.signingKeyId());
        } else {
            LOG.warn("Ledger keys are not configured (ips.ledger.keys.*): appends and checkpoints will fail, "
                    + "and with them every decision, until they are");
        }
        return keys;
    }

    @Bean
    Ledger ledger(DataSource dataSource, PlatformTransactionManager transactions, LedgerKeys keys,
            LedgerProperties properties, Clock clock) {
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
