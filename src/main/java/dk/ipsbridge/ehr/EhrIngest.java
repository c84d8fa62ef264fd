package dk.ipsbridge.ehr;

import static dk.ipsbridge.patient.IpsCodes.*;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.ipsbridge.config.IpsProperties.Source;
import dk.ipsbridge.config.RoundSettings;
import dk.ipsbridge.failure.BadInputException;
import dk.ipsbridge.failure.FailedRecords;
import dk.ipsbridge.http.ExternalJson;
import dk.ipsbridge.patient.PatientKey;
import dk.ipsbridge.patient.PatientSnapshot;
import dk.ipsbridge.queue.ReviewQueue;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Incremental polling of one resource type of one EHR source: pages through everything changed since the cursor
 * ({@code _lastUpdated}), marks the patients concerned for review, then moves the cursor. The first poll of a type is
 * the full initial load; one of more than {@code ips.operations.max-pages-per-poll} pages moves the cursor as far as it
 * read, when the EHR answered in {@code _lastUpdated} order, and the next poll goes on at once. Marks are idempotent,
 * so a crash mid-way only means the next poll repeats some of them.
 */
@Component
public class EhrIngest {

    private static final Logger log = LoggerFactory.getLogger(EhrIngest.class);
    private static final String DUPLICATE_ACROSS_PAGES = "duplicate-across-pages";

    private final EhrSources sources;
    private final EhrClient ehr;
    private final CursorStore cursors;
    private final ReviewQueue reviews;
    private final FailedRecords failed;
    private final RoundSettings rounds;
    private final PollSchedule schedule;
    private final Clock clock;
    private final ObjectMapper json = ExternalJson.mapper();

    EhrIngest(EhrSources sources, EhrClient ehr, CursorStore cursors, ReviewQueue reviews, FailedRecords failed,
            RoundSettings rounds, PollSchedule schedule, Clock clock) {
        this.sources = sources;
        this.ehr = ehr;
        this.cursors = cursors;
        this.reviews = reviews;
        this.failed = failed;
        this.rounds = rounds;
        this.schedule = schedule;
        this.clock = clock;
    }

    /** The units of work of one poll of a source, one per resource type, in the order they are polled. */
    public List<IngestWork> works(String sourceId) {
        sources.get(sourceId);
        return RESOURCE_TYPES.stream().map(type -> new IngestWork(sourceId, type)).toList();
    }

    /** Polls one resource type; returns how many patients were marked for review. */
    public int poll(IngestWork work) {
        return poll(work.sourceId(), work.resourceType());
    }

