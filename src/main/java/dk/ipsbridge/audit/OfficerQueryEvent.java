package dk.ipsbridge.audit;

import static dk.ipsbridge.audit.AuditParts.DCM;
import static dk.ipsbridge.audit.AuditParts.EHR_SOURCE_SYSTEM;
import static dk.ipsbridge.audit.AuditParts.ENTITY_TYPE;
import static dk.ipsbridge.audit.AuditParts.OBJECT_ROLE;
import static dk.ipsbridge.audit.AuditParts.OFFICER_SYSTEM;
import static dk.ipsbridge.patient.IpsCodes.CPR_SYSTEM;

import java.nio.charset.StandardCharsets;

import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventEntityComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;

/**
 * A consent officer's preview by CPR as BALP {@code PatientQuery} (or {@code Query} when the fact names no patient):
 * the adapter searched an EHR source for the patient with that CPR number, on the officer's request.
 */
final class OfficerQueryEvent {

    static final String PATIENT_QUERY_PROFILE = "PatientQuery";
    static final String QUERY_PROFILE = "Query";

    private static final String AUDIT_EVENT_TYPE = "http://terminology.hl7.org/CodeSystem/audit-event-type";
    private static final String RESTFUL_INTERACTION = "http://hl7.org/fhir/restful-interaction";

    private OfficerQueryEvent() {
    }

    static AuditEvent from(AuditFact fact, AuditParts parts) {
        boolean aboutPatient = fact.cpr() != null || fact.patientReference() != null;
        AuditEvent event = parts.event(fact, "query", aboutPatient ? PATIENT_QUERY_PROFILE : QUERY_PROFILE,
                AuditEventAction.E, new Coding(AUDIT_EVENT_TYPE, "rest", "Restful Operation"),
                new Coding(RESTFUL_INTERACTION, "search-type", "search type"));
        event.setOutcome(AuditEventOutcome._0);

        event.addAgent(parts.adapterAgent(new Coding(DCM, "110153", "Source Role ID")));
        Reference ehr = fact.sourceId() == null ? new Reference().setDisplay("every EHR source")
                : new Reference().setIdentifier(
                        new Identifier().setSystem(EHR_SOURCE_SYSTEM).setValue(fact.sourceId()));
        event.addAgent(AuditParts.agent(new Coding(DCM, "110152", "Destination Role ID"), ehr, false)
                .setNetwork(parts.ehrNetwork(fact.sourceId())));
        Reference officer = fact.actor() == null ? new Reference().setDisplay("unknown officer")
                : new Reference().setIdentifier(new Identifier().setSystem(OFFICER_SYSTEM).setValue(fact.actor()));
        event.addAgent(AuditParts.agent(AuditParts.informationRecipient(), officer, true));

        event.addEntity(query(fact));
        if (aboutPatient) {
            event.addEntity(parts.patient(fact));
        }
        AuditParts.addTransaction(event, fact);
        return event;
    }

    /** The search the preview sends (as POST {@code _search}), written as a FHIR search; no CPR when it is redacted. */
    private static AuditEventEntityComponent query(AuditFact fact) {
        String search = "Patient?identifier=" + CPR_SYSTEM + "|" + (fact.cpr() == null ? "[redacted]" : fact.cpr());
        return new AuditEventEntityComponent()
                .setType(new Coding(ENTITY_TYPE, "2", "System Object"))
                .setRole(new Coding(OBJECT_ROLE, "24", "Query"))
                .setQuery(search.getBytes(StandardCharsets.UTF_8));
    }
}
