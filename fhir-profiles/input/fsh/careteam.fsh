Invariant: ips-careteam-1
Description: "An IPS consultant names the jobcenter: onBehalfOf, or a member PractitionerRole (whose organization is the jobcenter). A consultant naming neither is a consultant for no jobcenter (C2)."
Severity: #error
Expression: "participant.where(role.coding.where(system = 'http://ipsbridge.dk/fhir/CodeSystem/ips' and code = 'ips-consultant').exists()).all(onBehalfOf.exists() or ((member.type = 'PractitionerRole' or member.reference.startsWith('PractitionerRole/') or member.reference.contains('/PractitionerRole/')) and member.resolve().ofType(PractitionerRole).all(organization.exists())))"

Profile: IpsCareTeam
Parent: CareTeam
Id: ips-care-team
Title: "IPS care team"
Description: "The patient's treatment team with the jobcenter's IPS consultant: a participant with role ips#ips-consultant whose member is a Practitioner (with onBehalfOf the jobcenter Organization) or a PractitionerRole (whose organization is the jobcenter), with an optional period. The other participants are the treatment team. Only status active counts, and in it only participants whose period is current (C3)."
* obeys ips-careteam-1
* status MS
* status ^short = "Only active care teams count (C3)"
* subject 1..1 MS
* subject only Reference($DkCorePatient)
* period MS
* participant 1..* MS
* participant ^slicing.discriminator.type = #pattern
* participant ^slicing.discriminator.path = "role"
* participant ^slicing.rules = #open
* participant ^slicing.description = "The IPS consultant by role; the other participants are the treatment team"
* participant contains consultant 0..* MS
* participant[consultant] ^short = "The jobcenter's IPS consultant (several with different periods when the consultant changed)"
* participant[consultant].role 1..1 MS
* participant[consultant].role = $ips#ips-consultant
* participant[consultant].member 1..1 MS
* participant[consultant].member only Reference($DkCorePractitioner or $DkCorePractitionerRole)
* participant[consultant].onBehalfOf MS
* participant[consultant].onBehalfOf only Reference($DkCoreOrganization)
* participant[consultant].onBehalfOf ^short = "The jobcenter; required when the member is a Practitioner (ips-careteam-1)"
* participant[consultant].period MS
* participant[consultant].period ^short = "When the participation is current (none: current, C3)"
* participant.role MS
* participant.member MS
* participant.period MS

Instance: careteam-consultant-practitioner
InstanceOf: IpsCareTeam
Title: "Care team, consultant as Practitioner on behalf of the jobcenter"
Description: "An active care team: the IPS consultant is a Practitioner with onBehalfOf the jobcenter; a psychiatrist is the treatment team."
Usage: #example
* status = #active
* subject = Reference(patient-anna)
* participant[consultant].member = Reference(consultant-karen)
* participant[consultant].onBehalfOf = Reference(jobcenter-aarhus)
* participant[consultant].period.start = "2026-01-10"
* participant[1].role = $sct#309343006 "Physician"
* participant[1].member = Reference(psychiatrist-peter)

Instance: careteam-consultant-role
InstanceOf: IpsCareTeam
Title: "C2: care team, consultant as PractitionerRole"
Description: "The IPS consultant is a PractitionerRole whose organization is the jobcenter; no onBehalfOf is needed (C2)."
Usage: #example
* status = #active
* subject = Reference(patient-anna)
* participant[consultant].member = Reference(consultant-karen-aarhus)
* participant[1].role = $sct#309343006 "Physician"
* participant[1].member = Reference(psychiatrist-peter)
