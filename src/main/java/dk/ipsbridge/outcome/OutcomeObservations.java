package dk.ipsbridge.outcome;

import java.time.ZoneId;
import java.util.Date;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import ca.uhn.fhir.rest.param.ParameterUtil;
import ca.uhn.fhir.util.UrlUtil;
import dk.ipsbridge.patient.IpsCodes;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;

/**
 * An outcome event as the EHR contract records it: an Observation identified by {@code <jobcenter id>:<event id>}
 * (C16: event ids are unique per jobcenter only).
 */
final class OutcomeObservations {

    static final String EVENT_SYSTEM = "http://ipsbridge.dk/fhir/sid/jobcenter-event";
    static final String OUTCOME_SYSTEM = "http://ipsbridge.dk/fhir/CodeSystem/ips-outcome";
    private static final String LOINC = "http://loinc.org";
    private static final String EMPLOYMENT_STATUS = "67875-5";

    private OutcomeObservations() {
    }

    static Observation toObservation(String jobcenterId, OutcomeEvent event, String patientReference) {
        Observation o = new Observation();
        o.addIdentifier().setSystem(EVENT_SYSTEM).setValue(identifierValue(jobcenterId, event.eventId()));
        o.setStatus(Observation.ObservationStatus.FINAL);
        o.setCode(event.isEmploymentStatus()
                ? new CodeableConcept(new Coding(LOINC, EMPLOYMENT_STATUS, "Employment status - current"))
                : new CodeableConcept(new Coding(IpsCodes.IPS_SYSTEM, "ips-milestone", "IPS milestone")));
        o.setSubject(new Reference(patientReference));
        o.setEffective(new DateTimeType(Date.from(event.occurredOn().atStartOfDay(ZoneId.of("Europe/Copenhagen"))
                .toInstant()), TemporalPrecisionEnum.DAY));
        o.setValue(new CodeableConcept(new Coding(OUTCOME_SYSTEM, event.type(), null)));
        if (event.hoursPerWeek() != null) {
            o.addComponent().setCode(new CodeableConcept(new Coding(OUTCOME_SYSTEM, "hours-per-week", null)))
                    .setValue(new Quantity().setValue(event.hoursPerWeek()).setUnit("h/wk")
                            .setSystem("http://unitsofmeasure.org").setCode("h/wk"));
        }
        return o;
    }

    /** C16: the Observation's identifier value for an event of a jobcenter. */
    static String identifierValue(String jobcenterId, String eventId) {
        return jobcenterId + ":" + eventId;
    }

    /** The {@code identifier} search token for an event's Observation, FHIR-escaped but not URL-encoded. */
    static String identifierToken(String jobcenterId, String eventId) {
        return EVENT_SYSTEM + "|" + ParameterUtil.escape(identifierValue(jobcenterId, eventId));
    }

    /**
     * The conditional-create criteria that make a replayed event a no-op: a query string, URL-encoded, so that
     * whatever the value holds stays one {@code identifier} parameter.
     */
    static String ifNoneExist(String jobcenterId, String eventId) {
        return "identifier=" + UrlUtil.escapeUrlParam(identifierToken(jobcenterId, eventId));
    }
}
