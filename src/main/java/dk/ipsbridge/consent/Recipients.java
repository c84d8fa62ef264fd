package dk.ipsbridge.consent;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import dk.ipsbridge.patient.IpsCodes;
import dk.ipsbridge.patient.PatientSnapshot;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/** Turns consent actors and CareTeam members into configured jobcenters; knows who the current IPS consultants are. */
final class Recipients {

    /** A jobcenter, and the consultant ({@code Type/id}) through whom it was named, or null for the office itself. */
    record Target(String jobcenterId, String consultant) {
    }

    /** What one reference resolved to; {@code failure} says why nothing, in words fit for a log (no personal data). */
    record Resolution(List<Target> targets, String failure) {
        static Resolution failed(String failure) {
            return new Resolution(List.of(), failure);
        }
    }

    // Only ids that look like ids go into a detail; anything else could be personal data typed into a reference.
    private static final Pattern SAFE_KEY = Pattern.compile("[A-Z][A-Za-z]{1,40}/[A-Za-z0-9\\-.]{1,64}");
    private static final Pattern CPR_LIKE = Pattern.compile("(?<!\\d)\\d{6}-?\\d{4}(?!\\d)");
    private static final Set<String> ORGANISATION_SYSTEMS =
            Set.of(IpsCodes.SOR_SYSTEM, IpsCodes.CVR_SYSTEM, IpsCodes.KOMBIT_ORG_SYSTEM);

    private final JobcenterResolver resolver;
    private final PatientSnapshot snapshot;

    Recipients(JobcenterResolver resolver, PatientSnapshot snapshot) {
        this.resolver = resolver;
        this.snapshot = snapshot;
    }

    /**
     * The jobcenters an actor of {@code consent} names. An Organization names its configured jobcenter; a consultant
     * (Practitioner or PractitionerRole) names the jobcenter for which that person was the patient's IPS consultant
     * when the consent was given (C7), and a PractitionerRole with a jobcenter organisation only that one.
     */
    Resolution resolve(Reference ref, Consent consent) {
        if (ref == null || ref.isEmpty()) {
            return Resolution.failed("An actor has no reference");
        }
        if (!ref.hasReference()) {
            return resolveLogical(ref);
        }
        String label = describe(ref);
        Optional<Resource> resolved = snapshot.resolve(ref, consent);
        if (resolved.isEmpty()) {
            return Resolution.failed(label + " could not be resolved");
        }
        Resource resource = resolved.get();
        if (resource instanceof Organization organization) {
            return jobcenterOf(organization).map(jc -> new Resolution(List.of(new Target(jc, null)), null))
                    .orElseGet(() -> Resolution.failed(label + " has no configured jobcenter"));
        }
        if (!(resource instanceof Practitioner) && !(resource instanceof PractitionerRole)) {
            return Resolution.failed(label + " is not an Organization, Practitioner or PractitionerRole");
        }
        if (ref.getReference().startsWith("#")) {
            // a contained consultant has no identity a CareTeam could point at
            return Resolution.failed(label + " is a contained consultant");
        }
        String key = PatientSnapshot.key(ref.getReference());
        Optional<String> roleJobcenter = resource instanceof PractitionerRole role && role.hasOrganization()
                ? organisationJobcenter(role.getOrganization(), role) : Optional.empty();
        Instant given = consent.hasDateTime() ? FhirTime.first(consent.getDateTimeElement()) : null;
        String person = CareTeams.person(snapshot, key);
        Set<String> jobcenters = new TreeSet<>();
        if (given != null) {
            CareTeams.consultancies(snapshot, this, given).stream()
                    .filter(c -> c.jobcenter() != null && person.equals(c.person()))
                    .filter(c -> roleJobcenter.isEmpty() || roleJobcenter.get().equals(c.jobcenter()))
                    .forEach(c -> jobcenters.add(c.jobcenter()));
        }
        if (jobcenters.isEmpty()) {
            return Resolution.failed(label + " was no IPS consultant of the patient for a configured jobcenter "
                    + "when the consent was given");
        }
        return new Resolution(jobcenters.stream().map(jc -> new Target(jc, key)).toList(), null);
    }

