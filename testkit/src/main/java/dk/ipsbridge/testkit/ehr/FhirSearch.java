package dk.ipsbridge.testkit.ehr;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import ca.uhn.fhir.parser.DataFormatException;
import org.hl7.fhir.exceptions.FHIRException;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;

/**
 * The search parameters {@link MockEhr} understands, parsed from the merged URL and form parameters. Each occurrence
 * of a parameter is a comma-separated OR list; repeated occurrences AND together. Parameters it does not know are
 * ignored, as a lenient FHIR server does.
 */
final class FhirSearch {

    static final int DEFAULT_COUNT = 20;
    static final int MAX_COUNT = 500;

    private static final Set<String> PATIENT_PARAMS = Set.of("patient", "subject");

    private final List<Predicate<Resource>> filters = new ArrayList<>();
    /** The first {@code patient}/{@code subject} and {@code _id} lists: they narrow the candidates (the store's index). */
    private Set<String> patients;
    private Set<String> ids;
    /** {@code _elements}: the top-level elements a match is returned with (besides id and meta); null for all. */
    private Set<String> elements;
    private final int count;
    private final boolean descending;

    private FhirSearch(int count, boolean descending) {
        this.count = count;
        this.descending = descending;
    }

    /**
     * As {@link #parse(String, Map)}, ignoring the parameters named in {@code ignored} (with any modifier), as a
     * lenient server that does not support them does.
     */
    static FhirSearch parse(String type, Map<String, List<String>> params, Set<String> ignored) {
        if (ignored.isEmpty()) {
            return parse(type, params);
        }
        Map<String, List<String>> kept = new LinkedHashMap<>();
        params.forEach((name, values) -> {
            int colon = name.indexOf(':');
            if (!ignored.contains(colon < 0 ? name : name.substring(0, colon))) {
                kept.put(name, values);
            }
        });
        return parse(type, kept);
    }

    /**
     * Parses the parameters of a search on {@code type}.
     *
     * @throws InvalidSearchException for a value a real server would reject with 400
     */
    static FhirSearch parse(String type, Map<String, List<String>> params) {
        FhirSearch search = new FhirSearch(parseCount(params.get("_count")), descending(params.get("_sort")));
        for (Map.Entry<String, List<String>> param : params.entrySet()) {
            String name = param.getKey();
            int colon = name.indexOf(':');
            // modifiers such as subject:Patient only narrow the reference type here
            String base = colon < 0 ? name : name.substring(0, colon);
            for (String value : param.getValue()) {
                search.add(type, base, value);
            }
        }
        return search;
    }

    /** The search parameters this class understands on {@code type}, as the CapabilityStatement lists them. */
    static Map<String, Enumerations.SearchParamType> parameters(String type) {
        Map<String, Enumerations.SearchParamType> params = new LinkedHashMap<>();
        params.put("_id", Enumerations.SearchParamType.TOKEN);
        params.put("_lastUpdated", Enumerations.SearchParamType.DATE);
        if (hasChild(type, "identifier")) {
            params.put("identifier", Enumerations.SearchParamType.TOKEN);
        }
        if (hasChild(type, "status")) {
            params.put("status", Enumerations.SearchParamType.TOKEN);
        }
        if (hasPatientReference(type)) {
            PATIENT_PARAMS.stream().sorted().forEach(p -> params.put(p, Enumerations.SearchParamType.REFERENCE));
        }
        return params;
    }

    /** The page size asked for, defaulted and capped. */
    int count() {
        return count;
    }

    /** The matching current versions of {@code type} in {@code store}, in the order asked for. */
    List<Resource> apply(FhirStore store, String type) {
        List<Resource> result = new ArrayList<>();
        for (Resource r : store.candidates(type, patients, ids)) {
            if (filters.stream().allMatch(f -> f.test(r))) {
                result.add(r);
            }
        }
        if (descending) {
            result.sort(FhirStore.BY_LAST_UPDATED.reversed());
        }
        return result;
    }

    /**
     * A match as the search returns it: a copy, or with {@code _elements} a copy with only those top-level elements,
     * its id and meta, and the tag {@code SUBSETTED}, as HAPI returns it. An element the type does not have is left out.
     */
    Resource shape(Resource r) {
        if (elements == null) {
            return r.copy();
        }
        Resource subset = (Resource) MockEhr.FHIR.getResourceDefinition(r).newInstance();
        subset.setIdElement(r.getIdElement().copy());
        subset.setMeta(r.getMeta().copy());
        subset.getMeta().addTag(SUBSETTED_SYSTEM, "SUBSETTED", "Resource encoded in summary mode");
        for (String name : elements) {
            Property property;
            try {
                property = r.getNamedProperty(name);
            } catch (FHIRException e) {
                continue;
            }
            if (property != null) {
                property.getValues().forEach(value -> subset.setProperty(name, value.copy()));
            }
        }
        return subset;
    }

