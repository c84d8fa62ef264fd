package dk.ipsbridge.patient;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.Identifier;
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

    /**
     * The patient's usable CPR numbers (contract 1.1, C1): the distinct values of CPR identifiers whose {@code use}
     * is {@code official} or absent. Identifiers with {@code use} old, temp or secondary are never sent anywhere.
     * Exactly one is needed to share; two or more are held for manual handling.
     */
    public List<String> usableCprs() {
        return patient.getIdentifier().stream().filter(i -> IpsCodes.CPR_SYSTEM.equals(i.getSystem()))
                .filter(i -> !i.hasUse() || i.getUse() == Identifier.IdentifierUse.OFFICIAL)
                .map(Identifier::getValue).filter(java.util.Objects::nonNull).distinct().toList();
    }

    /** The one usable CPR number, or empty when there is none or more than one ({@link #usableCprs()}). */
    public Optional<String> cpr() {
        List<String> usable = usableCprs();
        return usable.size() == 1 ? Optional.of(usable.get(0)) : Optional.empty();
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
        if (ref.contains("://")) {
            // absolute: only what the loader read from the source's own base (kept under that URL) is ours; another
            // server's Organization/x is not the local Organization/x (contract 1.1, C8)
            return Optional.ofNullable(references.get(withoutHistory(ref)));
        }
        return Optional.ofNullable(references.get(key(ref)));
    }

    /** An absolute reference without its {@code _history} part. */
    public static String withoutHistory(String reference) {
        int history = reference.indexOf("/_history/");
        return history >= 0 ? reference.substring(0, history) : reference;
    }

    /** The same snapshot with these Conditions. */
    public PatientSnapshot withConditions(List<Condition> newConditions) {
        return new PatientSnapshot(sourceId, patient, consents, referrals, episodes, careTeams, appointments, goals,
                newConditions, references);
    }

    /** {@code Type/id} of a literal reference, dropping base URL and {@code _history}. */
    public static String key(String reference) {
        String ref = withoutHistory(reference);
        String[] parts = ref.split("/");
        if (parts.length < 2) {
            return ref;
        }
        return parts[parts.length - 2] + "/" + parts[parts.length - 1];
    }
}