    /** The jobcenter of an Organization reference, literal or logical. */
    Optional<String> organisationJobcenter(Reference ref, Resource container) {
        if (ref == null || ref.isEmpty()) {
            return Optional.empty();
        }
        if (ref.hasReference()) {
            return snapshot.resolve(ref, container).filter(Organization.class::isInstance)
                    .map(Organization.class::cast).flatMap(this::jobcenterOf);
        }
        if (ref.hasIdentifier() && isOrganisationType(ref)) {
            return jobcenterOf(ref.getIdentifier());
        }
        return Optional.empty();
    }

    /**
     * The CareTeam member through which {@code consultant} (the person, as any of their Practitioner or
     * PractitionerRole references) is, at {@code now}, an IPS consultant of the patient for {@code jobcenterId};
     * empty when he or she is not.
     */
    Optional<String> currentMember(String consultant, String jobcenterId, Instant now) {
        String person = CareTeams.person(snapshot, consultant);
        return CareTeams.consultancies(snapshot, this, now).stream()
                .filter(c -> jobcenterId.equals(c.jobcenter()) && person.equals(c.person()))
                .map(CareTeams.Consultancy::member).sorted().findFirst();
    }

    /** The patient's current IPS consultant working for {@code jobcenterId}; the lowest {@code Type/id} if several. */
    Optional<String> currentConsultantFor(String jobcenterId, Instant now) {
        return CareTeams.consultancies(snapshot, this, now).stream().filter(c -> jobcenterId.equals(c.jobcenter()))
                .map(CareTeams.Consultancy::member).sorted().findFirst();
    }

    private Resolution resolveLogical(Reference ref) {
        if (!ref.hasIdentifier() || !isOrganisationType(ref)) {
            return Resolution.failed("An actor reference is not readable");
        }
        return jobcenterOf(ref.getIdentifier()).map(jc -> new Resolution(List.of(new Target(jc, null)), null))
                .orElseGet(() -> Resolution.failed(describe(ref.getIdentifier()) + " has no configured jobcenter"));
    }

    private static boolean isOrganisationType(Reference ref) {
        return !ref.hasType() || "Organization".equals(ref.getType())
                || "http://hl7.org/fhir/StructureDefinition/Organization".equals(ref.getType());
    }

    private Optional<String> jobcenterOf(Organization organization) {
        for (Identifier identifier : organization.getIdentifier()) {
            Optional<String> jc = jobcenterOf(identifier);
            if (jc.isPresent()) {
                return jc;
            }
        }
        return Optional.empty();
    }

    private Optional<String> jobcenterOf(Identifier identifier) {
        if (!identifier.hasSystem() || !identifier.hasValue()) {
            return Optional.empty();
        }
        Optional<String> jc = resolver.jobcenterFor(identifier.getSystem(), identifier.getValue());
        return Objects.requireNonNullElse(jc, Optional.<String>empty()).filter(id -> !id.isBlank());
    }

    /** {@code key} if it looks like a {@code Type/id}, else a placeholder: a detail must never carry personal data. */
    static String label(String key) {
        return SAFE_KEY.matcher(key).matches() && !CPR_LIKE.matcher(key).find() ? key : "An actor reference";
    }

    private static String describe(Reference ref) {
        String reference = ref.getReference();
        if (reference.startsWith("#")) {
            return reference.matches("#[A-Za-z0-9\\-.]{1,64}") && !CPR_LIKE.matcher(reference).find()
                    ? "Contained " + reference : "A contained actor";
        }
        return label(PatientSnapshot.key(reference));
    }

    private static String describe(Identifier identifier) {
        String system = identifier.hasSystem() ? identifier.getSystem() : "no system";
        return ORGANISATION_SYSTEMS.contains(system)
                ? "Organization identifier " + system + "|" + identifier.getValue()
                : "An organisation identifier in " + system;
    }
}
