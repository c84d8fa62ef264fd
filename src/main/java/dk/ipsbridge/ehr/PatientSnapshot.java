package dk.ipsbridge.ehr;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;

/**
 * What one EHR holds about one patient's IPS course, read fresh for one decision.
 *
 * @param sourceId    the configured EHR source the patient came from
 * @param patient     the Patient
 * @param consents    the patient's Consents, all of them (the gate decides which count)
 * @param referrals   ServiceRequests for the patient
 * @param episodes    EpisodeOfCares for the patient
 * @param careTeams   CareTeams for the patient
 * @param appointments Appointments with the patient as participant
 * @param goals       Goals for the patient
 * @param conditions  Conditions, empty unless a consent permits {@code diagnosis}
 * @param references  resources the others point at (Organization, Practitioner, PractitionerRole, Location),
 *                    keyed by {@code Type/id}
 */
public record PatientSnapshot(
        String sourceId,
        Patient patient,
        List<Consent> consents,
        List<ServiceRequest> referrals,
        List<EpisodeOfCare> episodes,
        List<CareTeam> careTeams,
        List<Appointment> appointments,
        List<Goal> goals,
        List<Condition> conditions,
        Map<String, Resource> references) {

    public PatientSnapshot {
        consents = List.copyOf(consents);
        referrals = List.copyOf(referrals);
        episodes = List.copyOf(episodes);
        careTeams = List.copyOf(careTeams);
        appointments = List.copyOf(appointments);
        goals = List.copyOf(goals);
        conditions = List.copyOf(conditions);
        references = Map.copyOf(references);
    }

    /** The patient's logical id, {@code Patient/<id>}, without base or version. */
    public String patientReference() {
        return "Patient/" + patient.getIdElement().getIdPart();
    }

    /** The values of the patient's CPR identifiers (DK Core system), as the EHR wrote them; usually one. */
    public List<String> cprs() {
        return patient.getIdentifier().stream().filter(i -> IpsCodes.CPR_SYSTEM.equals(i.getSystem()))
                .map(i -> i.getValue()).toList();
    }

    /**
     * Resolves a literal reference ({@code Type/id}, absolute or versioned) to a resource read with the snapshot,
     * or a contained resource ({@code #id}) of {@code container}.
     */
    public Optional<Resource> resolve(Reference reference, Resource container) {
        if (reference == null || !reference.hasReference()) {
            return Optional.empty();
        }
        String ref = reference.getReference();
        if (ref.startsWith("#") && container instanceof org.hl7.fhir.r4.model.DomainResource domain) {
            return domain.getContained().stream()
                    .filter(r -> ref.substring(1).equals(r.getIdElement().getIdPart()))
                    .findFirst();
        }
        return Optional.ofNullable(references.get(key(ref)));
    }

    /** The same snapshot with these Conditions. */
    public PatientSnapshot withConditions(List<Condition> newConditions) {
        return new PatientSnapshot(sourceId, patient, consents, referrals, episodes, careTeams, appointments, goals,
                newConditions, references);
    }

    /** {@code Type/id} of a literal reference, dropping base URL and {@code _history}. */
    public static String key(String reference) {
        String ref = reference;
        int history = ref.indexOf("/_history/");
        if (history >= 0) {
            ref = ref.substring(0, history);
        }
        String[] parts = ref.split("/");
        if (parts.length < 2) {
            return ref;
        }
        return parts[parts.length - 2] + "/" + parts[parts.length - 1];
    }
}