    static final String SUBSETTED_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ObservationValue";

    /** Whether {@code r} matches every filter; used by the conditional create. */
    boolean matches(Resource r) {
        return filters.stream().allMatch(f -> f.test(r));
    }

    private void add(String type, String name, String value) {
        switch (name) {
            case "_lastUpdated" -> filters.add(lastUpdated(value));
            case "_elements" -> elements = Set.copyOf(split(value));
            case "_id" -> {
                Set<String> wanted = Set.copyOf(split(value));
                filters.add(r -> wanted.contains(r.getIdElement().getIdPart()));
                ids = ids == null ? wanted : ids;
            }
            case "identifier" -> {
                List<String> tokens = split(value);
                filters.add(r -> tokens.stream().anyMatch(t -> hasIdentifier(r, t)));
            }
            case "status" -> {
                if (hasChild(type, "status")) {
                    Set<String> codes = Set.copyOf(split(value));
                    filters.add(r -> children(r, "status").stream().anyMatch(s -> codes.contains(s.primitiveValue())));
                }
            }
            default -> {
                if (PATIENT_PARAMS.contains(name) && hasPatientReference(type)) {
                    Set<String> wanted = split(value).stream().map(FhirSearch::patientKey)
                            .collect(Collectors.toUnmodifiableSet());
                    filters.add(r -> patientReferences(r).stream().map(ref -> referenceKey(ref.getReference()))
                            .anyMatch(key -> key != null && wanted.contains(key)));
                    patients = patients == null ? wanted : patients;
                }
                // anything else: ignored like a lenient server
            }
        }
    }

    /** The page size {@code _count} asks for: the last one given, defaulted and capped. */
    static int parseCount(List<String> values) {
        if (values == null || values.isEmpty()) {
            return DEFAULT_COUNT;
        }
        String raw = values.get(values.size() - 1).trim();
        try {
            int n = Integer.parseInt(raw);
            if (n < 0) {
                throw new InvalidSearchException("_count must not be negative");
            }
            return Math.min(n, MAX_COUNT);
        } catch (NumberFormatException e) {
            throw new InvalidSearchException("_count is not a number");
        }
    }

    private static boolean descending(List<String> values) {
        return values != null && values.stream().anyMatch(v -> v.trim().equals("-_lastUpdated"));
    }

    /**
     * {@code _lastUpdated} with a FHIR prefix, compared as ranges: {@code 2026-01-02} covers that whole day, a value
     * with milliseconds covers one millisecond.
     */
    private static Predicate<Resource> lastUpdated(String raw) {
        String value = raw.trim();
        String prefix = "eq";
        if (value.length() > 2 && Character.isLetter(value.charAt(0)) && Character.isLetter(value.charAt(1))) {
            prefix = value.substring(0, 2);
            value = value.substring(2);
        }
        Range range = range(value, "_lastUpdated");
        Instant lower = range.lower();
        Instant upper = range.upper();
        return switch (prefix) {
            case "eq" -> r -> !at(r).isBefore(lower) && at(r).isBefore(upper);
            case "ne" -> r -> at(r).isBefore(lower) || !at(r).isBefore(upper);
            case "gt", "sa" -> r -> !at(r).isBefore(upper);
            case "ge" -> r -> !at(r).isBefore(lower);
            case "lt", "eb" -> r -> at(r).isBefore(lower);
            case "le" -> r -> at(r).isBefore(upper);
            default -> throw new InvalidSearchException("_lastUpdated has an unknown prefix");
        };
    }

    /** The instants a FHIR date or date-time covers, {@code [lower, upper)}. */
    record Range(Instant lower, Instant upper) {
    }

