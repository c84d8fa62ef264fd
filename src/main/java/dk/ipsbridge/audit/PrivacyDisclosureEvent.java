package dk.ipsbridge.audit;

import static dk.ipsbridge.audit.AuditParts.DCM;
import static dk.ipsbridge.audit.AuditParts.ENTITY_TYPE;
import static dk.ipsbridge.audit.AuditParts.OBJECT_ROLE;
import static dk.ipsbridge.audit.AuditParts.PAYLOAD_SHA256_SYSTEM;
import static dk.ipsbridge.patient.IpsCodes.CATEGORY_SYSTEM;

import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventEntityComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;

/**
 * A shared case record as BALP {@code PrivacyDisclosure.Source}: the region's adapter disclosed the patient's data to
 * the jobcenter. The data entity names the payload by its SHA-256 and labels it with the categories sent.
 */
final class PrivacyDisclosureEvent {

    static final String PROFILE = "PrivacyDisclosure.Source";

    private static final String LIFECYCLE = "http://terminology.hl7.org/CodeSystem/iso-21089-lifecycle";
    private static final String SNOMED = "http://snomed.info/sct";

    private PrivacyDisclosureEvent() {
    }

    static AuditEvent from(AuditFact fact, AuditParts parts) {
        AuditEvent event = parts.event(fact, "disclosure", PROFILE, AuditEventAction.R,
                new Coding(DCM, "110106", "Export"),
                new Coding(LIFECYCLE, "disclose", "Disclose Record Lifecycle Event"));
        event.setOutcome(AuditEventOutcome._0);

        // the source must be the observer (val-audit-source): the adapter sends on the region's behalf
        event.addAgent(parts.adapterAgent(new Coding(DCM, "110153", "Source Role ID")));
        event.addAgent(AuditParts.agent(new Coding(DCM, "110152", "Destination Role ID"), AuditParts.jobcenter(fact),
                false).setNetwork(parts.jobcenterNetwork(fact)));
        event.addAgent(AuditParts.agent(new Coding(SNOMED, "159541003", "Records custodian"), parts.region(), false));
        if (fact.consultantReference() != null) {
            event.addAgent(AuditParts.agent(AuditParts.informationRecipient(),
                    parts.ehrResource(fact.sourceId(), fact.consultantReference()), false));
        }

        event.addEntity(parts.patient(fact));
        event.addEntity(data(fact));
        if (fact.consentId() != null) {
            event.addEntity(parts.consent(fact));
        }
        AuditParts.addTransaction(event, fact);
        return event;
    }

    private static AuditEventEntityComponent data(AuditFact fact) {
        AuditEventEntityComponent data = new AuditEventEntityComponent()
                .setType(new Coding(ENTITY_TYPE, "2", "System Object"))
                .setRole(new Coding(OBJECT_ROLE, "3", "Report"))
                .setDescription("IPS case record");
        if (fact.payloadSha256() != null) {
            data.setWhat(new Reference().setIdentifier(
                    new Identifier().setSystem(PAYLOAD_SHA256_SYSTEM).setValue(fact.payloadSha256())));
        }
        fact.categories().forEach(code -> data.addSecurityLabel(new Coding(CATEGORY_SYSTEM, code, null)));
        return data;
    }
}
