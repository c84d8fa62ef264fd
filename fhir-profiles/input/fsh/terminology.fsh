// The project's code systems and value sets. CodeSystem-ips.json and CodeSystem-ips-data-category.json beside
// this folder are the hand-written copies the adapter's tests load from its classpath; check.sh compares them with
// what this file generates (README.md, "Code systems").

CodeSystem: IpsCodes
Id: ips
Title: "IPS Bridge local codes"
Description: "Codes by which a regional psychiatry EHR records an IPS course (shared/contracts/ehr-ips-conventions.md)."
* ^url = "http://ipsbridge.dk/fhir/CodeSystem/ips"
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^content = #complete
* #ips-referral "IPS referral" "ServiceRequest.code or EpisodeOfCare.type of a referral to IPS."
* #ips-consultant "IPS consultant" "CareTeam.participant.role of the jobcenter's IPS consultant."
* #treatment-conference "Treatment conference" "Appointment.serviceType of a treatment conference."
* #employment-goal "Employment goal" "Goal.category of the citizen's employment goal."
* #ips-data-sharing "IPS data sharing" "Consent.category of a consent to share with the jobcenter."
* #ips-employment-support "IPS employment support" "Consent.provision.purpose of sharing for IPS."
* #ips-milestone "IPS milestone" "Observation.code of an employment outcome other than job or education state."
* #ips-general "IPS, general psychiatry" "Programme (track) of a referral: IPS in general psychiatry (C14). ServiceRequest.category or an extra EpisodeOfCare.type coding."
* #ips-ptsd "IPS, trauma and refugees" "Programme (track) of a referral: IPS for trauma and refugee patients, e.g. ATT (C14)."
* #ips-substance-use "IPS, substance use" "Programme (track) of a referral: IPS in (municipal) substance use treatment (C14)."

CodeSystem: IpsDataCategory
Id: ips-data-category
Title: "IPS data categories"
Description: "The data categories a citizen ticks on the IPS consent form (Consent.provision.code). Identity (CPR, name) is shared whenever anything is; every other category only when permitted."
* ^url = "http://ipsbridge.dk/fhir/CodeSystem/ips-data-category"
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^content = #complete
* #contact "Contact details" "Phone, e-mail and address."
* #referral "Referral" "When and by which unit the citizen was referred to IPS."
* #care-team "Treatment team" "The members of the treatment team and how to reach them."
* #conferences "Treatment conferences" "Planned treatment conferences."
* #employment-goal "Employment goal" "The citizen's employment goal in their own words."
* #diagnosis "Diagnoses" "Diagnoses; never shared unless explicitly permitted."
* #outcomes "Employment outcomes" "Employment outcomes the jobcenter reports back (collect)."

CodeSystem: IpsOutcome
Id: ips-outcome
Title: "IPS employment outcomes"
Description: "Employment outcomes a jobcenter reports (the case API's OutcomeEvent.type, jobcenter-case-api.yaml), as the value of the Observation the adapter writes to the EHR, and the code of its hours-per-week component. A 'retracted' event is no outcome: it marks the Observation it retracts entered-in-error (C16)."
* ^url = "http://ipsbridge.dk/fhir/CodeSystem/ips-outcome"
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^content = #complete
* #first-employer-contact "First employer contact" "The first contact with an employer about a job (IPS milestone)."
* #job-started "Job started" "The citizen started a job (employment status, LOINC 67875-5)."
* #job-ended "Job ended" "The citizen's job ended (employment status, LOINC 67875-5)."
* #internship-started "Internship started" "The citizen started an internship (IPS milestone)."
* #internship-ended "Internship ended" "The citizen's internship ended (IPS milestone)."
* #education-started "Education started" "The citizen started an education (employment status, LOINC 67875-5)."
* #education-ended "Education ended" "The citizen's education ended (employment status, LOINC 67875-5)."
* #benefits-counselling "Benefits counselling" "The citizen received benefits counselling (IPS milestone)."
* #support-ended "Support ended" "The IPS employment support ended (IPS milestone)."
* #hours-per-week "Hours per week" "Observation.component.code of the agreed working or study hours per week."

ValueSet: IpsDataCategoryVS
Id: ips-data-category
Title: "IPS data categories"
Description: "Every data category of the IPS consent form: Consent.provision.code (root and nested)."
* ^status = #active
* ^experimental = false
* include codes from system $cat

ValueSet: IpsProgrammeVS
Id: ips-programme
Title: "IPS programmes"
Description: "The IPS programmes (tracks) of C14: ServiceRequest.category or an extra EpisodeOfCare.type coding; absent: the source's configured default programme."
* ^status = #active
* ^experimental = false
* $ips#ips-general
* $ips#ips-ptsd
* $ips#ips-substance-use

ValueSet: IpsOutcomeTypeVS
Id: ips-outcome-type
Title: "IPS employment outcome types"
Description: "The outcome types an IPS outcome Observation records as its value (every ips-outcome code but the component code hours-per-week)."
* ^status = #active
* ^experimental = false
* $outcome#first-employer-contact
* $outcome#job-started
* $outcome#job-ended
* $outcome#internship-started
* $outcome#internship-ended
* $outcome#education-started
* $outcome#education-ended
* $outcome#benefits-counselling
* $outcome#support-ended

ValueSet: IpsOutcomeCodeVS
Id: ips-outcome-code
Title: "IPS outcome Observation codes"
Description: "Observation.code of an employment outcome: LOINC 67875-5 (Employment status - current) for job and education states, ips#ips-milestone for the other outcomes."
* ^status = #active
* ^experimental = false
* $loinc#67875-5 "Employment status - current"
* $ips#ips-milestone "IPS milestone"

ValueSet: IpsConsentActionVS
Id: ips-consent-action
Title: "IPS consent actions"
Description: "Consent.provision.action of an IPS consent: disclose (region to jobcenter) and collect (region collects employment outcomes from the jobcenter). C11: the IRCP actor is the counterparty of both."
* ^status = #active
* ^experimental = false
* $consentaction#disclose
* $consentaction#collect

ValueSet: IpsSensitivityLabelVS
Id: ips-sensitivity-label
Title: "IPS sensitivity labels"
Description: "The security labels a deny provision of an IPS consent uses to remove labelled resources (C9): PSY (psychiatry) and ETH (substance use), handled alike."
* ^status = #active
* ^experimental = false
* $v3-ActCode#PSY "psychiatry disorder information sensitivity"
* $v3-ActCode#ETH "substance abuse information sensitivity"