    int poll(String sourceId, String resourceType) {
        Source source = sources.get(sourceId);
        CursorStore.Cursor from = cursors.cursor(sourceId, resourceType).orElse(null);
        String cursor = from == null ? null : from.lastUpdated();
        Map<String, String> params = new LinkedHashMap<>();
        params.put("_count", String.valueOf(source.pageSize()));
        params.put("_sort", "_lastUpdated");
        params.putAll(ipsFilter(resourceType));
        if (cursor != null) {
            params.put("_lastUpdated", "ge" + cursor);
        }
        Instant asked = clock.instant();
        EhrClient.Page page = ehr.search(source, resourceType, params);
        String searchedAt = page.searchedAt();
        String newest = cursor;
        Instant newestAt = cursor == null ? null : new InstantType(cursor).getValue().toInstant();
        Set<String> atNewest = from == null ? new HashSet<>() : new HashSet<>(from.seenAt());
        Set<String> seenLinks = new HashSet<>();
        Set<String> marked = new HashSet<>();
        Set<String> seenVersions = new HashSet<>();
        List<String> repeated = new ArrayList<>();
        boolean inOrder = true; // every resource so far came at or after the one before it (_sort=_lastUpdated)
        Instant previousAt = null;
        boolean complete = true;
        int pages = 1;
        for (; ; pages++) {
            Instant now = clock.instant();
            List<PatientKey> changed = new ArrayList<>();
            for (Resource resource : page.resources()) {
                Instant at = resource.getMeta().getLastUpdated() == null ? null
                        : resource.getMeta().getLastUpdated().toInstant();
                if (at == null || previousAt != null && at.isBefore(previousAt)) {
                    inOrder = false;
                } else {
                    previousAt = at;
                }
                String version = version(resource);
                if (version != null && !seenVersions.add(version)) {
                    repeated.add(resource.fhirType() + "/" + EhrClient.safe(resource.getIdElement().getIdPart()));
                    continue;
                }
                if (from != null && from.seenAt().contains(version)) {
                    continue; // read by an earlier poll at the cursor's instant, which "ge" returns again
                }
                patientIds(resource).filter(marked::add).forEach(id -> changed.add(new PatientKey(sourceId, id)));
                InstantType lastUpdated = resource.getMeta().getLastUpdatedElement();
                if (lastUpdated.getValue() != null
                        && (newestAt == null || lastUpdated.getValue().toInstant().isAfter(newestAt))) {
                    newest = lastUpdated.getValueAsString();
                    newestAt = lastUpdated.getValue().toInstant();
                    atNewest.clear();
                }
                if (version != null && lastUpdated.getValue() != null
                        && lastUpdated.getValue().toInstant().equals(newestAt)) {
                    atNewest.add(version);
                }
            }
            for (EhrClient.BadEntry bad : page.badEntries()) {
                unreadable(sourceId, bad).filter(marked::add).ifPresent(id -> changed.add(new PatientKey(sourceId, id)));
            }
            reviews.changedAll(changed, now);
            if (page.next() == null) {
                break;
            }
            if (!seenLinks.add(page.next())) {
                throw new BadInputException("paging-loop", resourceType + " search repeated a next link after "
                        + pages + " pages; the cursor stays where it was", null);
            }
            if (pages >= rounds.maxPagesPerPoll()) {
                if (!inOrder) {
                    throw new BadInputException("paging-loop", resourceType + " search paged " + pages + " times, "
                            + "not in _lastUpdated order; the cursor stays where it was", null);
                }
                // In _lastUpdated order everything up to the newest seen has been read: the next poll goes on from
                // there (a go-live load of more than max-pages-per-poll pages), and comes at once.
                complete = false;
                break;
            }
            page = ehr.next(source, page.next());
        }
        if (newest != null) {
            cursors.save(sourceId, resourceType, cursorAfter(from, new CursorStore.Cursor(newest, atNewest), newestAt,
                    pages, searchedAt, asked), clock.instant());
        }
        String subject = resourceType + " search";
        failed.resolved(FailedRecords.INGEST, sourceId, subject, Set.of(DUPLICATE_ACROSS_PAGES));
        if (!repeated.isEmpty()) {
            // Nothing is lost, so the cursor moves; the record tells an operator that the EHR pages wrongly.
            failed.record(FailedRecords.INGEST, sourceId, null, subject, DUPLICATE_ACROSS_PAGES, repeated.size()
                    + " resource version(s) came more than once in one poll and were read once, first "
                    + repeated.get(0), null, clock.instant());
        }
        if (!marked.isEmpty()) {
            log.info("source={} type={} patientsMarked={}{}", sourceId, resourceType, marked.size(),
                    complete ? "" : " (more to read: the next poll goes on)");
        }
        if (!complete) {
            schedule.request(sourceId, clock.instant());
        }
        return marked.size();
    }

    /**
     * How far the EHR's clock may be behind ours, for an EHR that does not say when it made a search (no
     * {@code Bundle.meta.lastUpdated}): such a search counts as made this long before we asked.
     */
    static final Duration CLOCK_ALLOWANCE = Duration.ofMinutes(1);

    /**
     * Where the next poll begins. A search result is a list of resources fixed when the search is made, each read in
     * its current version when its page is (as HAPI does, which may also answer a search from a result it made up to
     * a minute before): a resource that changed since comes with a {@code lastUpdated} after the search, and a
     * resource that changed meanwhile but was not in the list does not come at all. Moving the cursor to the newest
     * seen would then skip that one for good. So after a poll that saw anything newer than the search, the next poll
     * begins at the instant of the search (what it reads again is read once more, harmlessly), never before the
     * cursor it began at.
     *
     * @param searchedAt when the EHR made the search ({@code Bundle.meta.lastUpdated}), or null when it does not say:
     *                   then a poll of one page counts as read when found, and a poll of several as made
     *                   {@link #CLOCK_ALLOWANCE} before we asked ({@code asked})
     */
    static CursorStore.Cursor cursorAfter(CursorStore.Cursor from, CursorStore.Cursor newest, Instant newestAt,
            int pages, String searchedAt, Instant asked) {
        Instant searched = searchedAt == null ? null : instant(searchedAt);
        String made = searchedAt;
        if (searched == null && pages > 1) {
            searched = asked.minus(CLOCK_ALLOWANCE);
            made = searched.toString();
        }
        if (searched == null || newestAt == null || !newestAt.isAfter(searched)) {
            return newest;
        }
        Instant start = from == null ? null : instant(from.lastUpdated());
        return start != null && !start.isBefore(searched) ? from : new CursorStore.Cursor(made, Set.of());
    }

