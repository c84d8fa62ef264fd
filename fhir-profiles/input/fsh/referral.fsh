Invariant: ips-programme-1
Description: "At most one IPS programme coding (ips#ips-general, ips#ips-ptsd, ips#ips-substance-use) (C14)."
Severity: #error
Expression: "(%resource.ofType(ServiceRequest).category | %resource.ofType(EpisodeOfCare).type).coding.where(system = 'http://ipsbridge.dk/fhir/CodeSystem/ips' and (code = 'ips-general' or code = 'ips-ptsd' or code = 'ips-substance-use')).count() <= 1"

Profile: IpsReferral
Parent: $DkCoreServiceRequest
Id: ips-referral
Title: "IPS referral (ServiceRequest)"
Description: "A referral to IPS: code ips#ips-referral, the patient, the treating unit as requester and the jobcenter as performer; the programme (track) as category (C14). Status (C13): active is ongoing; completed ends the course in psychiatry (sent once more as ended); revoked and entered-in-error withdraw."
* obeys ips-programme-1
* status MS
* status ^short = "active: ongoing; completed: course ended; revoked, entered-in-error: withdraw (C13)"
* intent MS
* code 1..1 MS
* code = $ips#ips-referral
* category MS
* category ^slicing.discriminator.type = #value
* category ^slicing.discriminator.path = "$this"
* category ^slicing.rules = #open
* category ^slicing.description = "The IPS programme, by its required binding"
* category contains programme 0..1 MS
* category[programme] from IpsProgrammeVS (required)
* category[programme] ^short = "The programme (track); absent: the source's configured default (C14)"
* subject MS
* authoredOn MS
* authoredOn ^short = "The referral date sent to the jobcenter"
* requester MS
* requester ^short = "The treating unit (Organization) or a referring person (PractitionerRole, Practitioner)"
* performer MS
* performer ^short = "The jobcenter Organization"

Profile: IpsEpisodeOfCare
Parent: EpisodeOfCare
Id: ips-episode-of-care
Title: "IPS course (EpisodeOfCare)"
Description: "Some EHRs hold the IPS course as an EpisodeOfCare (instead of, or besides, the ServiceRequest): type ips#ips-referral, and optionally the programme as an extra type coding (C14), either its own type or a second coding of the referral type. Status (C13): active and onhold are ongoing; finished ends the course; cancelled and entered-in-error withdraw."
* obeys ips-programme-1
* status MS
* status ^short = "active, onhold: ongoing; finished: course ended; cancelled, entered-in-error: withdraw (C13)"
* type 1..* MS
* type ^slicing.discriminator.type = #pattern
* type ^slicing.discriminator.path = "$this"
* type ^slicing.rules = #open
* type ^slicing.description = "The IPS referral type; the programme may be another type or another coding of it"
* type contains referral 1..1 MS
* type[referral] = $ips#ips-referral
* type ^short = "ips#ips-referral, and optionally the programme (IpsProgrammeVS)"
* patient MS
* patient only Reference($DkCorePatient)
* managingOrganization MS
* managingOrganization ^short = "The treating unit"
* period MS
* period.start MS
* period.start ^short = "The referral date, when no ServiceRequest gives one"
* careManager MS

Instance: referral-ptsd
InstanceOf: IpsReferral
Title: "Referral in the trauma and refugee programme"
Description: "An active IPS referral from the psychiatry unit to Jobcenter Aarhus, programme ips#ips-ptsd (C14)."
Usage: #example
* status = #active
* intent = #order
* category[programme] = $ips#ips-ptsd
* subject = Reference(patient-anna)
* authoredOn = "2026-01-05"
* requester = Reference(psychiatry-unit)
* performer = Reference(jobcenter-aarhus)

Instance: referral-completed
InstanceOf: IpsReferral
Title: "C13: completed referral without programme"
Description: "The IPS course in psychiatry ended: the record is sent once more with status ended and nothing after it; no programme: the source's default applies."
Usage: #example
* status = #completed
* intent = #order
* subject = Reference(patient-single-name)
* authoredOn = "2025-06-02"
* requester = Reference(psychiatry-unit)
* performer = Reference(jobcenter-aarhus)

Instance: episode-substance-use
InstanceOf: IpsEpisodeOfCare
Title: "IPS course as EpisodeOfCare, programme as its own type"
Description: "An active IPS course: type ips#ips-referral and a second type ips#ips-substance-use (C14)."
Usage: #example
* status = #active
* type[referral] = $ips#ips-referral "IPS referral"
* type[1] = $ips#ips-substance-use
* patient = Reference(patient-anna)
* managingOrganization = Reference(psychiatry-unit)
* period.start = "2026-01-05"

Instance: episode-general-one-type
InstanceOf: IpsEpisodeOfCare
Title: "IPS course as EpisodeOfCare, programme as an extra coding"
Description: "An IPS course on hold (still ongoing, C13) whose single type carries the programme as a second coding."
Usage: #example
* status = #onhold
* type[referral].coding[0] = $ips#ips-referral "IPS referral"
* type[referral].coding[1] = $ips#ips-general
* patient = Reference(patient-anna)
* managingOrganization = Reference(psychiatry-unit)
* period.start = "2026-01-05"
