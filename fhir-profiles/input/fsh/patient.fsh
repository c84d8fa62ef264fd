Invariant: ips-patient-1
Description: "The CPR is usable: its use is official or absent (C1). A CPR with use old, temp or secondary is never sent."
Severity: #error
Expression: "identifier.where(system = 'urn:oid:1.2.208.176.1.2' and (use.empty() or use = 'official')).exists()"

Profile: IpsPatient
Parent: $DkCorePatient
Id: ips-patient
Title: "IPS patient (shared automatically)"
Description: "A patient the adapter can share automatically: DK Core's patient with exactly one usable CPR (C1). A patient known only by a replacement number (X-eCPR, D-eCPR, other systems) is valid DK Core but not this profile: it is held for manual handling. References in the other IPS profiles target dk-core-patient, not this profile."
* obeys ips-patient-1
* identifier MS
* identifier[cpr] 1..1 MS
* identifier[cpr] ^short = "The CPR number: system urn:oid:1.2.208.176.1.2, use official or absent"
* identifier[cpr].use MS
* identifier[cpr].value MS
* name MS
* name ^short = "Sent as givenName/familyName; a single name or a name.text only is sent as familyName (C4)"
* name.text MS
* name.family MS
* name.given MS
* telecom MS
* telecom ^short = "Phone and e-mail (data category contact)"
* address MS
* address ^short = "Address (data category contact)"

Instance: patient-anna
InstanceOf: IpsPatient
Title: "Patient with one CPR"
Description: "The usual patient: one CPR (use official), an official name, phone, e-mail and an address with DK Core's municipality code."
Usage: #example
* identifier[cpr].use = #official
* identifier[cpr].system = $cpr
* identifier[cpr].value = "1502799995"
* name[official].use = #official
* name[official].family = "Jensen"
* name[official].given = "Anna"
* telecom[0].system = #phone
* telecom[0].value = "+45 20 00 00 01"
* telecom[1].system = #email
* telecom[1].value = "anna@example.invalid"
* address.line = "Testvej 1"
* address.postalCode = "8000"
* address.city = "Aarhus C"
* address.extension[municipalityCode].valueCodeableConcept = $dk-municipality#0751 "Aarhus"

Instance: patient-two-cprs
InstanceOf: Patient
Title: "C1: patient with two CPR identifiers of different use"
Description: "A patient whose EHR keeps a replaced CPR with use old beside the current one (use official). The adapter sends the official one; the old one is never sent (C1). DK Core 3.7.0 allows one CPR identifier only (slice cpr 0..1), so this patient claims no profile: the EHR data the adapter must cope with is wider than DK Core here."
Usage: #example
* identifier[0].use = #official
* identifier[0].system = $cpr
* identifier[0].value = "0908694113"
* identifier[1].use = #old
* identifier[1].system = $cpr
* identifier[1].value = "0908694007"
* name.use = #official
* name.family = "Nielsen"
* name.given = "Ole"

Instance: patient-single-name
InstanceOf: IpsPatient
Title: "C4: patient with a single name"
Description: "A patient with one name only, recorded as family (sent as familyName, no givenName)."
Usage: #example
* identifier[cpr].system = $cpr
* identifier[cpr].value = "0101701234"
* name[official].use = #official
* name[official].family = "Mikkeline"

Instance: patient-name-text
InstanceOf: IpsPatient
Title: "C4: patient with only name.text"
Description: "A patient whose only name is name.text (sent as familyName). The name has no use: DK Core's official name slice requires a family name."
Usage: #example
* identifier[cpr].system = $cpr
* identifier[cpr].value = "2512489996"
* name.text = "Sofie Marie Holm"

Instance: patient-x-ecpr
InstanceOf: $DkCorePatient
Title: "Patient known only by a replacement number"
Description: "A patient with an X-eCPR and no CPR: valid DK Core, not an IpsPatient; never shared automatically, held for manual handling."
Usage: #example
* identifier[x-ecpr].system = $x-ecpr
* identifier[x-ecpr].value = "0101701AB1"
* name[official].use = #official
* name[official].family = "Doe"
* name[official].given = "John"
