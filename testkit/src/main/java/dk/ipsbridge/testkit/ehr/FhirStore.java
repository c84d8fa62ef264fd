package dk.ipsbridge.testkit.ehr;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TimeZone;
import java.util.function.Supplier;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Resource;

/**
 * The versioned in-memory resource store behind {@link MockEhr}. Stored versions are private copies that are never
 * mutated afterwards, so they may be read (and copied) outside the lock.
 */
final class FhirStore {

    /** Default search order: {@code meta.lastUpdated} ascending, then id. */
    static final Comparator<Resource> BY_LAST_UPDATED = Comparator
            .comparing((Resource r) -> r.getMeta().getLastUpdated())
            .thenComparing(r -> r.getIdElement().getIdPart());

    private static final TimeZone UTC = TimeZone.getTimeZone("UTC");

    /**
     * One version of a resource, as {@code _history} lists it: the content, or a deletion ({@code resource} null).
     *
     * @param number the version id; a deletion takes one too, as in HAPI
     * @param at     when it was written ({@code meta.lastUpdated} of a content version)
     */
    record Version(String type, String id, int number, Instant at, Resource resource) {

        boolean deleted() {
            return resource == null;
        }
    }

    private final Map<String, Map<String, Slot>> byType = new LinkedHashMap<>();
    /** Per type, what searches read, built on the first search after a write of that type (a server's indexes). */
    private final Map<String, TypeIndex> indexes = new HashMap<>();
    private Clock clock = Clock.systemUTC();
    private Instant lastWrite = Instant.EPOCH;
    private long generatedIds;

    synchronized void clock(Clock newClock) {
        clock = Objects.requireNonNull(newClock, "clock");
    }

    /** The store's time: never before its last write, whose instant may run ahead of the clock (many in one ms). */
    synchronized Instant now() {
        Instant now = clock.instant();
        return now.isBefore(lastWrite) ? lastWrite : now;
    }

    /** An id no resource has been given yet, as a server assigns one on create. */
    synchronized String newId() {
        return "gen-" + ++generatedIds;
    }

    /**
     * Runs {@code work} alone (other threads wait) and all or nothing: when it throws, the store is as it was before.
     */
    synchronized <T> T atomically(Supplier<T> work) {
        Map<String, Map<String, Slot>> saved = new LinkedHashMap<>();
        byType.forEach((type, slots) -> {
            Map<String, Slot> copies = new LinkedHashMap<>();
            slots.forEach((id, slot) -> copies.put(id, slot.copy()));
            saved.put(type, copies);
        });
        Instant savedLastWrite = lastWrite;
        long savedIds = generatedIds;
        try {
            return work.get();
        } catch (RuntimeException e) {
            byType.clear();
            byType.putAll(saved);
            indexes.clear();
            lastWrite = savedLastWrite;
            generatedIds = savedIds;
            throw e;
        }
    }

    /** Stores a new version of {@code resource} (a copy; an id is generated when missing) and returns that version. */
    synchronized Resource put(Resource resource) {
        Objects.requireNonNull(resource, "resource");
        String type = resource.fhirType();
        String id = resource.getIdElement().getIdPart();
        if (id == null || id.isBlank()) {
            id = newId();
        }
        Slot slot = byType.computeIfAbsent(type, t -> new LinkedHashMap<>()).computeIfAbsent(id, i -> new Slot());
        indexes.remove(type);
        String version = String.valueOf(slot.versions.size() + 1);
        Resource copy = resource.copy();
        copy.setIdElement(new IdType(type, id, version));
        copy.getMeta().setVersionId(version);
        Instant at = nextWriteInstant();
        copy.getMeta().setLastUpdatedElement(new InstantType(Date.from(at), TemporalPrecisionEnum.MILLI, UTC));
        slot.versions.add(new Version(type, id, slot.versions.size() + 1, at, copy));
        return copy;
    }

    /** Marks the resource deleted with a new version (as in HAPI); false when it was unknown or already deleted. */
    synchronized boolean delete(String type, String id) {
        Slot slot = slot(type, id);
        if (slot == null || slot.deleted()) {
            return false;
        }
        slot.versions.add(new Version(type, id, slot.versions.size() + 1, nextWriteInstant(), null));
        indexes.remove(type);
        return true;
    }

    /** The current version, empty when unknown or deleted. */
    synchronized Optional<Resource> current(String type, String id) {
        Slot slot = slot(type, id);
        return slot == null || slot.deleted() ? Optional.empty() : Optional.of(slot.latest().resource());
    }

    /** Whether the resource was ever stored, deleted since or not. */
    synchronized boolean known(String type, String id) {
        return slot(type, id) != null;
    }

