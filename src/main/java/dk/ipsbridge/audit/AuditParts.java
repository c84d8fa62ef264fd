package dk.ipsbridge.audit;

import static dk.ipsbridge.patient.IpsCodes.CPR_SYSTEM;
import static dk.ipsbridge.patient.IpsCodes.INFORMATION_RECIPIENT;
import static dk.ipsbridge.patient.IpsCodes.IPS_SYSTEM;
import static dk.ipsbridge.patient.IpsCodes.PARTICIPATION_TYPE_SYSTEM;
import static dk.ipsbridge.patient.IpsCodes.SOR_SYSTEM;

import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.UUID;

import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentNetworkComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentNetworkType;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventEntityComponent;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;

/**
 * The pieces every BALP event of the export is built from: the adapter, the region, the jobcenter, references into an
 * EHR source and the patient entity. References into an EHR are absolute when the source's base URL is known; an
 * AuditEvent lives apart from the EHR, so a relative {@code Patient/123} would resolve against the wrong server.
 */
final class AuditParts {

    static final String BALP_PROFILE = "https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.";
    static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";
    static final String ENTITY_TYPE = "http://terminology.hl7.org/CodeSystem/audit-entity-type";
    static final String OBJECT_ROLE = "http://terminology.hl7.org/CodeSystem/object-role";
    static final String BALP_ENTITY_TYPE = "https://profiles.ihe.net/ITI/BALP/CodeSystem/BasicAuditEntityType";
    static final String X_REQUEST_ID = "XrequestId";
    static final String RESOURCE_TYPES = "http://hl7.org/fhir/resource-types";

    /** Identifier systems of this adapter, for things that have no national identifier. */
    static final String SID = "http://ipsbridge.dk/fhir/sid/";
    static final String ADAPTER_SYSTEM = SID + "adapter";
    static final String JOBCENTER_SYSTEM = SID + "jobcenter";
    static final String EHR_SOURCE_SYSTEM = SID + "ehr-source";
    /** Followed by the source id: the system of a logical reference ({@code Consent/c1}) into that EHR source. */
    static final String EHR_REFERENCE_SYSTEM = SID + "ehr-reference/";
    static final String OFFICER_SYSTEM = SID + "officer";
    static final String PAYLOAD_SHA256_SYSTEM = SID + "payload-sha256";

    private static final String SOURCE_TYPE = "http://terminology.hl7.org/CodeSystem/security-source-type";
    private static final String DATA_ABSENT_REASON = "http://hl7.org/fhir/StructureDefinition/data-absent-reason";

    private final BalpExport.Settings settings;

    AuditParts(BalpExport.Settings settings) {
        this.settings = settings;
    }

    /**
     * An event with what every event of the export has: deterministic id ({@code ips-<sequence>-<kind>}), profile
     * (none when null), type and subtype, action, recorded, purpose, and the adapter as observer.
     */
    AuditEvent event(AuditFact fact, String kind, String profile, AuditEventAction action, Coding type,
            Coding subtype) {
        AuditEvent event = new AuditEvent();
        event.setId(id(fact, kind));
        if (profile != null) {
            event.getMeta().addProfile(BALP_PROFILE + profile);
        }
        event.setType(type).addSubtype(subtype);
        event.setAction(action);
        event.setRecorded(Date.from(fact.time()));
        if (fact.purpose() != null) {
            event.addPurposeOfEvent(new CodeableConcept(new Coding(IPS_SYSTEM, fact.purpose(), null)));
        }
        event.getSource().setSite(settings.regionName()).setObserver(adapter())
                .addType(new Coding(SOURCE_TYPE, "4", "Application Server"));
        return event;
    }

    static String id(AuditFact fact, String kind) {
        return "ips-" + fact.sequence() + "-" + kind;
    }

    /** A stable {@code urn:uuid} for an event, the same on every export of the same ledger by the same adapter. */
    String fullUrl(AuditEvent event) {
        String name = settings.adapterId() + "/AuditEvent/" + event.getIdElement().getIdPart();
        return "urn:uuid:" + UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }

    static AuditEventAgentComponent agent(Coding type, Reference who, boolean requestor) {
        AuditEventAgentComponent agent = new AuditEventAgentComponent();
        agent.setType(new CodeableConcept(type)).setWho(who).setRequestor(requestor);
        return agent;
    }

    /** The agent type of a person or organisation that receives information (the consent's IRCP actor). */
    static Coding informationRecipient() {
        return new Coding(PARTICIPATION_TYPE_SYSTEM, INFORMATION_RECIPIENT, "information recipient");
    }

    /** The adapter as an agent: who it is and where it runs. Every event's observer is this same adapter. */
    AuditEventAgentComponent adapterAgent(Coding type) {
        return agent(type, adapter(), false).setNetwork(network(settings.adapterAddress()));
    }

    Reference adapter() {
        return new Reference().setType("Device").setDisplay("IPS Bridge")
                .setIdentifier(new Identifier().setSystem(ADAPTER_SYSTEM).setValue(settings.adapterId()));
    }

