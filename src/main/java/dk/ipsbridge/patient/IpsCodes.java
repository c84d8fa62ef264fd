package dk.ipsbridge.patient;

/** Systems and codes of {@code shared/contracts/ehr-ips-conventions.md}, in one place. */
public final class IpsCodes {

    public static final String CPR_SYSTEM = "urn:oid:1.2.208.176.1.2";
    public static final String SOR_SYSTEM = "urn:oid:1.2.208.176.1.1";
    public static final String CVR_SYSTEM = "http://cvr.dk";
    public static final String KOMBIT_ORG_SYSTEM = "https://kombit.dk/sts/organisation";

    public static final String MUNICIPALITY_EXTENSION = "http://hl7.dk/fhir/core/StructureDefinition/dk-core-municipalityCodes";

    public static final String IPS_SYSTEM = "http://ipsbridge.dk/fhir/CodeSystem/ips";
    public static final String CATEGORY_SYSTEM = "http://ipsbridge.dk/fhir/CodeSystem/ips-data-category";
    public static final String JOBCENTER_EVENT_SYSTEM = "http://ipsbridge.dk/fhir/sid/jobcenter-event";

    public static final String IPS_REFERRAL = "ips-referral";
    /** C14: the general psychiatry track, the programme of a referral that names none in a source that sets none. */
    public static final String IPS_GENERAL = "ips-general";
    /** C14: the IPS tracks, as {@code ServiceRequest.category} or an extra {@code EpisodeOfCare.type} coding. */
    public static final java.util.List<String> PROGRAMMES = java.util.List.of(IPS_GENERAL, "ips-ptsd",
            "ips-substance-use");
    public static final String IPS_CONSULTANT = "ips-consultant";
    public static final String TREATMENT_CONFERENCE = "treatment-conference";
    public static final String EMPLOYMENT_GOAL = "employment-goal";
    public static final String IPS_DATA_SHARING = "ips-data-sharing";
    public static final String IPS_EMPLOYMENT_SUPPORT = "ips-employment-support";
    public static final String IPS_MILESTONE = "ips-milestone";

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

    /** The time zone in which Danish dates (consent given, lapse, referral day) are read. */
    public static final java.time.ZoneId DANISH_TIME = java.time.ZoneId.of("Europe/Copenhagen");

    private IpsCodes() {
    }
}
