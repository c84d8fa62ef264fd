package dk.ipsbridge.consent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

import dk.ipsbridge.ehr.IpsCodes;
import dk.ipsbridge.ehr.PatientSnapshot;

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

    Resolution resolve(Reference ref, Resource container) {
        if (ref == null || ref.isEmpty()) {
            return Resolution.failed("An actor has no reference");
        }
        if (!ref.hasReference()) {
            return resolveLogical(ref);
        }
        String label = describe(ref);
        Optional<Resource> resolved = snapshot.resolve(ref, container);
        if (resolved.isEmpty()) {
            return Resolution.failed(label + " could not be resolved");
        }
        Resource resource = resolved.get();
        if (resource instanceof Organization organization) {
            return jobcenterOf(organization).map(jc -> new Resolution(List.of(new Target(jc, null)), null))
                    .orElseGet(() -> Resolution.failed(label + " has no configured jobcenter"));
        }
        boolean consultant = resource instanceof Practitioner || resource instanceof PractitionerRole;
        if (consultant && ref.getReference().startsWith("#")) {
            // a contained consultant has no identity a CareTeam could point at
            return Resolution.failed(label + " is a contained consultant");
        }
        String key = PatientSnapshot.key(ref.getReference());
        List<String> jobcenters = new ArrayList<>();
        if (resource instanceof Practitioner) {
            jobcenters.addAll(jobcentersOfPractitioner(key));
        } else if (resource instanceof PractitionerRole role) {
            if (role.hasOrganization()) {
                organisationJobcenter(role.getOrganization(), role).ifPresent(jobcenters::add);
            }
        } else {
            return Resolution.failed(label + " is not an Organization, Practitioner or PractitionerRole");
        }
        if (jobcenters.isEmpty()) {
            return Resolution.failed(label + " has no configured jobcenter");
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
     * True when {@code consultant} ({@code Practitioner/..} or {@code PractitionerRole/..}) is, at {@code now}, an
     * IPS consultant in one of the patient's CareTeams, for {@code jobcenterId}.
     */
    boolean isCurrentConsultant(String consultant, String jobcenterId, Instant now) {
        Set<String> members = new LinkedHashSet<>();
        members.add(consultant);
        if (consultant.startsWith("PractitionerRole/")) {
            snapshot.resolve(new Reference(consultant), null).filter(PractitionerRole.class::isInstance)
                    .map(PractitionerRole.class::cast).filter(PractitionerRole::hasPractitioner)
                    .map(r -> memberKey(r.getPractitioner())).ifPresent(members::add);
        }
        for (CareTeam team : snapshot.careTeams()) {
            for (CareTeam.CareTeamParticipantComponent p : currentConsultants(team, now)) {
                if (members.contains(memberKey(p))
                        && (!p.hasOnBehalfOf() || organisationJobcenter(p.getOnBehalfOf(), team)
                                .filter(jobcenterId::equals).isPresent())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The patient's current IPS consultant working for {@code jobcenterId}; the lowest {@code Type/id} if several. */
    Optional<String> currentConsultantFor(String jobcenterId, Instant now) {
        TreeSet<String> found = new TreeSet<>();
        for (CareTeam team : snapshot.careTeams()) {
            for (CareTeam.CareTeamParticipantComponent p : currentConsultants(team, now)) {
                String member = memberKey(p);
                if (member != null && consultantJobcenter(member, p, team).filter(jobcenterId::equals).isPresent()) {
                    found.add(member);
                }
            }
        }
        return found.stream().findFirst();
    }

    private Optional<String> consultantJobcenter(String member, CareTeam.CareTeamParticipantComponent p,
            CareTeam team) {
        if (member.startsWith("Practitioner/") && p.hasOnBehalfOf()) {
            return organisationJobcenter(p.getOnBehalfOf(), team);
        }
        if (member.startsWith("PractitionerRole/")) {
            return snapshot.resolve(p.getMember(), team).filter(PractitionerRole.class::isInstance)
                    .map(PractitionerRole.class::cast).filter(PractitionerRole::hasOrganization)
                    .flatMap(r -> organisationJobcenter(r.getOrganization(), r));
        }
        return Optional.empty();
    }

    /** Every participation counts, ended ones too, so that a former consultant is recognised as such. */
    private Set<String> jobcentersOfPractitioner(String practitioner) {
        Set<String> jobcenters = new LinkedHashSet<>();
        for (CareTeam team : snapshot.careTeams()) {
            for (CareTeam.CareTeamParticipantComponent p : team.getParticipant()) {
                if (p.hasOnBehalfOf() && practitioner.equals(memberKey(p))) {
                    organisationJobcenter(p.getOnBehalfOf(), team).ifPresent(jobcenters::add);
                }
            }
        }
        return jobcenters;
    }

    private List<CareTeam.CareTeamParticipantComponent> currentConsultants(CareTeam team, Instant now) {
        if (team.hasStatus() && team.getStatus() != CareTeam.CareTeamStatus.ACTIVE) {
            return List.of();
        }
        return team.getParticipant().stream()
                .filter(p -> p.getRole().stream().anyMatch(Recipients::isConsultantRole))
                .filter(p -> FhirTime.covers(p.hasPeriod() ? p.getPeriod() : null, now))
                .toList();
    }

    private static boolean isConsultantRole(CodeableConcept role) {
        return role.getCoding().stream().anyMatch(
                c -> IpsCodes.IPS_SYSTEM.equals(c.getSystem()) && IpsCodes.IPS_CONSULTANT.equals(c.getCode()));
    }

    private static String memberKey(CareTeam.CareTeamParticipantComponent participant) {
        return participant.hasMember() ? memberKey(participant.getMember()) : null;
    }

    private static String memberKey(Reference member) {
        if (member == null || !member.hasReference() || member.getReference().startsWith("#")) {
            return null;
        }
        return PatientSnapshot.key(member.getReference());
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
