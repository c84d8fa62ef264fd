Invariant: ips-outcome-1
Description: "The identifier value is <jobcenter id>:<eventId> (C16): the jobcenter id of the adapter's configuration, then the case API's eventId."
Severity: #error
Expression: "identifier.where(system = 'http://ipsbridge.dk/fhir/sid/jobcenter-event').all(value.matches('^[a-z0-9][a-z0-9-]{0,31}:[A-Za-z0-9._:-]{1,64}$'))"

Invariant: ips-outcome-2
Description: "Job and education outcomes are coded LOINC 67875-5, every other outcome ips#ips-milestone."
Severity: #error
Expression: "value.ofType(CodeableConcept).coding.where(system = 'http://ipsbridge.dk/fhir/CodeSystem/ips-outcome').all(iif(code.startsWith('job-') or code.startsWith('education-'), %resource.code.coding.where(system = 'http://loinc.org' and code = '67875-5').exists(), %resource.code.coding.where(system = 'http://ipsbridge.dk/fhir/CodeSystem/ips' and code = 'ips-milestone').exists()))"

Profile: IpsOutcomeObservation
Parent: Observation
Id: ips-outcome-observation
Title: "IPS employment outcome"
Description: "An employment outcome a jobcenter reported, written to the EHR by the adapter with a conditional create on its identifier (a replay never duplicates), only under a consent that permits collect of outcomes from that jobcenter (C15). A retracted event marks the Observation it retracts entered-in-error (C16)."
* obeys ips-outcome-1 and ips-outcome-2
* identifier 1..* MS
* identifier ^slicing.discriminator.type = #value
* identifier ^slicing.discriminator.path = "system"
* identifier ^slicing.rules = #open
* identifier contains jobcenterEvent 1..1 MS
* identifier[jobcenterEvent].system 1..1 MS
* identifier[jobcenterEvent].system = $jobcenter-event
* identifier[jobcenterEvent].value 1..1 MS
* identifier[jobcenterEvent].value ^short = "<jobcenter id>:<eventId> (C16: event ids are unique per jobcenter only)"
* status MS
* status ^short = "final; entered-in-error when the jobcenter retracted the event (C16)"
* code MS
* code from IpsOutcomeCodeVS (required)
* code ^short = "LOINC 67875-5 for job and education states, ips#ips-milestone for the others"
* subject 1..1 MS
* subject only Reference($DkCorePatient)
* effective[x] 1..1 MS
* effective[x] only dateTime
* effective[x] ^short = "The day the event occurred (occurredOn)"
* value[x] 1..1 MS
* value[x] only CodeableConcept
* value[x] from IpsOutcomeTypeVS (required)
* value[x] ^short = "The outcome type"
* component MS
* component ^slicing.discriminator.type = #pattern
* component ^slicing.discriminator.path = "code"
* component ^slicing.rules = #open
* component contains hoursPerWeek 0..1 MS
* component[hoursPerWeek].code = $outcome#hours-per-week
* component[hoursPerWeek].value[x] 1..1 MS
* component[hoursPerWeek].value[x] only Quantity
* component[hoursPerWeek].valueQuantity = $ucum#h/wk
* component[hoursPerWeek] ^short = "Hours per week, when the jobcenter said (0-80)"

Instance: outcome-job-started
InstanceOf: IpsOutcomeObservation
Title: "Job started, 15 hours a week"
Description: "A job-started event of Jobcenter Aarhus (eventId evt-1001) as the adapter writes it."
Usage: #example
* identifier[jobcenterEvent].value = "jobcenter-aarhus:evt-1001"
* status = #final
* code = $loinc#67875-5 "Employment status - current"
* subject = Reference(patient-anna)
* effectiveDateTime = "2026-05-04"
* valueCodeableConcept = $outcome#job-started
* component[hoursPerWeek].valueQuantity.value = 15
* component[hoursPerWeek].valueQuantity.unit = "h/wk"

Instance: outcome-first-employer-contact
InstanceOf: IpsOutcomeObservation
Title: "Milestone: first employer contact"
Description: "An outcome other than a job or education state: code ips#ips-milestone."
Usage: #example
* identifier[jobcenterEvent].value = "jobcenter-aarhus:evt-0997"
* status = #final
* code = $ips#ips-milestone "IPS milestone"
* subject = Reference(patient-anna)
* effectiveDateTime = "2026-03-20"
* valueCodeableConcept = $outcome#first-employer-contact

Instance: outcome-retracted
InstanceOf: IpsOutcomeObservation
Title: "C16: retracted outcome of another jobcenter with the same eventId"
Description: "Jobcenter Odense's event evt-1001 (the same eventId as Jobcenter Aarhus's job start: event ids are unique per jobcenter only), later retracted: entered-in-error."
Usage: #example
* identifier[jobcenterEvent].value = "jobcenter-odense:evt-1001"
* status = #entered-in-error
* code = $loinc#67875-5 "Employment status - current"
* subject = Reference(patient-single-name)
* effectiveDateTime = "2026-04-14"
* valueCodeableConcept = $outcome#education-started