    /**
     * The range of a date or date-time parameter value; a date without time has no zone, so it is read as UTC and
     * results do not depend on the machine.
     *
     * @throws InvalidSearchException naming {@code name} when it is neither
     */
    static Range range(String raw, String name) {
        // a '+' of a time zone that the client forgot to percent-encode arrives as a space
        String value = raw.trim().replace(' ', '+');
        DateTimeType parsed;
        try {
            parsed = new DateTimeType(value);
        } catch (DataFormatException | IllegalArgumentException e) {
            throw new InvalidSearchException(name + " is not a valid date or date-time");
        }
        if (parsed.getValue() == null) {
            throw new InvalidSearchException(name + " is not a valid date or date-time");
        }
        if (parsed.getPrecision().ordinal() > TemporalPrecisionEnum.DAY.ordinal()) {
            return new Range(parsed.getValue().toInstant(), parsed.getPrecision().add(parsed.getValue(), 1).toInstant());
        }
        ZonedDateTime start = LocalDate.of(parsed.getYear(),
                parsed.getPrecision() == TemporalPrecisionEnum.YEAR ? 1 : parsed.getMonth() + 1,
                parsed.getPrecision() == TemporalPrecisionEnum.DAY ? parsed.getDay() : 1).atStartOfDay(ZoneOffset.UTC);
        ZonedDateTime end = switch (parsed.getPrecision()) {
            case YEAR -> start.plusYears(1);
            case MONTH -> start.plusMonths(1);
            default -> start.plusDays(1);
        };
        return new Range(start.toInstant(), end.toInstant());
    }

    private static Instant at(Resource r) {
        return r.getMeta().getLastUpdated().toInstant();
    }

    /** {@code system|value}, {@code |value} (no system), {@code system|} (any value) or {@code value} (any system). */
    private static boolean hasIdentifier(Resource r, String token) {
        int bar = token.indexOf('|');
        String system = bar < 0 ? null : token.substring(0, bar);
        String value = bar < 0 ? token : token.substring(bar + 1);
        for (Base b : children(r, "identifier")) {
            if (b instanceof Identifier id) {
                boolean systemOk = system == null || (system.isEmpty() ? !id.hasSystem() : system.equals(id.getSystem()));
                boolean valueOk = value.isEmpty() || value.equals(id.getValue());
                if (systemOk && valueOk) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean hasChild(String type, String child) {
        try {
            return MockEhr.FHIR.getResourceDefinition(type).getChildByName(child) != null;
        } catch (DataFormatException e) {
            return false;
        }
    }

    private static List<Base> children(Resource r, String name) {
        Base[] values = r.listChildrenByName(name, false);
        return values == null ? List.of() : Arrays.asList(values);
    }

    private static boolean hasPatientReference(String type) {
        return switch (type) {
            case "Consent", "ServiceRequest", "EpisodeOfCare", "CareTeam", "Goal", "Condition", "Observation",
                    "Appointment" -> true;
            default -> false;
        };
    }

    /** The references {@code patient}/{@code subject} search on, per resource type. */
    static List<Reference> patientReferences(Resource r) {
        if (r instanceof Consent c) {
            return List.of(c.getPatient());
        } else if (r instanceof ServiceRequest s) {
            return List.of(s.getSubject());
        } else if (r instanceof EpisodeOfCare e) {
            return List.of(e.getPatient());
        } else if (r instanceof CareTeam ct) {
            return List.of(ct.getSubject());
        } else if (r instanceof Goal g) {
            return List.of(g.getSubject());
        } else if (r instanceof Condition c) {
            return List.of(c.getSubject());
        } else if (r instanceof Observation o) {
            return List.of(o.getSubject());
        } else if (r instanceof Appointment a) {
            return a.getParticipant().stream().map(Appointment.AppointmentParticipantComponent::getActor).toList();
        }
        return List.of();
    }

    /** A bare id means a Patient id. */
    private static String patientKey(String value) {
        String v = value.trim();
        return v.contains("/") ? referenceKey(v) : "Patient/" + v;
    }

    /** {@code Type/id} of a literal reference, without base URL or version; null for a non-literal one. */
    static String referenceKey(String reference) {
        if (reference == null) {
            return null;
        }
        String ref = reference;
        int history = ref.indexOf("/_history/");
        if (history >= 0) {
            ref = ref.substring(0, history);
        }
        String[] parts = ref.split("/");
        return parts.length < 2 ? ref : parts[parts.length - 2] + "/" + parts[parts.length - 1];
    }

    private static List<String> split(String value) {
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** A search a real server would answer with 400; the message holds no parameter value. */
    static final class InvalidSearchException extends FhirException {
        InvalidSearchException(String message) {
            super(400, OperationOutcome.IssueType.INVALID, message);
        }
    }
}