    synchronized boolean isDeleted(String type, String id) {
        Slot slot = slot(type, id);
        return slot != null && slot.deleted();
    }

    /** One version, a deletion included; empty when unknown. */
    synchronized Optional<Version> version(String type, String id, String versionId) {
        Slot slot = slot(type, id);
        if (slot == null) {
            return Optional.empty();
        }
        return slot.versions.stream().filter(v -> String.valueOf(v.number()).equals(versionId)).findFirst();
    }

    /** The content versions of one resource, oldest first; deletions left out. */
    synchronized List<Resource> history(String type, String id) {
        Slot slot = slot(type, id);
        return slot == null ? List.of() : slot.versions.stream().filter(v -> !v.deleted()).map(Version::resource)
                .toList();
    }

    /**
     * The versions written at or after {@code since} (every one when null), deletions included, newest first, as
     * {@code _history} lists them.
     *
     * @param type a resource type, or null for every type
     * @param id   a resource id (with a type), or null for every resource
     */
    synchronized List<Version> versions(String type, String id, Instant since) {
        List<Version> result = new ArrayList<>();
        byType.forEach((t, slots) -> {
            if (type == null || type.equals(t)) {
                slots.forEach((i, slot) -> {
                    if (id == null || id.equals(i)) {
                        slot.versions.stream().filter(v -> since == null || !v.at().isBefore(since))
                                .forEach(result::add);
                    }
                });
            }
        });
        // every write has its own instant, so this order is total
        result.sort(Comparator.comparing(Version::at).reversed());
        return result;
    }

    /** Current versions of every live resource of {@code type}, in the default search order (unmodifiable). */
    synchronized List<Resource> all(String type) {
        return index(type).all();
    }

    /**
     * The current versions of {@code type} a search can match, in the default search order: those that name one of
     * {@code patients} ({@code Patient/id}) in a patient reference, when given, and those with one of {@code ids}, when
     * given; otherwise all. A narrowing only: the search still tests every candidate against all its parameters.
     */
    synchronized List<Resource> candidates(String type, Set<String> patients, Set<String> ids) {
        TypeIndex index = index(type);
        if (patients == null && ids == null) {
            return index.all();
        }
        Set<Resource> found = Collections.newSetFromMap(new IdentityHashMap<>());
        if (ids != null) {
            ids.stream().map(index.byId()::get).filter(Objects::nonNull).forEach(found::add);
        } else {
            patients.forEach(p -> found.addAll(index.byPatient().getOrDefault(p, List.of())));
        }
        List<Resource> result = new ArrayList<>(found);
        result.sort(BY_LAST_UPDATED);
        return result;
    }

    private TypeIndex index(String type) {
        return indexes.computeIfAbsent(type, t -> {
            List<Resource> all = new ArrayList<>();
            for (Slot slot : byType.getOrDefault(t, Map.of()).values()) {
                if (!slot.deleted()) {
                    all.add(slot.latest().resource());
                }
            }
            all.sort(BY_LAST_UPDATED);
            Map<String, List<Resource>> byPatient = new HashMap<>();
            Map<String, Resource> byId = new HashMap<>();
            for (Resource r : all) {
                byId.put(r.getIdElement().getIdPart(), r);
                FhirSearch.patientReferences(r).stream().map(ref -> FhirSearch.referenceKey(ref.getReference()))
                        .filter(Objects::nonNull).distinct()
                        .forEach(key -> byPatient.computeIfAbsent(key, k -> new ArrayList<>()).add(r));
            }
            return new TypeIndex(Collections.unmodifiableList(all), byPatient, byId);
        });
    }

    private record TypeIndex(List<Resource> all, Map<String, List<Resource>> byPatient, Map<String, Resource> byId) {
    }

    synchronized void clear() {
        byType.clear();
        indexes.clear();
        lastWrite = Instant.EPOCH;
        generatedIds = 0;
    }

    private Slot slot(String type, String id) {
        return byType.getOrDefault(type, Map.of()).get(id);
    }

    /** Millisecond instants that strictly increase, so {@code _lastUpdated=gt<x>} never misses or repeats a write. */
    private Instant nextWriteInstant() {
        Instant candidate = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Instant minimum = lastWrite.plusMillis(1);
        lastWrite = candidate.isBefore(minimum) ? minimum : candidate;
        return lastWrite;
    }

    private static final class Slot {
        private final List<Version> versions = new ArrayList<>();

        private Version latest() {
            return versions.get(versions.size() - 1);
        }

        private boolean deleted() {
            return latest().deleted();
        }

        private Slot copy() {
            Slot copy = new Slot();
            copy.versions.addAll(versions);
            return copy;
        }
    }
}
