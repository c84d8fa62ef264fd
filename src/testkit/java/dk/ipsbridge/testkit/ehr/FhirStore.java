package dk.ipsbridge.testkit.ehr;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TimeZone;

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

    private final Map<String, Map<String, Slot>> byType = new LinkedHashMap<>();
    private Clock clock = Clock.systemUTC();
    private Instant lastWrite = Instant.EPOCH;
    private long generatedIds;

    synchronized void clock(Clock newClock) {
        clock = Objects.requireNonNull(newClock, "clock");
    }

    synchronized Instant now() {
        return clock.instant();
    }

    /** Stores a new version of {@code resource} (a copy) and returns that version. */
    synchronized Resource put(Resource resource) {
        Objects.requireNonNull(resource, "resource");
        String type = resource.fhirType();
        String id = resource.getIdElement().getIdPart();
        if (id == null || id.isBlank()) {
            id = "gen-" + ++generatedIds;
        }
        Slot slot = byType.computeIfAbsent(type, t -> new LinkedHashMap<>()).computeIfAbsent(id, i -> new Slot());
        String version = String.valueOf(++slot.lastVersion);
        Resource copy = resource.copy();
        copy.setIdElement(new IdType(type, id, version));
        copy.getMeta().setVersionId(version);
        copy.getMeta().setLastUpdatedElement(new InstantType(Date.from(nextWriteInstant()), TemporalPrecisionEnum.MILLI,
                UTC));
        slot.history.add(copy);
        slot.deleted = false;
        return copy;
    }

    /** Marks the resource deleted (a deletion takes a version number, as in HAPI); false when it was not there. */
    synchronized boolean delete(String type, String id) {
        Slot slot = slot(type, id);
        if (slot == null || slot.deleted) {
            return false;
        }
        slot.deleted = true;
        slot.lastVersion++;
        nextWriteInstant();
        return true;
    }

    /** The current version, empty when unknown or deleted. */
    synchronized Optional<Resource> current(String type, String id) {
        Slot slot = slot(type, id);
        return slot == null || slot.deleted ? Optional.empty() : Optional.of(slot.latest());
    }

    synchronized boolean isDeleted(String type, String id) {
        Slot slot = slot(type, id);
        return slot != null && slot.deleted;
    }

    synchronized Optional<Resource> version(String type, String id, String versionId) {
        Slot slot = slot(type, id);
        if (slot == null) {
            return Optional.empty();
        }
        return slot.history.stream().filter(r -> r.getMeta().getVersionId().equals(versionId)).findFirst();
    }

    synchronized List<Resource> history(String type, String id) {
        Slot slot = slot(type, id);
        return slot == null ? List.of() : List.copyOf(slot.history);
    }

    /** Current versions of every live resource of {@code type}, in the default search order. */
    synchronized List<Resource> all(String type) {
        Map<String, Slot> slots = byType.getOrDefault(type, Map.of());
        List<Resource> result = new ArrayList<>(slots.size());
        for (Slot slot : slots.values()) {
            if (!slot.deleted) {
                result.add(slot.latest());
            }
        }
        result.sort(BY_LAST_UPDATED);
        return result;
    }

    synchronized List<String> types() {
        return List.copyOf(byType.keySet());
    }

    synchronized void clear() {
        byType.clear();
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
        private final List<Resource> history = new ArrayList<>();
        private int lastVersion;
        private boolean deleted;

        private Resource latest() {
            return history.get(history.size() - 1);
        }
    }
}
