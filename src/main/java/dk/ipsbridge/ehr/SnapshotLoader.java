package dk.ipsbridge.ehr;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

import dk.ipsbridge.config.IpsProperties.Source;
import dk.ipsbridge.config.RoundSettings;
import dk.ipsbridge.failure.BadInputException;
import dk.ipsbridge.failure.FailedRecords;
import dk.ipsbridge.patient.IpsCodes;
import dk.ipsbridge.patient.PatientSnapshot;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.springframework.stereotype.Component;

/**
 * Reads what the EHR holds about one patient's IPS course, fresh, for one decision: POST searches by patient (the
 * patient reference never goes in a URL), keeping only what belongs to the patient, then the organisations and
 * practitioners they point at.
 */
@Component
public class SnapshotLoader {

    private static final Set<String> REFERENCED_TYPES = Set.of("Organization", "Practitioner", "PractitionerRole",
            "Location");

    private final EhrSources sources;
    private final EhrClient ehr;
    private final RoundSettings rounds;
    private final FailedRecords failed;
    private final Clock clock;

    SnapshotLoader(EhrSources sources, EhrClient ehr, RoundSettings rounds, FailedRecords failed, Clock clock) {
        this.sources = sources;
        this.ehr = ehr;
        this.rounds = rounds;
        this.failed = failed;
        this.clock = clock;
    }

    /**
     * The patient's snapshot, or empty when the EHR no longer has the patient.
     *
     * @param unreadable entries that could not be read; an unreadable Consent means the gate must not share
     */
    public record Loaded(PatientSnapshot snapshot, List<EhrClient.BadEntry> unreadable) {

        public boolean consentUnreadable() {
            return unreadable.stream().anyMatch(b -> "Consent".equals(b.resourceType()));
        }
    }

    public Optional<Loaded> load(String sourceId, String patientId) {
        Source source = sources.get(sourceId);
        List<EhrClient.BadEntry> bad = new ArrayList<>();
        String patient = "Patient/" + patientId;
        List<Patient> patients = ofPatient(source, patient, search(source, "Patient", Map.of("_id", patientId),
                Patient.class, bad), p -> "Patient/" + p.getIdElement().getIdPart());
        if (patients.isEmpty()) {
            return Optional.empty();
        }
        List<Consent> consents = byPatient(source, patient, Consent.class, bad, c -> key(c.getPatient()));
        List<ServiceRequest> referrals = byPatient(source, patient, ServiceRequest.class, bad,
                r -> key(r.getSubject()));
        List<EpisodeOfCare> episodes = byPatient(source, patient, EpisodeOfCare.class, bad, e -> key(e.getPatient()));
        List<CareTeam> careTeams = byPatient(source, patient, CareTeam.class, bad, t -> key(t.getSubject()));
        List<Appointment> appointments = byPatient(source, patient, Appointment.class, bad,
                a -> a.getParticipant().stream().map(p -> key(p.getActor())).filter(patient::equals).findFirst()
                        .orElse(null));
        List<Goal> goals = byPatient(source, patient, Goal.class, bad, g -> key(g.getSubject()));

        Map<String, Resource> references = new LinkedHashMap<>();
        Stream<Reference> pointers = Stream.of(
                consents.stream().flatMap(c -> actors(c.getProvision())),
                careTeams.stream().flatMap(t -> t.getParticipant().stream()
                        .flatMap(p -> Stream.of(p.getMember(), p.getOnBehalfOf()))),
                referrals.stream().flatMap(r -> Stream.concat(Stream.of(r.getRequester()), r.getPerformer().stream())),
                episodes.stream().map(EpisodeOfCare::getManagingOrganization),
                appointments.stream().flatMap(a -> a.getParticipant().stream()
                        .map(Appointment.AppointmentParticipantComponent::getActor)))
                .flatMap(s -> s);
        resolve(source, pointers.toList(), references);
        // PractitionerRole points on to its practitioner and organisation.
        resolve(source, references.values().stream().filter(PractitionerRole.class::isInstance)
                .map(PractitionerRole.class::cast)
                .flatMap(r -> Stream.of(r.getPractitioner(), r.getOrganization())).toList(), references);

        Patient p = patients.get(0);
        return Optional.of(new Loaded(new PatientSnapshot(sourceId, p, consents, referrals, episodes, careTeams,
                appointments, goals, List.of(), references), bad));
    }

