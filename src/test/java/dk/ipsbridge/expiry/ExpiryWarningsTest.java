package dk.ipsbridge.expiry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.List;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dk.ipsbridge.config.IpsProperties;
import dk.ipsbridge.store.TestDatabases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Which shared cases are listed as lapsing soon: a case whose consent's last day is at most
 * {@code expiry-warning-days} days after today (Danish time) is listed, with the days left; the scan records each once.
 */
class ExpiryWarningsTest {

    /** 11:00 Danish time on 23 November 2026. */
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final LocalDate TODAY = LocalDate.parse("2026-11-23");
    private static final int WARNING_DAYS = 30;

    private final JdbcClient jdbc = JdbcClient.create(TestDatabases.fresh(TestDatabases.Kind.H2));
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private ExpiryWarnings warnings = warnings(Clock.fixed(T0, ZoneOffset.UTC));

    private ExpiryWarnings warnings(Clock at) {
        meters.clear();
        return new ExpiryWarnings(jdbc, at, properties(WARNING_DAYS), meters);
    }

    private static IpsProperties properties(int warningDays) {
        return new IpsProperties("DK-82",
                List.of(new IpsProperties.Source("ehr", URI.create("http://ehr.invalid/fhir"), Duration.ofSeconds(30),
                        100)),
                List.of(new IpsProperties.Jobcenter("jc-a", "Jobcenter A", URI.create("http://jc-a.invalid/api"),
                        List.of("urn:oid:1.2.208.176.1.1|100000001"))),
                new IpsProperties.Consent(Period.ofMonths(12), warningDays));
    }

    /** A case as the review stores it; {@code expiresOn} is only set for a shared case. */
    private void caseOf(String caseId, String state, LocalDate expiresOn) {
        jdbc.sql("""
                insert into ips_case (source_id, patient_id, recipient, case_id, state, reason, consent_id,
                  consent_version, categories, revision, updated_at, consent_expires_on)
                values ('ehr', ?, 'jc-a', ?, ?, ?, ?, '2', 'contact', 1, ?, ?)
                """).params("p-" + caseId, caseId, state, state.equals("shared") ? null : "consent-withdrawn",
                "k-" + caseId, OffsetDateTime.ofInstant(T0, ZoneOffset.UTC), expiresOn).update();
    }

    private List<String> listed() {
        return warnings.expiring().stream().map(ExpiryWarnings.Expiring::caseId).toList();
    }

    private double gauge() {
        return meters.get(ExpiryWarnings.METRIC).gauge().value();
    }

    @Test
    void shouldListASharedCaseWhoseConsentLapsesWithinTheWindowWithItsDaysLeft() {
        caseOf("case-a", "shared", TODAY.plusDays(10));

        assertThat(warnings.expiring()).singleElement().satisfies(e -> {
            assertThat(e.caseId()).isEqualTo("case-a");
            assertThat(e.sourceId()).isEqualTo("ehr");
            assertThat(e.patientReference()).isEqualTo("Patient/p-case-a");
            assertThat(e.recipient()).isEqualTo("jc-a");
            assertThat(e.consentId()).isEqualTo("k-case-a");
            assertThat(e.consentVersion()).isEqualTo("2");
            assertThat(e.expiresOn()).isEqualTo(TODAY.plusDays(10));
            assertThat(e.daysLeft()).isEqualTo(10);
            assertThat(e.noticedAt()).isNull();
        });
    }

    @Test
    void shouldNotListACaseWhoseConsentLapsesAfterTheWindow() {
        caseOf("case-far", "shared", TODAY.plusDays(200));

        assertThat(warnings.expiring()).isEmpty();
        assertThat(gauge()).isZero();
    }

    @Test
    void shouldListACaseLapsingExactlyAtTheWindowEdgeButNotOneDayLater() {
        // the rule: listed while the last day is at most warning-days after today, so with 30 days left
        caseOf("case-edge", "shared", TODAY.plusDays(WARNING_DAYS));
        caseOf("case-outside", "shared", TODAY.plusDays(WARNING_DAYS + 1));

        assertThat(warnings.expiring()).extracting(ExpiryWarnings.Expiring::caseId, ExpiryWarnings.Expiring::daysLeft)
                .containsExactly(tuple("case-edge", (long) WARNING_DAYS));
        assertThat(gauge()).isEqualTo(1.0);
    }

    @Test
    void shouldListACaseWhoseLastDayIsTodayWithNoDaysLeft() {
        caseOf("case-today", "shared", TODAY);

        assertThat(warnings.expiring()).extracting(ExpiryWarnings.Expiring::daysLeft).containsExactly(0L);
    }

    @Test
    void shouldNotListAWithdrawnOrHeldCaseEvenWhenItsConsentDateIsInTheWindow() {
        caseOf("case-withdrawn", "withdrawn", TODAY.plusDays(5));
        caseOf("case-held", "held", TODAY.plusDays(5));
        caseOf("case-shared", "shared", TODAY.plusDays(5));

        assertThat(listed()).containsExactly("case-shared");
        assertThat(gauge()).isEqualTo(1.0);
        assertThat(warnings.scan()).isEqualTo(1);
        assertThat(jdbc.sql("select case_id from ips_case where expiry_noticed_at is not null").query(String.class)
                .list()).containsExactly("case-shared");
    }

    @Test
    void shouldNotListASharedCaseWithoutAnExpiryDate() {
        caseOf("case-undated", "shared", null);

        assertThat(warnings.expiring()).isEmpty();
        assertThat(gauge()).isZero();
    }

