Invariant: ips-consent-1
Description: "A permit names its recipient: a root permit without an IRCP actor permits nobody (rule 5, C5)."
Severity: #warning
Expression: "provision.type = 'deny' or provision.actor.where(role.coding.where(system = 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType' and code = 'IRCP').exists()).exists()"

Profile: IpsConsent
Parent: Consent
Id: ips-consent
Title: "IPS consent to share with the jobcenter"
Description: "The citizen's written consent to share data with the jobcenter for IPS (ehr-ips-conventions.md, 'Consent to share with the jobcenter', C5-C11). Only status active can permit. The root provision is usually a permit; nested deny provisions carve exceptions by data category, recipient or security label (PSY, ETH). A consent or deny without an IRCP actor applies to every recipient; a permit without one permits nobody."
* obeys ips-consent-1
* status MS
* status ^short = "Only active permits; inactive (withdrawn), rejected, entered-in-error, draft and proposed never do"
* scope MS
* scope = $consentscope#patient-privacy
* category MS
* category ^slicing.discriminator.type = #pattern
* category ^slicing.discriminator.path = "$this"
* category ^slicing.rules = #open
* category ^slicing.description = "LOINC privacy consent and the IPS data-sharing category"
* category contains
    privacyConsent 1..1 MS and
    ipsDataSharing 1..1 MS
* category[privacyConsent] = $loinc#59284-0
* category[ipsDataSharing] = $ips#ips-data-sharing
* patient 1..1 MS
* patient only Reference($DkCorePatient)
* dateTime 1..1 MS
* dateTime ^short = "When the consent was given: the most recent decides (rule 2); lapses one year later (rule 3); more than 5 minutes in the future is invalid (C6)"
* policyRule 1..1 MS
* policyRule = $v3-ActCode#OPTIN
* provision 1..1 MS
* provision.type 1..1 MS
* provision.type ^short = "permit (usually) or deny; a root without type makes the consent unreadable (C10)"
* provision.period MS
* provision.period ^short = "When sharing is allowed (never beyond one year after dateTime, rule 3)"
* provision.actor MS
* provision.actor ^slicing.discriminator.type = #pattern
* provision.actor ^slicing.discriminator.path = "role"
* provision.actor ^slicing.rules = #open
* provision.actor ^slicing.description = "The information recipient(s); actors with other roles name no recipient"
* provision.actor contains recipient 0..* MS
* provision.actor[recipient] ^short = "The counterparty (C11): the jobcenter Organization and/or the IPS consultant"
* provision.actor[recipient].role = $v3-ParticipationType#IRCP
* provision.actor[recipient].reference MS
* provision.actor[recipient].reference only Reference($DkCoreOrganization or $DkCorePractitioner or $DkCorePractitionerRole)
* provision.action MS
* provision.action from IpsConsentActionVS (required)
* provision.action ^short = "disclose (region to jobcenter) and/or collect (employment outcomes from the jobcenter)"
* provision.purpose MS
* provision.purpose ^short = "ips#ips-employment-support"
* provision.code MS
* provision.code from IpsDataCategoryVS (required)
* provision.code ^short = "The data categories ticked; none: identity only (C10)"
* provision.class MS
* provision.class ^short = "Resource types that narrow the categories further"
* provision.securityLabel MS
* provision.dataPeriod MS
* provision.dataPeriod ^short = "Only data from this period (not applied to contact details, C10)"
* provision.provision MS
* provision.provision ^short = "Nested provisions: deny carves exceptions (category, recipient, security label)"
* provision.provision.type 1..1 MS
* provision.provision.actor MS
* provision.provision.actor ^short = "IRCP actor: the exception applies to that recipient only; none: to every recipient (C5)"
* provision.provision.code MS
* provision.provision.code from IpsDataCategoryVS (required)
* provision.provision.securityLabel MS
* provision.provision.securityLabel from IpsSensitivityLabelVS (extensible)
* provision.provision.securityLabel ^short = "In a deny: removes the resources carrying PSY or ETH (C9)"