    /**
     * Logical ids of the source's patients with this CPR number; searched by POST, so the CPR is never in a URL. A
     * patient the EHR returns without that number (a server that ignores the parameter) is not one of them.
     */
    public List<String> patientsWithCpr(String sourceId, String cpr) {
        List<EhrClient.BadEntry> bad = new ArrayList<>();
        return search(sources.get(sourceId), "Patient", Map.of("identifier", IpsCodes.CPR_SYSTEM + "|" + cpr),
                Patient.class, bad).stream()
                .filter(p -> p.getIdentifier().stream()
                        .anyMatch(i -> IpsCodes.CPR_SYSTEM.equals(i.getSystem()) && cpr.equals(i.getValue())))
                .map(p -> p.getIdElement().getIdPart()).toList();
    }

    /** The patient's Conditions: read only when a consent permits {@code diagnosis}. */
    public List<Condition> conditions(String sourceId, String patientId) {
        List<EhrClient.BadEntry> ignored = new ArrayList<>();
        return byPatient(sources.get(sourceId), "Patient/" + patientId, Condition.class, ignored,
                c -> key(c.getSubject()));
    }

    /** A POST search by patient, keeping only what belongs to that patient ({@link #ofPatient}). */
    private <T extends Resource> List<T> byPatient(Source source, String patient, Class<T> kind,
            List<EhrClient.BadEntry> bad, Function<T, String> owner) {
        String type = kind.getSimpleName();
        return ofPatient(source, patient, search(source, type, Map.of("patient", patient), kind, bad), owner);
    }

    /**
     * C12: every resource of a search by patient must belong to that patient. One that does not (a server that
     * ignored the search parameter) is dropped and recorded as bad input, by type and count only: it is another
     * person's data, so neither its content nor its id is kept.
     */
    private <T extends Resource> List<T> ofPatient(Source source, String patient, List<T> found,
            Function<T, String> owner) {
        List<T> own = found.stream().filter(r -> patient.equals(owner.apply(r))).toList();
        if (own.size() < found.size()) {
            String type = found.get(0).fhirType();
            failed.record(FailedRecords.INGEST, source.id(), null, patient, "foreign-resource",
                    (found.size() - own.size()) + " " + type + " resource(s) of a search by patient belong to "
                            + "another patient or to none; dropped (the EHR ignored the search parameter?)",
                    null, clock.instant());
        }
        return own;
    }

    private static String key(Reference reference) {
        return reference != null && reference.hasReference() ? PatientSnapshot.key(reference.getReference()) : null;
    }

    private <T extends Resource> List<T> search(Source source, String type, Map<String, String> criteria,
            Class<T> kind, List<EhrClient.BadEntry> bad) {
        Map<String, String> params = new LinkedHashMap<>(criteria);
        params.put("_count", String.valueOf(source.pageSize()));
        EhrClient.Page page = ehr.postSearch(source, type, params);
        Map<String, T> byId = new LinkedHashMap<>();
        Set<String> seenLinks = new HashSet<>();
        for (int pages = 1; ; pages++) {
            // The EHR may repeat a resource across pages: keep one per id.
            page.resources().stream().filter(kind::isInstance).map(kind::cast)
                    .forEach(r -> byId.put(r.getIdElement().getIdPart(), r));
            bad.addAll(page.badEntries());
            if (page.next() == null) {
                return new ArrayList<>(byId.values());
            }
            if (!seenLinks.add(page.next()) || pages >= rounds.maxPagesPerPoll()) {
                throw new BadInputException("paging-loop", type + " search for one patient paged " + pages
                        + " times or repeated a next link", null);
            }
            page = ehr.next(source, page.next());
        }
    }

    private void resolve(Source source, List<Reference> pointers, Map<String, Resource> into) {
        for (Reference ref : pointers) {
            if (ref == null || !ref.hasReference() || ref.getReference().startsWith("#")) {
                continue;
            }
            String raw = ref.getReference();
            if (raw.contains("://") && !raw.startsWith(source.fhirBaseUrl().toString())) {
                continue; // another server's resource: not ours to fetch; it stays unresolved
            }
            String key = PatientSnapshot.key(raw);
            String[] parts = key.split("/");
            if (parts.length != 2 || !REFERENCED_TYPES.contains(parts[0])) {
                continue;
            }
            Resource resource = into.containsKey(key) ? into.get(key) : ehr.read(source, parts[0], parts[1]);
            if (resource != null) {
                into.put(key, resource);
                if (raw.contains("://")) {
                    into.put(PatientSnapshot.withoutHistory(raw), resource); // our own base, absolute
                }
            }
        }
    }

    private static Stream<Reference> actors(Consent.ProvisionComponent provision) {
        return Stream.concat(provision.getActor().stream().map(Consent.provisionActorComponent::getReference),
                provision.getProvision().stream().flatMap(SnapshotLoader::actors));
    }
}