    @Test
    void shouldListSoonestFirst() {
        caseOf("case-late", "shared", TODAY.plusDays(20));
        caseOf("case-soon", "shared", TODAY.plusDays(2));
        caseOf("case-mid", "shared", TODAY.plusDays(9));

        assertThat(listed()).containsExactly("case-soon", "case-mid", "case-late");
    }

    @Test
    void shouldShowTheNumberOfCasesInTheWindowAsTheGaugeOnEveryRead() {
        caseOf("case-a", "shared", TODAY.plusDays(3));
        caseOf("case-b", "shared", TODAY.plusDays(WARNING_DAYS));
        caseOf("case-c", "shared", TODAY.plusDays(WARNING_DAYS + 1));

        assertThat(gauge()).isEqualTo(2.0);

        jdbc.sql("update ips_case set state = 'withdrawn' where case_id = 'case-a'").update();

        assertThat(gauge()).isEqualTo(1.0); // the current state, not what the scan saw
    }

    @Nested
    class Scan {

        private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
        private final Logger logger = (Logger) LoggerFactory.getLogger(ExpiryWarnings.class);

        Scan() {
            lines.start();
            logger.addAppender(lines);
        }

        @AfterEach
        void detach() {
            logger.detachAppender(lines);
        }

        @Test
        void shouldRecordEachCaseOnceAndThenFindNothingNew() {
            caseOf("case-a", "shared", TODAY.plusDays(3));
            caseOf("case-b", "shared", TODAY.plusDays(12));
            caseOf("case-far", "shared", TODAY.plusDays(90));

            assertThat(warnings.scan()).isEqualTo(2);
            assertThat(warnings.scan()).isZero();

            assertThat(warnings.expiring()).extracting(ExpiryWarnings.Expiring::caseId,
                    ExpiryWarnings.Expiring::noticedAt).containsExactly(
                            tuple("case-a", OffsetDateTime.ofInstant(T0, ZoneOffset.UTC)),
                            tuple("case-b", OffsetDateTime.ofInstant(T0, ZoneOffset.UTC)));
            assertThat(jdbc.sql("select count(*) from ips_case where case_id = 'case-far' "
                    + "and expiry_noticed_at is null").query(Long.class).single()).isEqualTo(1L);
            assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage).hasSize(2)
                    .anySatisfy(line -> assertThat(line).contains("case=case-a").contains("(3 days)"))
                    .anySatisfy(line -> assertThat(line).contains("case=case-b").contains("(12 days)"))
                    .allSatisfy(line -> assertThat(line).doesNotContain("p-case")); // by case id, no patient
        }

        @Test
        void shouldRecordACaseThatEntersTheWindowLaterOnALaterScanOnly() {
            caseOf("case-a", "shared", TODAY.plusDays(3));
            caseOf("case-b", "shared", TODAY.plusDays(WARNING_DAYS + 5));
            assertThat(warnings.scan()).isEqualTo(1);

            Instant fiveDaysLater = T0.plus(Duration.ofDays(5));
            warnings = warnings(Clock.fixed(fiveDaysLater, ZoneOffset.UTC));

            assertThat(warnings.scan()).isEqualTo(1);
            assertThat(warnings.scan()).isZero();
            assertThat(warnings.expiring()).extracting(ExpiryWarnings.Expiring::caseId,
                    ExpiryWarnings.Expiring::noticedAt).containsExactly(
                            tuple("case-a", OffsetDateTime.ofInstant(T0, ZoneOffset.UTC)),
                            tuple("case-b", OffsetDateTime.ofInstant(fiveDaysLater, ZoneOffset.UTC)));
        }

        @Test
        void shouldFindNothingToRecordWhenNoCaseIsInTheWindow() {
            caseOf("case-far", "shared", TODAY.plusDays(WARNING_DAYS + 1));

            assertThat(warnings.scan()).isZero();
            assertThat(lines.list).isEmpty();
        }
    }

    /** Days count in Danish time: the adapter's clock is UTC, the consent's last day is a Danish date. */
    @Nested
    class DanishTime {

        @Test
        void shouldCountFromTheDanishDateJustAfterDanishMidnight() {
            // 00:30 on 24 November in Copenhagen, still 23 November in UTC
            warnings = warnings(Clock.fixed(Instant.parse("2026-11-23T23:30:00Z"), ZoneOffset.UTC));
            caseOf("case-edge", "shared", LocalDate.parse("2026-12-24")); // 30 Danish days ahead, 31 UTC days

            assertThat(warnings.expiring()).extracting(ExpiryWarnings.Expiring::daysLeft).containsExactly(30L);
            assertThat(gauge()).isEqualTo(1.0);
        }

        @Test
        void shouldNotYetListTheCaseJustBeforeDanishMidnight() {
            // 23:30 on 23 November in Copenhagen (winter time, UTC+1)
            warnings = warnings(Clock.fixed(Instant.parse("2026-11-23T22:30:00Z"), ZoneOffset.UTC));
            caseOf("case-edge", "shared", LocalDate.parse("2026-12-24"));

            assertThat(warnings.expiring()).isEmpty();
            assertThat(gauge()).isZero();
        }

        @Test
        void shouldCountDaysAcrossTheChangeToSummerTimeByCalendarDay() {
            // 23:30 on 28 March 2027 in Copenhagen (summer time began that night, UTC+2)
            warnings = warnings(Clock.fixed(Instant.parse("2027-03-28T21:30:00Z"), ZoneOffset.UTC));
            caseOf("case-a", "shared", LocalDate.parse("2027-03-29"));

            assertThat(warnings.expiring()).extracting(ExpiryWarnings.Expiring::daysLeft).containsExactly(1L);
        }
    }
}
