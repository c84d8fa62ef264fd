// Systems of shared/contracts/ehr-ips-conventions.md (1.1) and of the adapter's IpsCodes.java.
Alias: $ips = http://ipsbridge.dk/fhir/CodeSystem/ips
Alias: $cat = http://ipsbridge.dk/fhir/CodeSystem/ips-data-category
Alias: $outcome = http://ipsbridge.dk/fhir/CodeSystem/ips-outcome
Alias: $jobcenter-event = http://ipsbridge.dk/fhir/sid/jobcenter-event

Alias: $cpr = urn:oid:1.2.208.176.1.2
Alias: $x-ecpr = urn:oid:1.2.208.176.1.6.1.1
Alias: $sor = urn:oid:1.2.208.176.1.1
Alias: $cvr = http://cvr.dk
Alias: $kombit = https://kombit.dk/sts/organisation

Alias: $loinc = http://loinc.org
Alias: $sct = http://snomed.info/sct
Alias: $ucum = http://unitsofmeasure.org
Alias: $v3-ActCode = http://terminology.hl7.org/CodeSystem/v3-ActCode
Alias: $v3-ParticipationType = http://terminology.hl7.org/CodeSystem/v3-ParticipationType
Alias: $consentscope = http://terminology.hl7.org/CodeSystem/consentscope
Alias: $consentaction = http://terminology.hl7.org/CodeSystem/consentaction
Alias: $resource-types = http://hl7.org/fhir/resource-types
Alias: $dk-municipality = http://hl7.dk/fhir/core/CodeSystem/dk-core-municipality-codes

// DK Core 3.7.0
Alias: $DkCorePatient = http://hl7.dk/fhir/core/StructureDefinition/dk-core-patient
Alias: $DkCoreOrganization = http://hl7.dk/fhir/core/StructureDefinition/dk-core-organization
Alias: $DkCorePractitioner = http://hl7.dk/fhir/core/StructureDefinition/dk-core-practitioner
Alias: $DkCorePractitionerRole = http://hl7.dk/fhir/core/StructureDefinition/dk-core-practitioner-role
Alias: $DkCoreServiceRequest = http://hl7.dk/fhir/core/StructureDefinition/dk-core-person-servicerequest
Alias: $DkCoreMunicipalityCodes = http://hl7.dk/fhir/core/StructureDefinition/dk-core-municipalityCodes
