// Organisations and people the examples refer to.

Instance: jobcenter-aarhus
InstanceOf: $DkCoreOrganization
Title: "Jobcenter identified by SOR"
Description: "A jobcenter Organization identified by a SOR code (the adapter's configuration maps it to a jobcenter endpoint)."
Usage: #example
* identifier[SOR-ID].system = $sor
* identifier[SOR-ID].value = "1234561000016002"
* name = "Jobcenter Aarhus (example)"

Instance: jobcenter-odense
InstanceOf: $DkCoreOrganization
Title: "Jobcenter identified by KOMBIT organisation id"
Description: "A second jobcenter, identified by its KOMBIT organisation id."
Usage: #example
* identifier[KOMBIT-ORG-ID].system = $kombit
* identifier[KOMBIT-ORG-ID].value = "urn:uuid:3b6a2f3e-0c7d-4d1e-9a55-0f2b8c6d1e01"
* name = "Jobcenter Odense (example)"

Instance: psychiatry-unit
InstanceOf: $DkCoreOrganization
Title: "Treating psychiatry unit"
Description: "The regional psychiatry unit that refers the patient to IPS."
Usage: #example
* identifier[SOR-ID].system = $sor
* identifier[SOR-ID].value = "9876541000016008"
* name = "Psykiatrisk Ambulatorium (example)"

Instance: consultant-karen
InstanceOf: $DkCorePractitioner
Title: "IPS consultant (Practitioner)"
Description: "The jobcenter's IPS consultant as a Practitioner."
Usage: #example
* name.family = "Larsen"
* name.given = "Karen"
* telecom.system = #phone
* telecom.value = "+45 70 00 00 11"

Instance: consultant-karen-aarhus
InstanceOf: $DkCorePractitionerRole
Title: "IPS consultant (PractitionerRole at the jobcenter)"
Description: "The same consultant as a PractitionerRole whose organization is the jobcenter (C2: a Practitioner and each of its PractitionerRoles are the same person)."
Usage: #example
* practitioner = Reference(consultant-karen)
* organization = Reference(jobcenter-aarhus)

Instance: psychiatrist-peter
InstanceOf: $DkCorePractitioner
Title: "Treating psychiatrist"
Description: "A member of the treatment team."
Usage: #example
* name.family = "Holm"
* name.given = "Peter"
* telecom.system = #phone
* telecom.value = "+45 70 00 00 22"
