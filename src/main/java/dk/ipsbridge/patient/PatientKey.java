package dk.ipsbridge.patient;

/** A patient in one EHR source, by logical id (never by CPR). */
public record PatientKey(String sourceId, String patientId) {

    public String reference() {
        return "Patient/" + patientId;
    }
}