Instance: consent-jobcenter
InstanceOf: IpsConsent
Title: "Consent naming the jobcenter"
Description: "The usual consent: permit to disclose and collect, recipient the jobcenter Organization, the categories ticked on the form, diagnoses not ticked (never shared without explicit permission)."
Usage: #example
* status = #active
* patient = Reference(patient-anna)
* dateTime = "2026-01-05T10:00:00+01:00"
* policy.uri = "http://ipsbridge.dk/fhir/policy/ips"
* provision.type = #permit
* provision.period.start = "2026-01-05T10:00:00+01:00"
* provision.period.end = "2027-01-05T10:00:00+01:00"
* provision.actor[recipient].reference = Reference(jobcenter-aarhus)
* provision.action[0] = $consentaction#disclose
* provision.action[1] = $consentaction#collect
* provision.purpose = $ips#ips-employment-support
* provision.code[0] = $cat#contact
* provision.code[1] = $cat#referral
* provision.code[2] = $cat#care-team
* provision.code[3] = $cat#conferences
* provision.code[4] = $cat#employment-goal
* provision.code[5] = $cat#outcomes

Instance: consent-consultant-only
InstanceOf: IpsConsent
Title: "C7: consent naming only the IPS consultant"
Description: "The recipient is the consultant (a Practitioner), no jobcenter: it permits sharing with the jobcenter for which that consultant was the patient's IPS consultant when the consent was given, and only while the consultant still is (C7). A Practitioner matches each of its PractitionerRoles (C2)."
Usage: #example
* status = #active
* patient = Reference(patient-anna)
* dateTime = "2026-02-01T09:30:00+01:00"
* provision.type = #permit
* provision.actor[recipient].reference = Reference(consultant-karen)
* provision.action = $consentaction#disclose
* provision.purpose = $ips#ips-employment-support
* provision.code[0] = $cat#contact
* provision.code[1] = $cat#referral
* provision.code[2] = $cat#care-team

Instance: consent-labelled-deny
InstanceOf: IpsConsent
Title: "C9: diagnoses ticked, PSY and ETH denied"
Description: "Ticking diagnosis permits diagnoses whatever their label; the nested deny provisions with securityLabel PSY and ETH remove the resources carrying those labels (C9). The recipient is the consultant's PractitionerRole at the jobcenter (C2)."
Usage: #example
* status = #active
* patient = Reference(patient-anna)
* dateTime = "2026-03-02T13:00:00+01:00"
* provision.type = #permit
* provision.actor[recipient].reference = Reference(consultant-karen-aarhus)
* provision.action = $consentaction#disclose
* provision.purpose = $ips#ips-employment-support
* provision.code[0] = $cat#contact
* provision.code[1] = $cat#diagnosis
* provision.provision[0].type = #deny
* provision.provision[0].securityLabel = $v3-ActCode#PSY
* provision.provision[1].type = #deny
* provision.provision[1].securityLabel = $v3-ActCode#ETH

Instance: consent-deny-category
InstanceOf: IpsConsent
Title: "Permit with a nested deny of one category for one recipient"
Description: "Permits referral and employment goal to both jobcenters, with a nested deny of the employment goal for Jobcenter Odense only (an IRCP actor in a deny limits the exception to that recipient; rule 2: the deny wins)."
Usage: #example
* status = #active
* patient = Reference(patient-anna)
* dateTime = "2026-03-10T08:00:00+01:00"
* provision.type = #permit
* provision.actor[recipient][0].reference = Reference(jobcenter-aarhus)
* provision.actor[recipient][1].reference = Reference(jobcenter-odense)
* provision.action = $consentaction#disclose
* provision.purpose = $ips#ips-employment-support
* provision.code[0] = $cat#referral
* provision.code[1] = $cat#employment-goal
* provision.provision.type = #deny
* provision.provision.actor.role = $v3-ParticipationType#IRCP
* provision.provision.actor.reference = Reference(jobcenter-odense)
* provision.provision.code = $cat#employment-goal

Instance: consent-blanket-deny
InstanceOf: IpsConsent
Title: "C5: blanket deny (withdrawal for every recipient)"
Description: "A root deny without an IRCP actor applies to every recipient: as the most recent consent it ends sharing with every jobcenter (C5)."
Usage: #example
* status = #active
* patient = Reference(patient-anna)
* dateTime = "2026-04-01T12:00:00+02:00"
* provision.type = #deny
* provision.action = $consentaction#disclose
