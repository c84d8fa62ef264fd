package dk.ipsbridge.consent;

import java.time.Instant;
import java.util.Optional;

import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;

/**
 * When a resource's data came about, which is what a provision's {@code dataPeriod} is compared with. R4 leaves the
 * choice to the implementer; this one takes the element a clinician would date the fact by:
 * <ul>
 * <li>Condition: {@code recordedDate}, else {@code onset} (dateTime, or the start of an onset Period);</li>
 * <li>Appointment: {@code start};</li>
 * <li>Goal: {@code startDate}, else {@code statusDate};</li>
 * <li>ServiceRequest: {@code authoredOn};</li>
 * <li>EpisodeOfCare and CareTeam: {@code period.start};</li>
 * <li>Observation: {@code effective} (dateTime, instant, or the start of a Period).</li>
 * </ul>
 * Other resources, the Patient among them, have no clinical time. A partial date spans its whole year, month or day
 * in Danish time.
 */
final class ClinicalTime {

    /** The first and last instant a (possibly partial) date stands for. */
    record Span(Instant first, Instant last) {
    }

    private ClinicalTime() {
    }

    /** The clinical time of {@code resource}, empty when it has none or it cannot be read. */
    static Optional<Span> of(Resource resource) {
        try {
            return Optional.ofNullable(element(resource)).filter(BaseDateTimeType::hasValue)
                    .map(t -> new Span(FhirTime.first(t), FhirTime.last(t)));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static BaseDateTimeType element(Resource resource) {
        if (resource instanceof Condition c) {
            if (c.hasRecordedDate()) {
                return c.getRecordedDateElement();
            }
            return c.hasOnsetDateTimeType() ? c.getOnsetDateTimeType()
                    : c.hasOnsetPeriod() ? start(c.getOnsetPeriod()) : null;
        }
        if (resource instanceof Appointment a) {
            return a.hasStart() ? a.getStartElement() : null;
        }
        if (resource instanceof Goal g) {
            return g.hasStartDateType() ? g.getStartDateType() : g.hasStatusDate() ? g.getStatusDateElement() : null;
        }
        if (resource instanceof ServiceRequest sr) {
            return sr.hasAuthoredOn() ? sr.getAuthoredOnElement() : null;
        }
        if (resource instanceof EpisodeOfCare e) {
            return e.hasPeriod() ? start(e.getPeriod()) : null;
        }
        if (resource instanceof CareTeam t) {
            return t.hasPeriod() ? start(t.getPeriod()) : null;
        }
        if (resource instanceof Observation o) {
            if (o.hasEffectiveDateTimeType()) {
                return o.getEffectiveDateTimeType();
            }
            if (o.hasEffectiveInstantType()) {
                return o.getEffectiveInstantType();
            }
            return o.hasEffectivePeriod() ? start(o.getEffectivePeriod()) : null;
        }
        return null;
    }

    private static BaseDateTimeType start(Period period) {
        return period.hasStart() ? period.getStartElement() : null;
    }
}
