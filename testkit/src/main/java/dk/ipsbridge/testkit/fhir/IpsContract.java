package dk.ipsbridge.testkit.fhir;

import java.util.List;

/**
 * The systems and codes of the EHR contract ({@code ehr-ips-conventions.md}) and the data categories of the
 * jobcenter contract ({@code jobcenter-case-api.yaml}), as the kit's own copy: the kit depends on the contracts, not on
 * the adapter (a test in the adapter's build keeps both copies equal).
 */
public final class IpsContract {

    public static final String CPR_SYSTEM = "urn:oid:1.2.208.176.1.2";
    public static final String SOR_SYSTEM = "urn:oid:1.2.208.176.1.1";
    public static final String CVR_SYSTEM = "http://cvr.dk";
    public static final String KOMBIT_ORG_SYSTEM = "https://kombit.dk/sts/organisation";

    public static final String MUNICIPALITY_EXTENSION = "http://hl7.dk/fhir/core/StructureDefinition/dk-core-municipalityCodes";

    public static final String IPS_SYSTEM = "http://ipsbridge.dk/fhir/CodeSystem/ips";
    public static final String CATEGORY_SYSTEM = "http://ipsbridge.dk/fhir/CodeSystem/ips-data-category";
    public static final String JOBCENTER_EVENT_SYSTEM = "http://ipsbridge.dk/fhir/sid/jobcenter-event";

    public static final String IPS_REFERRAL = "ips-referral";
    public static final String IPS_CONSULTANT = "ips-consultant";
    public static final String TREATMENT_CONFERENCE = "treatment-conference";
    public static final String EMPLOYMENT_GOAL = "employment-goal";
    public static final String IPS_DATA_SHARING = "ips-data-sharing";
    public static final String IPS_EMPLOYMENT_SUPPORT = "ips-employment-support";
    public static final String IPS_MILESTONE = "ips-milestone";

    /** The IPS programmes (tracks) of C14: {@code ServiceRequest.category} or an extra {@code EpisodeOfCare.type}. */
    public static final String IPS_GENERAL = "ips-general";
    public static final String IPS_PTSD = "ips-ptsd";
    public static final String IPS_SUBSTANCE_USE = "ips-substance-use";

    public static final String CONSENT_SCOPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/consentscope";
    public static final String PATIENT_PRIVACY = "patient-privacy";
    public static final String LOINC_SYSTEM = "http://loinc.org";
    public static final String LOINC_PRIVACY_CONSENT = "59284-0";
    public static final String LOINC_EMPLOYMENT_STATUS = "67875-5";
    public static final String ACT_CODE_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
    public static final String OPTIN = "OPTIN";
    public static final String PSY = "PSY";
    /** v3-ActCode ETH: substance use information, handled exactly like PSY (C9). */
    public static final String ETH = "ETH";
    public static final String PARTICIPATION_TYPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";
    public static final String INFORMATION_RECIPIENT = "IRCP";
    public static final String CONSENT_ACTION_SYSTEM = "http://terminology.hl7.org/CodeSystem/consentaction";
    public static final String DISCLOSE = "disclose";
    public static final String COLLECT = "collect";

    /** The jobcenter API's {@code DataCategory} values, in the contract's order. */
    public static final List<String> DATA_CATEGORIES = List.of("contact", "referral", "care-team", "conferences",
            "employment-goal", "diagnosis", "outcomes");

    /** The jobcenter API's {@code IpsCaseRecord.referral.programme} values (1.1), in the contract's order. */
    public static final List<String> PROGRAMMES = List.of(IPS_GENERAL, IPS_PTSD, IPS_SUBSTANCE_USE);

    /** The problem {@code type} of a 404 that means "the jobcenter holds no such case" (case API 1.1). */
    public static final String UNKNOWN_CASE_PROBLEM = "https://ipsbridge.dk/problems/unknown-case";

    private IpsContract() {
    }
}
