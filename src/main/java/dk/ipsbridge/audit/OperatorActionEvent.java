package dk.ipsbridge.audit;

import static dk.ipsbridge.audit.AuditParts.DCM;
import static dk.ipsbridge.audit.AuditParts.EHR_SOURCE_SYSTEM;
import static dk.ipsbridge.audit.AuditParts.ENTITY_TYPE;
import static dk.ipsbridge.audit.AuditParts.OBJECT_ROLE;
import static dk.ipsbridge.audit.AuditParts.SID;

import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventEntityComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;

/**
 * An operator's control action (delivery paused or resumed for a jobcenter, a resync of a citizen or a source) as an
 * application-activity AuditEvent: BALP has no profile for it, so it claims none. The operator is the requestor.
 */
final class OperatorActionEvent {

    static final String OPERATOR_SYSTEM = SID + "operator";
    static final String ACTION_SYSTEM = "http://ipsbridge.dk/fhir/CodeSystem/operator-action";

    private OperatorActionEvent() {
    }

    static AuditEvent from(AuditFact fact, AuditParts parts) {
        AuditEvent event = parts.event(fact, "control", null, AuditEventAction.E,
                new Coding(DCM, "110100", "Application Activity"), new Coding(ACTION_SYSTEM, fact.decision(), null));
        event.setOutcome(AuditEventOutcome._0);
        event.addAgent(parts.adapterAgent(new Coding(DCM, "110150", "Application")));
        Reference operator = new Reference().setIdentifier(new Identifier().setSystem(OPERATOR_SYSTEM)
                .setValue(fact.actor() == null ? "unknown" : fact.actor()));
        event.addAgent(AuditParts.agent(new Coding(DCM, "110151", "Application Launcher"), operator, true));
        if (fact.recipientId() != null) {
            event.addEntity(new AuditEventEntityComponent().setWhat(AuditParts.jobcenter(fact))
                    .setType(new Coding(ENTITY_TYPE, "2", "System Object"))
                    .setRole(new Coding(OBJECT_ROLE, "3", "Report")));
        }
        if (fact.sourceId() != null && fact.patientReference() == null) {
            event.addEntity(new AuditEventEntityComponent()
                    .setWhat(new Reference().setIdentifier(
                            new Identifier().setSystem(EHR_SOURCE_SYSTEM).setValue(fact.sourceId())))
                    .setType(new Coding(ENTITY_TYPE, "2", "System Object")));
        }
        if (fact.cpr() != null || fact.patientReference() != null) {
            event.addEntity(parts.patient(fact));
        }
        AuditParts.addTransaction(event, fact);
        return event;
    }
}
