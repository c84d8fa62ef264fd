package dk.ipsbridge.consent;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.Period;

/**
 * Reads FHIR dates as instants. A partial date ({@code 2025}, {@code 2025-06}, {@code 2025-06-30}) covers the whole
 * year, month or day in Danish time: a consent "valid until 2025-06-30" is valid all of that day.
 */
final class FhirTime {

    static final ZoneId COPENHAGEN = dk.ipsbridge.patient.IpsCodes.DANISH_TIME;

    private FhirTime() {
    }

    static Instant first(BaseDateTimeType t) {
        LocalDate day = partialStart(t);
        return day != null ? day.atStartOfDay(COPENHAGEN).toInstant() : t.getValue().toInstant();
    }

    static Instant last(BaseDateTimeType t) {
        LocalDate day = partialStart(t);
        if (day == null) {
            return t.getValue().toInstant();
        }
        LocalDate next = switch (t.getPrecision()) {
            case YEAR -> day.plusYears(1);
            case MONTH -> day.plusMonths(1);
            default -> day.plusDays(1);
        };
        return next.atStartOfDay(COPENHAGEN).toInstant().minusNanos(1);
    }

    /** The Danish calendar date of {@code t}; for a partial date, its last day. */
    static LocalDate lastDate(BaseDateTimeType t) {
        return last(t).atZone(COPENHAGEN).toLocalDate();
    }

    static LocalDate date(Instant instant) {
        return instant.atZone(COPENHAGEN).toLocalDate();
    }

    /** True when {@code now} lies in {@code period}; a missing period or bound is open. */
    static boolean covers(Period period, Instant now) {
        if (period == null) {
            return true;
        }
        if (period.hasStart() && now.isBefore(first(period.getStartElement()))) {
            return false;
        }
        return !(period.hasEnd() && now.isAfter(last(period.getEndElement())));
    }

    private static LocalDate partialStart(BaseDateTimeType t) {
        String text = t.getValueAsString();
        return switch (t.getPrecision()) {
            case YEAR -> LocalDate.of(Integer.parseInt(text.substring(0, 4)), 1, 1);
            case MONTH -> LocalDate.parse(text.substring(0, 7) + "-01");
            case DAY -> LocalDate.parse(text.substring(0, 10));
            default -> null;
        };
    }
}