    /** The sending region, by its SOR code. */
    Reference region() {
        return new Reference().setType("Organization").setDisplay(settings.regionName())
                .setIdentifier(new Identifier().setSystem(SOR_SYSTEM).setValue(settings.regionSor()));
    }

    /** The jobcenter of the fact: by the identifier the consent names it by, else by its configured id. */
    static Reference jobcenter(AuditFact fact) {
        Reference reference = new Reference().setType("Organization");
        if (fact.recipientOrganization() != null) {
            return reference.setIdentifier(systemValue(fact.recipientOrganization()));
        }
        if (fact.recipientId() != null) {
            return reference.setIdentifier(new Identifier().setSystem(JOBCENTER_SYSTEM).setValue(fact.recipientId()));
        }
        return reference.setDisplay("unknown recipient");
    }

    private static Identifier systemValue(String systemValue) {
        int bar = systemValue.indexOf('|');
        return bar < 0 ? new Identifier().setValue(systemValue)
                : new Identifier().setSystem(systemValue.substring(0, bar)).setValue(systemValue.substring(bar + 1));
    }

    /** The jobcenter's case API as a network address; absent (marked unknown) when it is not configured. */
    AuditEventAgentNetworkComponent jobcenterNetwork(AuditFact fact) {
        return network(fact.recipientId() == null ? null : settings.jobcenterBaseUrls().get(fact.recipientId()));
    }

    /** The EHR source as a network address; absent (marked unknown) when it is not configured. */
    AuditEventAgentNetworkComponent ehrNetwork(String sourceId) {
        return network(sourceId == null ? null : settings.ehrBaseUrls().get(sourceId));
    }

    /**
     * A resource in an EHR source ({@code Consent/c1/_history/2}): an absolute reference when the source's base URL
     * is known, else a logical reference whose identifier is the relative reference within that source.
     */
    Reference ehrResource(String sourceId, String relative) {
        String type = relative.substring(0, Math.max(relative.indexOf('/'), 0));
        Reference reference = new Reference().setType(type.isEmpty() ? null : type);
        String base = sourceId == null ? null : settings.ehrBaseUrls().get(sourceId);
        if (base != null) {
            return reference.setReference(stripSlash(base) + "/" + relative);
        }
        return reference.setIdentifier(new Identifier()
                .setSystem(EHR_REFERENCE_SYSTEM + (sourceId == null ? "unknown" : sourceId)).setValue(relative));
    }

    /**
     * The patient entity. {@code what} carries the CPR number as identifier when the fact has it, and the EHR's own
     * record as an absolute reference when the source's base URL is known. Without either, the EHR-local reference
     * becomes the identifier.
     */
    AuditEventEntityComponent patient(AuditFact fact) {
        Reference what = fact.patientReference() == null ? new Reference().setType("Patient")
                : ehrResource(fact.sourceId(), fact.patientReference());
        if (fact.cpr() != null) {
            // the national identifier wins over an EHR-local one
            what.setIdentifier(new Identifier().setSystem(CPR_SYSTEM).setValue(fact.cpr()));
        }
        if (!what.hasReference() && !what.hasIdentifier()) {
            what.setDisplay("unknown patient");
        }
        return new AuditEventEntityComponent().setWhat(what)
                .setType(new Coding(ENTITY_TYPE, "1", "Person"))
                .setRole(new Coding(OBJECT_ROLE, "1", "Patient"));
    }

    /** The consent the decision rests on, by version when it is known; without a consent id, {@code what} is empty. */
    AuditEventEntityComponent consent(AuditFact fact) {
        AuditEventEntityComponent consent = new AuditEventEntityComponent()
                .setType(new Coding(RESOURCE_TYPES, "Consent", "Consent"));
        if (fact.consentId() != null) {
            String relative = "Consent/" + fact.consentId()
                    + (fact.consentVersion() == null ? "" : "/_history/" + fact.consentVersion());
            consent.setWhat(ehrResource(fact.sourceId(), relative));
        }
        return consent;
    }

    /** Adds the correlation id the BALP way, as an entity of type XrequestId; nothing when there is none. */
    static void addTransaction(AuditEvent event, AuditFact fact) {
        if (fact.correlationId() != null) {
            event.addEntity()
                    .setWhat(new Reference().setIdentifier(new Identifier().setValue(fact.correlationId())))
                    .setType(new Coding(BALP_ENTITY_TYPE, X_REQUEST_ID, "transport specific unique identifier"));
        }
    }

    private static AuditEventAgentNetworkComponent network(String address) {
        AuditEventAgentNetworkComponent network = new AuditEventAgentNetworkComponent();
        if (address == null || address.isBlank()) {
            // the profiles require a network address for this agent; say plainly that it is not known
            network.getAddressElement().addExtension(DATA_ABSENT_REASON, new CodeType("unknown"));
            return network;
        }
        return network.setAddress(address).setType(networkType(address));
    }

    static AuditEventAgentNetworkType networkType(String address) {
        if (address.contains("://")) {
            return AuditEventAgentNetworkType._5;
        }
        if (address.contains(":") || address.matches("[0-9.]+")) {
            return AuditEventAgentNetworkType._2;
        }
        return AuditEventAgentNetworkType._1;
    }

    private static String stripSlash(String base) {
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }
}