    private static Instant instant(String fhirInstant) {
        try {
            return new InstantType(fhirInstant).getValue().toInstant();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * Narrows each search to IPS data where R4 has a search parameter for it, and asks only for what ingest reads: the
     * references that name the patient ({@code _elements}; id and meta always come). A poll only learns whose data
     * changed; each patient is read whole, fresh, when decided. So a go-live load does not carry every resource, with
     * names and CPR numbers, twice, and Conditions (diagnoses) are read only under a consent. An EHR that ignores
     * {@code _elements} returns whole resources, which are read the same way.
     */
    public static Map<String, String> ipsFilter(String resourceType) {
        return switch (resourceType) {
            case "Patient" -> Map.of("_elements", "id");
            case "Consent" -> Map.of("category", IPS_SYSTEM + "|" + IPS_DATA_SHARING, "_elements", "patient");
            case "ServiceRequest" -> Map.of("code", IPS_SYSTEM + "|" + IPS_REFERRAL, "_elements", "subject");
            case "EpisodeOfCare" -> Map.of("type", IPS_SYSTEM + "|" + IPS_REFERRAL, "_elements", "patient");
            case "CareTeam" -> Map.of("_elements", "subject");
            case "Appointment" -> Map.of("service-type", IPS_SYSTEM + "|" + TREATMENT_CONFERENCE,
                    "_elements", "participant");
            case "Goal" -> Map.of("category", IPS_SYSTEM + "|" + EMPLOYMENT_GOAL, "_elements", "subject");
            case "Condition" -> Map.of("_elements", "subject");
            default -> Map.of();
        };
    }

    /**
     * One version of a resource: the EHR repeating it within a poll is an anomaly. A newer version of a resource seen
     * earlier in the same poll is not (it changed while we paged) and is read like any change. Null without an id.
     */
    private static String version(Resource resource) {
        if (resource.getIdElement().getIdPart() == null) {
            return null;
        }
        return resource.fhirType() + "/" + resource.getIdElement().getIdPart() + "/" + resource.getMeta().getVersionId()
                + "/" + resource.getMeta().getLastUpdatedElement().getValueAsString();
    }

    public static Stream<String> patientIds(Resource resource) {
        Stream<Reference> refs;
        if (resource instanceof Patient p) {
            refs = Stream.of(new Reference("Patient/" + p.getIdElement().getIdPart()));
        } else if (resource instanceof Consent c) {
            refs = Stream.of(c.getPatient());
        } else if (resource instanceof ServiceRequest s) {
            refs = Stream.of(s.getSubject());
        } else if (resource instanceof EpisodeOfCare e) {
            refs = Stream.of(e.getPatient());
        } else if (resource instanceof CareTeam t) {
            refs = Stream.of(t.getSubject());
        } else if (resource instanceof Appointment a) {
            refs = a.getParticipant().stream().map(Appointment.AppointmentParticipantComponent::getActor);
        } else if (resource instanceof Goal g) {
            refs = Stream.of(g.getSubject());
        } else if (resource instanceof Condition c) {
            refs = Stream.of(c.getSubject());
        } else {
            refs = Stream.empty();
        }
        return refs.map(Reference::getReference).filter(r -> r != null).map(PatientSnapshot::key)
                .filter(k -> k.startsWith("Patient/")).map(k -> k.substring("Patient/".length())).distinct();
    }

    /**
     * An entry of a search page that cannot be read goes to the failed records. Fail closed: its patient, when the
     * entry names one, is to be read again, and an unreadable consent then shares nothing.
     *
     * @return the patient the entry names, if any
     */
    public Optional<String> unreadable(String sourceId, EhrClient.BadEntry bad) {
        failed.record(FailedRecords.INGEST, sourceId, null, bad.resourceType() + "/" + bad.id(),
                "unreadable-resource", bad.problem(), bad.json(), clock.instant());
        return patientIdOf(bad.json());
    }

    private Optional<String> patientIdOf(String rawJson) {
        try {
            JsonNode node = json.readTree(rawJson);
            return Stream.of("patient", "subject").map(f -> node.path(f).path("reference").asText(""))
                    .map(PatientSnapshot::key).filter(k -> k.startsWith("Patient/"))
                    .map(k -> k.substring("Patient/".length())).findFirst();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** The resource types polled, in the order the poll route runs them: the one list of them. */
    public static final List<String> RESOURCE_TYPES = List.of("Patient", "Consent", "ServiceRequest", "EpisodeOfCare",
            "CareTeam", "Appointment", "Goal", "Condition");
}
