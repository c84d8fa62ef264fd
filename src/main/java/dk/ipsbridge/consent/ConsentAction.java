package dk.ipsbridge.consent;

import dk.ipsbridge.patient.IpsCodes;
import org.hl7.fhir.r4.model.CodeableConcept;

/**
 * What the region does with the data a Consent governs ({@code consentaction} codes of the EHR contract).
 *
 * <p>In both directions the jobcenter is the counterparty, named by the Consent's information-recipient actors:
 * the region discloses the IPS course to it, or collects employment outcomes from it.
 */
public enum ConsentAction {
    /** The region shares the patient's IPS course with the jobcenter. */
    DISCLOSE(IpsCodes.DISCLOSE, HoldReason.DISCLOSURE_NOT_PERMITTED, "disclosure to"),
    /** The region takes employment outcomes ({@code outcomes}) from the jobcenter into the EHR. */
    COLLECT(IpsCodes.COLLECT, HoldReason.COLLECTION_NOT_PERMITTED, "collection from");

    private final String code;
    private final HoldReason notPermitted;
    private final String towards;

    ConsentAction(String code, HoldReason notPermitted, String towards) {
        this.code = code;
        this.notPermitted = notPermitted;
        this.towards = towards;
    }

    /** The code in {@code http://terminology.hl7.org/CodeSystem/consentaction}. */
    public String code() {
        return code;
    }

    /** The reason for a consent that does not permit this action at all. */
    public HoldReason notPermitted() {
        return notPermitted;
    }

    /** "disclosure to" or "collection from", for details such as "No provision permits disclosure to ...". */
    String towards() {
        return towards;
    }

    /** True when {@code action} carries this action's code in the consentaction system. */
    boolean matches(CodeableConcept action) {
        return action.getCoding().stream()
                .anyMatch(c -> IpsCodes.CONSENT_ACTION_SYSTEM.equals(c.getSystem()) && code.equals(c.getCode()));
    }
}
