package dk.ipsbridge.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Period;

import dk.ipsbridge.config.RefusedStart;
import dk.ipsbridge.store.TestDatabases;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The ledger as Spring wires it from {@code ips.ledger.*}, in the application's transactions. */
class LedgerWiringTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                    DataSourceTransactionManagerAutoConfiguration.class, FlywayAutoConfiguration.class))
            .withUserConfiguration(Wiring.class, LedgerConfiguration.class)
            .withPropertyValues("spring.datasource.url=" + TestDatabases.h2Url());

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(LedgerProperties.class)
    static class Wiring {
        @Bean
        Clock clock() {
            return Clock.systemUTC();
        }
    }

    @Test
    void shouldBindDefaultsAndKeyFilesAndAppendInTheApplicationsTransaction() {
        runner.withPropertyValues(TestLedgers.KEYS.properties().toArray(String[]::new)).run(context -> {
            LedgerProperties properties = context.getBean(LedgerProperties.class);
            assertThat(properties.retention()).isEqualTo(Period.ofYears(10));
            assertThat(properties.checkpointEveryEntries()).isEqualTo(1000);
            assertThat(properties.checkpointEvery()).isEqualTo(Duration.ofMinutes(5));
            assertThat(context.getBean(LedgerKeys.class).complete()).isTrue();

            Ledger ledger = context.getBean(Ledger.class);
            TransactionTemplate transaction = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
            assertThatThrownBy(() -> transaction.executeWithoutResult(status -> {
                ledger.append(TestLedgers.entry(0, TestLedgers.T0));
                throw new IllegalStateException("rolled back");
            })).hasMessage("rolled back");
            transaction.executeWithoutResult(status -> ledger.append(TestLedgers.entry(1, TestLedgers.T0)));

            assertThat(ledger.size()).isEqualTo(1);
            assertThat(ledger.checkpoint()).isPresent();
            assertThat(context.getBean(LedgerVerifier.class).verify().findings()).isEmpty();
            assertThat(ledger.findByCpr(TestLedgers.cpr(1))).hasSize(1);
        });
    }

    @Test
    void shouldTakeTheCprKeysFromTheEnvironmentAndRetiredKeysFromAList() throws IOException {
        LedgerKeyTool.GeneratedKeys retired = LedgerKeyTool.generate(Files.createTempDirectory("retired"));
        runner.withPropertyValues("ips.ledger.keys.signing-key-file=" + TestLedgers.KEYS.signingKey(),
                "ips.ledger.keys.verification-key-files[0]=" + retired.verificationKey(),
                "ips.ledger.keys.cpr-hash-key=" + Files.readString(TestLedgers.KEYS.cprHashKey()).strip(),
                "ips.ledger.keys.cpr-encryption-key=" + Files.readString(TestLedgers.KEYS.cprEncryptionKey()).strip(),
                "ips.ledger.retention=P5Y").run(context -> {
                    LedgerKeys keys = context.getBean(LedgerKeys.class);
                    assertThat(keys.complete()).isTrue();
                    assertThat(keys.verification()).hasSize(2);
                    assertThat(context.getBean(LedgerProperties.class).retention()).isEqualTo(Period.ofYears(5));
                    assertThat(context.getBean(LedgerProperties.class).keys().toString()).doesNotContain(
                            Files.readString(TestLedgers.KEYS.cprHashKey()).strip());
                });
    }

    @Test
    void shouldRefuseToStartWithoutKeysNamingTheSettingsAndTheInitCommand() {
        runner.withPropertyValues("ips.ledger.keys.signing-key-file=" + TestLedgers.KEYS.signingKey())
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .isInstanceOf(RefusedStart.class)
                        .hasMessageContaining("ips.ledger.keys.cpr-hash-key-file")
                        .hasMessageContaining("ips.ledger.keys.cpr-encryption-key-file")
                        .hasMessageNotContaining("signing-key-file")
                        .satisfies(e -> assertThat(((RefusedStart) e).action()).contains("init --dir DIR")));
    }

    @Test
    void shouldRefuseToExtendALedgerWrittenWithOtherKeys() throws IOException {
        String db = TestDatabases.h2Url();
        runner.withPropertyValues("spring.datasource.url=" + db)
                .withPropertyValues(TestLedgers.KEYS.properties().toArray(String[]::new)).run(context -> {
                    context.getBean(Ledger.class).append(TestLedgers.entry(1, TestLedgers.T0));
                    assertThat(context.getBean(Ledger.class).checkpoint()).isPresent();
                });
        LedgerKeyTool.GeneratedKeys other = LedgerKeyTool.generate(Files.createTempDirectory("other-keys"));
        String cprHash = "ips.ledger.keys.cpr-hash-key-file=" + TestLedgers.KEYS.cprHashKey();
        String cprEncryption = "ips.ledger.keys.cpr-encryption-key-file=" + TestLedgers.KEYS.cprEncryptionKey();

        runner.withPropertyValues("spring.datasource.url=" + db)
                .withPropertyValues("ips.ledger.keys.signing-key-file=" + other.signingKey(), cprHash, cprEncryption)
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .isInstanceOf(RefusedStart.class).hasMessageContaining("checkpoints signed by key")
                        .hasMessageContaining("ips.ledger.keys.verification-key-files"));
        runner.withPropertyValues("spring.datasource.url=" + db)
                .withPropertyValues("ips.ledger.keys.signing-key-file=" + other.signingKey(),
                        "ips.ledger.keys.verification-key-files[0]=" + TestLedgers.KEYS.verificationKey(), cprHash,
                        cprEncryption)
                .run(context -> assertThat(context).as("a rotated signing key").hasNotFailed());
        runner.withPropertyValues("spring.datasource.url=" + db).withPropertyValues(
                        "ips.ledger.keys.signing-key-file=" + TestLedgers.KEYS.signingKey(), cprHash,
                        "ips.ledger.keys.cpr-encryption-key-file=" + other.cprEncryptionKey())
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .isInstanceOf(RefusedStart.class)
                        .hasMessageContaining("ips.ledger.keys.cpr-encryption-key-file")
                        .hasMessageNotContaining(TestLedgers.cpr(1)));
        runner.withPropertyValues("spring.datasource.url=" + db).withPropertyValues(
                        "ips.ledger.keys.signing-key-file=" + TestLedgers.KEYS.signingKey(),
                        "ips.ledger.keys.cpr-hash-key-file=" + other.cprHashKey(), cprEncryption)
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .isInstanceOf(RefusedStart.class)
                        .hasMessageContaining("ips.ledger.keys.cpr-hash-key-file")
                        .hasMessageNotContaining(TestLedgers.cpr(1)));
    }

    @Test
    void shouldRefuseToStartWithAKeyFileThatCannotBeRead() {
        runner.withPropertyValues("ips.ledger.keys.signing-key-file=/nonexistent/key.pem")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("/nonexistent/key.pem"));
    }
}
