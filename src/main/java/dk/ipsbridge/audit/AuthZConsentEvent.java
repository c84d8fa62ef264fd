package dk.ipsbridge.audit;

import static dk.ipsbridge.audit.AuditParts.DCM;
import static dk.ipsbridge.audit.AuditParts.X_REQUEST_ID;

import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventEntityComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;

/**
 * A consent decision as BALP {@code AuthZconsent}: the adapter (client and authorizer) decided whether the jobcenter
 * (the information recipient, as the consent names it) may have the patient's data under the consent.
 */
final class AuthZConsentEvent {

    static final String PROFILE = "AuthZconsent";

    private static final String AUTHZ_SUBTYPE = "https://profiles.ihe.net/ITI/BALP/CodeSystem/AuthZsubType";
    private static final String ROLE_CLASS = "http://terminology.hl7.org/CodeSystem/v3-RoleClass";
    private static final String SECURITY_ROLE_TYPE = "http://terminology.hl7.org/CodeSystem/extra-security-role-type";

    private AuthZConsentEvent() {
    }

    static AuditEvent from(AuditFact fact, AuditParts parts) {
        AuditEvent event = parts.event(fact, "authz", PROFILE, AuditEventAction.E,
                new Coding(DCM, "110113", "Security Alert"),
                new Coding(AUTHZ_SUBTYPE, "AuthZ-Consent", "Authorization Decision using Roles and Consent"));
        if (permits(fact)) {
            event.setOutcome(AuditEventOutcome._0);
        } else {
            // a denial is an expected, handled answer (like HTTP 403), not an unexpected error (8)
            event.setOutcome(AuditEventOutcome._4);
            event.setOutcomeDesc(fact.reason() == null ? fact.decision() : fact.reason());
        }

        event.addAgent(parts.adapterAgent(new Coding(DCM, "110150", "Application")));
        Reference recipient = fact.consultantReference() == null ? AuditParts.jobcenter(fact)
                : parts.ehrResource(fact.sourceId(), fact.consultantReference());
        event.addAgent(AuditParts.agent(AuditParts.informationRecipient(), recipient, true));
        event.addAgent(AuditParts.agent(new Coding(ROLE_CLASS, "PROV", "healthcare provider"),
                AuditParts.jobcenter(fact), false));
        // the authorizer must be the observer (val-audit-source): the adapter's own consent gate decided
        event.addAgent(AuditParts.agent(new Coding(SECURITY_ROLE_TYPE, "authserver", "authorization server"),
                parts.adapter(), false));

        event.addEntity(parts.patient(fact));
        event.addEntity(consent(fact, parts));
        return event;
    }

    static boolean permits(AuditFact fact) {
        return AuditFact.SHARED.equals(fact.decision()) || AuditFact.COLLECTED.equals(fact.decision());
    }

    /**
     * The consent the decision applied. BALP closes this profile's entity slicing, so the ledger decision, the
     * categories and the correlation id travel as details of this entity rather than as entities of their own.
     */
    private static AuditEventEntityComponent consent(AuditFact fact, AuditParts parts) {
        AuditEventEntityComponent consent = parts.consent(fact);
        if (!consent.hasWhat()) {
            consent.setWhat(new Reference().setType("Consent").setDisplay("no consent"));
        }
        detail(consent, "decision", fact.decision());
        if (!fact.categories().isEmpty()) {
            detail(consent, "categories", String.join(" ", fact.categories()));
        }
        detail(consent, X_REQUEST_ID, fact.correlationId());
        return consent;
    }

    private static void detail(AuditEventEntityComponent entity, String type, String value) {
        if (value != null) {
            entity.addDetail().setType(type).setValue(new StringType(value));
        }
    }
}
