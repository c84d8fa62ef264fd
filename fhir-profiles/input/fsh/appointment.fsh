Invariant: ips-appointment-1
Description: "The patient is a participant of the treatment conference."
Severity: #error
Expression: "participant.actor.where(type = 'Patient' or reference.startsWith('Patient/') or reference.contains('/Patient/')).exists()"

Profile: IpsConferenceAppointment
Parent: Appointment
Id: ips-conference-appointment
Title: "IPS treatment conference"
Description: "A treatment conference: an Appointment with serviceType ips#treatment-conference and the patient as a participant (data category conferences)."
* obeys ips-appointment-1
* status MS
* serviceType 1..* MS
* serviceType ^slicing.discriminator.type = #pattern
* serviceType ^slicing.discriminator.path = "$this"
* serviceType ^slicing.rules = #open
* serviceType contains treatmentConference 1..1 MS
* serviceType[treatmentConference] = $ips#treatment-conference
* description MS
* start MS
* end MS
* participant MS
* participant.actor MS
* participant.actor ^short = "The patient (ips-appointment-1), the IPS consultant, the treatment team"
* participant.status MS

Instance: conference-appointment
InstanceOf: IpsConferenceAppointment
Title: "Planned treatment conference"
Description: "A booked treatment conference with the patient, the IPS consultant and the psychiatrist."
Usage: #example
* status = #booked
* description = "Behandlingskonference IPS"
* start = "2026-02-10T10:00:00+01:00"
* end = "2026-02-10T11:00:00+01:00"
* participant[0].actor = Reference(patient-anna)
* participant[0].status = #accepted
* participant[1].actor = Reference(consultant-karen-aarhus)
* participant[1].status = #accepted
* participant[2].actor = Reference(psychiatrist-peter)
* participant[2].status = #tentative
