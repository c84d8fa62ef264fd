package dk.ipsbridge.expiry;

import static dk.ipsbridge.config.Times.utc;

import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;

import dk.ipsbridge.config.IpsProperties;
import dk.ipsbridge.patient.IpsCodes;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Shared cases whose consent lapses soon, so that the treatment team can ask the citizen to renew it before sharing
 * stops. The first time the scan sees a case inside the warning window it records when ({@code expiry_noticed_at})
 * and logs it by case id; the list and the gauge {@value #METRIC} always show the current state.
 */
@Component
public class ExpiryWarnings {

    static final String METRIC = "ips.consents.expiring";
    private static final Logger log = LoggerFactory.getLogger(ExpiryWarnings.class);

    private final JdbcClient jdbc;
    private final Clock clock;
    private final int warningDays;

    ExpiryWarnings(JdbcClient jdbc, Clock clock, IpsProperties properties, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.warningDays = properties.consent().expiryWarningDays();
        Gauge.builder(METRIC, this, ExpiryWarnings::count)
                .description("Shared cases whose consent lapses within the warning window").register(meters);
    }

    /**
     * One shared case whose consent lapses soon; by ids only.
     *
     * @param expiresOn the last day the consent allows sharing, as sent to the jobcenter
     * @param noticedAt when the scan first listed it, or null when not yet scanned
     */
    public record Expiring(String sourceId, String patientReference, String recipient, String caseId,
            String consentId, String consentVersion, LocalDate expiresOn, long daysLeft, OffsetDateTime noticedAt) {
    }

    /** How many shared cases lapse within the warning window (the gauge, read on every scrape). */
    long count() {
        return jdbc.sql("select count(*) from ips_case where state = 'shared' and consent_expires_on <= ?")
                .param(today().plusDays(warningDays)).query(Long.class).single();
    }

    private LocalDate today() {
        return LocalDate.now(clock.withZone(IpsCodes.DANISH_TIME));
    }

    /** Every shared case whose consent lapses within the warning window, soonest first. */
    public List<Expiring> expiring() {
        LocalDate today = today();
        return jdbc.sql("""
                select source_id, patient_id, recipient, case_id, consent_id, consent_version, consent_expires_on,
                       expiry_noticed_at
                from ips_case where state = 'shared' and consent_expires_on <= ?
                order by consent_expires_on, case_id
                """).param(today.plusDays(warningDays))
                .query((rs, n) -> {
                    LocalDate expiresOn = rs.getObject(7, LocalDate.class);
                    return new Expiring(rs.getString(1), "Patient/" + rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getString(6), expiresOn,
                            ChronoUnit.DAYS.between(today, expiresOn), rs.getObject(8, OffsetDateTime.class));
                }).list();
    }

    /** Records and logs the cases that entered the warning window since the last scan; returns how many. */
    @Transactional
    public int scan() {
        int noticed = 0;
        for (Expiring e : expiring()) {
            if (e.noticedAt() == null) {
                jdbc.sql("update ips_case set expiry_noticed_at = ? where case_id = ? and expiry_noticed_at is null")
                        .params(utc(clock.instant()), e.caseId()).update();
                log.warn("case={} recipient={} consent={} lapses on {} ({} days): renew the consent to keep sharing",
                        e.caseId(), e.recipient(), e.consentId(), e.expiresOn(), e.daysLeft());
                noticed++;
            }
        }
        return noticed;
    }
}
