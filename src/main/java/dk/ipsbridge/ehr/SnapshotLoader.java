package dk.ipsbridge.ehr;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dk.ipsbridge.config.IpsProperties.Source;
import dk.ipsbridge.config.RoundSettings;
import dk.ipsbridge.failure.BadInputException;
import dk.ipsbridge.failure.FailedRecords;
import dk.ipsbridge.patient.IpsCodes;
import dk.ipsbridge.patient.PatientSnapshot;
import dk.ipsbridge.validation.BorderValidation;
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
     * @param findings   the resources that fail their IPS profile ({@link BorderValidation}), once checked
     */
    public record Loaded(PatientSnapshot snapshot, List<EhrClient.BadEntry> unreadable,
            BorderValidation.Findings findings) {

        public Loaded(PatientSnapshot snapshot, List<EhrClient.BadEntry> unreadable) {
            this(snapshot, unreadable, BorderValidation.Findings.NONE);
        }

        public Loaded withSnapshot(PatientSnapshot newSnapshot) {
            return new Loaded(newSnapshot, unreadable, findings);
        }

        public Loaded withFindings(BorderValidation.Findings newFindings) {
            return new Loaded(snapshot, unreadable, newFindings);
        }

        public boolean consentUnreadable() {
            return unreadable.stream().anyMatch(b -> "Consent".equals(b.resourceType()));
        }
    }

    /**
     * What a batched read of several patients found ({@link #loadAll}).
     *
     * @param loaded  per patient id: the snapshot, or empty when the EHR does not have the patient
     * @param inDoubt the patients the batched read could not settle, to be read one by one
     */
    public record Batch(Map<String, Optional<Loaded>> loaded, List<String> inDoubt) {
    }

    /** The patient's snapshot, or empty when the EHR no longer has the patient. */
    public Optional<Loaded> load(String sourceId, String patientId) {
        return read(sourceId, List.of(patientId), false).get(patientId);
    }

    /**
     * The snapshots of several patients of one source, read together: one POST search per resource type for all of
     * them ({@code patient=Patient/a,Patient/b}, an OR list), and one search per referenced type ({@code _id} lists).
     * The batched answer is used only when it is clean. A resource of none of the patients (C12), an entry that could
     * not be read, or a paging loop cannot be told apart by patient: then every patient is left in doubt and the
     * caller reads them one by one, where such a problem is recorded against its own patient.
     */
    public Batch loadAll(String sourceId, List<String> patientIds) {
        if (patientIds.size() < 2) {
            return new Batch(patientIds.isEmpty() ? Map.of() : Map.of(patientIds.get(0), load(sourceId,
                    patientIds.get(0))), List.of());
        }
        try {
            return new Batch(read(sourceId, patientIds, true), List.of());
        } catch (InDoubt | BadInputException e) {
            return new Batch(Map.of(), List.copyOf(patientIds));
        }
    }

    /**
     * The Conditions of several patients ({@link #conditions}), read together; a patient missing from the answer was
     * left in doubt, as in {@link #loadAll}.
     */
    public Map<String, List<Condition>> conditionsAll(String sourceId, List<String> patientIds) {
        try {
            Source source = sources.get(sourceId);
            List<EhrClient.BadEntry> bad = new ArrayList<>();
            Map<String, List<Condition>> found = byPatients(source, references(patientIds), Condition.class, bad,
                    c -> key(c.getSubject()), patientIds.size() > 1);
            if (patientIds.size() > 1 && !bad.isEmpty()) {
                return Map.of();
            }
            Map<String, List<Condition>> byId = new LinkedHashMap<>();
            patientIds.forEach(id -> byId.put(id, found.get("Patient/" + id)));
            return byId;
        } catch (InDoubt | BadInputException e) {
            if (patientIds.size() < 2) {
                throw e;
            }
            return Map.of();
        }
    }

    /** A batched read that cannot be attributed patient by patient. */
    private static final class InDoubt extends RuntimeException {
        InDoubt() {
            super(null, null, false, false);
        }
    }

    private Map<String, Optional<Loaded>> read(String sourceId, List<String> patientIds, boolean batch) {
        Source source = sources.get(sourceId);
        List<EhrClient.BadEntry> bad = new ArrayList<>();
        Map<String, List<Patient>> found = ofPatients(source, references(patientIds), search(source, "Patient",
                Map.of("_id", String.join(",", patientIds)), Patient.class, bad),
                p -> "Patient/" + p.getIdElement().getIdPart(), batch);
        Set<String> present = found.entrySet().stream().filter(e -> !e.getValue().isEmpty()).map(Map.Entry::getKey)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        Map<String, Optional<Loaded>> result = new LinkedHashMap<>();
        patientIds.forEach(id -> result.put(id, Optional.empty()));
        if (present.isEmpty()) {
            return result;
        }
        var consents = byPatients(source, present, Consent.class, bad, c -> key(c.getPatient()), batch);
        var referrals = byPatients(source, present, ServiceRequest.class, bad, r -> key(r.getSubject()), batch);
        var episodes = byPatients(source, present, EpisodeOfCare.class, bad, e -> key(e.getPatient()), batch);
        var careTeams = byPatients(source, present, CareTeam.class, bad, t -> key(t.getSubject()), batch);
        var appointments = byPatients(source, present, Appointment.class, bad,
                a -> onlyOne(a.getParticipant().stream().map(p -> key(p.getActor())).filter(present::contains)
                        .distinct().toList()), batch);
        var goals = byPatients(source, present, Goal.class, bad, g -> key(g.getSubject()), batch);
        if (batch && !bad.isEmpty()) {
            throw new InDoubt();
        }

        Stream<Reference> pointers = Stream.of(
                consents.values().stream().flatMap(List::stream).flatMap(c -> actors(c.getProvision())),
                careTeams.values().stream().flatMap(List::stream).flatMap(t -> t.getParticipant().stream()
                        .flatMap(p -> Stream.of(p.getMember(), p.getOnBehalfOf()))),
                referrals.values().stream().flatMap(List::stream)
                        .flatMap(r -> Stream.concat(Stream.of(r.getRequester()), r.getPerformer().stream())),
                episodes.values().stream().flatMap(List::stream).map(EpisodeOfCare::getManagingOrganization),
                appointments.values().stream().flatMap(List::stream).flatMap(a -> a.getParticipant().stream()
                        .map(Appointment.AppointmentParticipantComponent::getActor)))
                .flatMap(s -> s);
        Map<String, Resource> references = new LinkedHashMap<>();
        resolve(source, pointers.toList(), references);
        // PractitionerRole points on to its practitioner and organisation.
        resolve(source, references.values().stream().filter(PractitionerRole.class::isInstance)
                .map(PractitionerRole.class::cast)
                .flatMap(r -> Stream.of(r.getPractitioner(), r.getOrganization())).toList(), references);

        for (String patient : present) {
            result.put(patient.substring("Patient/".length()), Optional.of(new Loaded(new PatientSnapshot(sourceId,
                    found.get(patient).get(0), consents.get(patient), referrals.get(patient), episodes.get(patient),
                    careTeams.get(patient), appointments.get(patient), goals.get(patient), List.of(), references),
                    bad)));
        }
        return result;
    }

    /** The one patient of the read that an Appointment is about; none when it is about several (a group). */
    private static String onlyOne(List<String> patients) {
        return patients.size() == 1 ? patients.get(0) : null;
    }

    private static Set<String> references(List<String> patientIds) {
        return patientIds.stream().map(id -> "Patient/" + id).collect(Collectors.toCollection(LinkedHashSet::new));
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
        return conditionsAll(sourceId, List.of(patientId)).get(patientId);
    }

    /**
     * A POST search by patients (an OR list of references), keeping only what belongs to one of them
     * ({@link #ofPatients}), by patient reference.
     */
    private <T extends Resource> Map<String, List<T>> byPatients(Source source, Set<String> patients, Class<T> kind,
            List<EhrClient.BadEntry> bad, Function<T, String> owner, boolean batch) {
        List<T> found = search(source, kind.getSimpleName(), Map.of("patient", String.join(",", patients)), kind, bad);
        return ofPatients(source, patients, found, owner, batch);
    }

    /**
     * C12: every resource of a search by patient must belong to that patient. One that does not (a server that
     * ignored the search parameter) is dropped and recorded as bad input, by type and count only: it is another
     * person's data, so neither its content nor its id is kept. In a batched read it leaves every patient in doubt.
     */
    private <T extends Resource> Map<String, List<T>> ofPatients(Source source, Set<String> patients, List<T> found,
            Function<T, String> owner, boolean batch) {
        Map<String, List<T>> own = new LinkedHashMap<>();
        patients.forEach(p -> own.put(p, new ArrayList<>()));
        int foreign = 0;
        for (T resource : found) {
            List<T> of = own.get(owner.apply(resource));
            if (of == null) {
                foreign++;
            } else {
                of.add(resource);
            }
        }
        if (foreign > 0) {
            if (batch) {
                throw new InDoubt();
            }
            failed.record(FailedRecords.INGEST, source.id(), null, patients.iterator().next(), "foreign-resource",
                    foreign + " " + found.get(0).fhirType() + " resource(s) of a search by patient belong to "
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

    /**
     * Resolves what the references point at on this EHR into {@code into}, by reference key and, for an absolute
     * reference to this EHR, by that reference too: one POST search per type with an {@code _id} list. Another
     * server's resource is not ours to fetch; it stays unresolved, as does one the EHR does not return.
     */
    private void resolve(Source source, List<Reference> pointers, Map<String, Resource> into) {
        Map<String, Set<String>> wanted = new LinkedHashMap<>();
        List<String> raws = new ArrayList<>();
        for (Reference ref : pointers) {
            if (ref == null || !ref.hasReference() || ref.getReference().startsWith("#")) {
                continue;
            }
            String raw = ref.getReference();
            if (raw.contains("://") && !raw.startsWith(source.fhirBaseUrl().toString())) {
                continue;
            }
            String[] parts = PatientSnapshot.key(raw).split("/");
            if (parts.length != 2 || !REFERENCED_TYPES.contains(parts[0])) {
                continue;
            }
            raws.add(raw);
            if (!into.containsKey(parts[0] + "/" + parts[1])) {
                wanted.computeIfAbsent(parts[0], t -> new LinkedHashSet<>()).add(parts[1]);
            }
        }
        List<EhrClient.BadEntry> ignored = new ArrayList<>();
        wanted.forEach((type, ids) -> search(source, type, Map.of("_id", String.join(",", ids)), Resource.class,
                ignored).stream().filter(r -> type.equals(r.fhirType()) && ids.contains(r.getIdElement().getIdPart()))
                .forEach(r -> into.put(type + "/" + r.getIdElement().getIdPart(), r)));
        for (String raw : raws) {
            Resource resource = into.get(PatientSnapshot.key(raw));
            if (resource != null && raw.contains("://")) {
                into.put(PatientSnapshot.withoutHistory(raw), resource); // our own base, absolute
            }
        }
    }

    private static Stream<Reference> actors(Consent.ProvisionComponent provision) {
        return Stream.concat(provision.getActor().stream().map(Consent.provisionActorComponent::getReference),
                provision.getProvision().stream().flatMap(SnapshotLoader::actors));
    }
}
