package dk.ipsbridge.consent;

import java.time.Instant;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import dk.ipsbridge.patient.IpsCodes;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Resource;

/**
 * Which resources of the shared categories may go: the data-level half of a {@link GateDecision.Share}. The gate
 * decides whole categories; this decides, resource by resource, what the provisions' {@code securityLabel},
 * {@code dataPeriod} and {@code class} leave of them. Immutable, a value, and free of personal data.
 *
 * <p>A resource may go when its category is shared, some applicable permit provision covers it and no applicable
 * deny provision does:
 * <ul>
 * <li>A permit covers a resource when its codes name the category, its {@code class} (if any) names the resource's
 * type, and the resource's {@link ClinicalTime clinical time} lies wholly within the permit's {@code dataPeriod} (if
 * any). Labels do not narrow a permit: ticking a category is the explicit permission for its data, whatever its
 * security label (contract 1.1, C9).</li>
 * <li>A deny covers a resource of a category it names when the resource carries any of its labels (if it has any) and
 * its clinical time overlaps the deny's {@code dataPeriod} (if any). A deny labelled PSY (psychiatric) or ETH
 * (substance use) so removes the resources that carry that label.</li>
 * <li>{@code dataPeriod} does not apply to contact details (C10): they have no clinical time.</li>
 * <li>Where a {@code dataPeriod} applies, a resource without a clinical time cannot be shown to lie outside it: a
 * permit does not cover it and a deny does (fail closed).</li>
 * </ul>
 */
public final class DataPolicy {

    static final Label PSY = new Label(IpsCodes.ACT_CODE_SYSTEM, IpsCodes.PSY);
    static final Label ETH = new Label(IpsCodes.ACT_CODE_SYSTEM, IpsCodes.ETH);

    /** A security label, by system and code. */
    record Label(String system, String code) {
        static Set<Label> of(Collection<Coding> codings) {
            Set<Label> labels = new LinkedHashSet<>();
            for (Coding coding : codings) {
                labels.add(new Label(coding.getSystem(), coding.getCode()));
            }
            return Set.copyOf(labels);
        }
    }

    /**
     * What one provision says about data.
     *
     * @param categories    the categories it names (after {@code class} for a permit)
     * @param resourceTypes the types its {@code class} names, or null without class (a permit only: a deny
     *                      covers its categories whatever the type)
     * @param labels        its security labels
     * @param dated         whether it has a {@code dataPeriod}
     * @param from          the dataPeriod's first instant, or null when open
     * @param to            the dataPeriod's last instant, or null when open
     * @param identity      a deny only: whether it covers the patient's identity too (no code, class Patient or none)
     */
    record Rule(Set<DataCategory> categories, Set<String> resourceTypes, Set<Label> labels, boolean dated,
            Instant from, Instant to, boolean identity) {

        Rule {
            categories = categories.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(categories));
            resourceTypes = resourceTypes == null ? null : Set.copyOf(resourceTypes);
            labels = Set.copyOf(labels);
        }

        boolean permits(DataCategory category, String type, Optional<ClinicalTime.Span> time) {
            return categories.contains(category)
                    && (resourceTypes == null || resourceTypes.contains(type))
                    && (!dated || !category.dated() || time.filter(this::contains).isPresent());
        }

        boolean covers(DataCategory category, Set<Label> carried, Optional<ClinicalTime.Span> time) {
            if (dated && !category.dated()) {
                return false; // a deny of data from a period is about none of the undated contact details
            }
            return categories.contains(category) && carriesAny(carried)
                    && (!dated || time.map(this::overlaps).orElse(true));
        }

        boolean coversIdentity(Set<Label> carried) {
            // identity is no dated data: a deny by dataPeriod alone leaves it, one by label takes it
            return identity && (labels.isEmpty() ? !dated : carriesAny(carried));
        }

        private boolean carriesAny(Set<Label> carried) {
            return labels.isEmpty() || labels.stream().anyMatch(carried::contains);
        }

        private boolean contains(ClinicalTime.Span span) {
            return (from == null || !span.first().isBefore(from)) && (to == null || !span.last().isAfter(to));
        }

        private boolean overlaps(ClinicalTime.Span span) {
            return (to == null || !span.first().isAfter(to)) && (from == null || !span.last().isBefore(from));
        }
    }

    /** Why the patient's identity may not go. */
    record Refusal(HoldReason reason, String detail) {
    }

    private final Set<DataCategory> categories;
    private final List<Rule> permits;
    private final List<Rule> denies;

    DataPolicy(Set<DataCategory> categories, List<Rule> permits, List<Rule> denies) {
        this.categories = categories.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(categories));
        this.permits = List.copyOf(permits);
        this.denies = List.copyOf(denies);
    }

    /**
     * The default where no consent was read into a policy: each of {@code categories} may go, but no resource
     * labelled PSY or ETH (as if the citizen had denied them), and without a time restriction.
     */
    public static DataPolicy failClosed(Set<DataCategory> categories) {
        return new DataPolicy(categories,
                List.of(new Rule(categories, null, Set.of(), false, null, null, false)),
                List.of(new Rule(categories, null, Set.of(PSY, ETH), false, null, null, false)));
    }

    /** The categories this policy lets any resource of go. */
    public Set<DataCategory> categories() {
        return categories;
    }

    /**
     * True when {@code resource} may go as data of {@code category}: the category is shared, the resource is of one
     * of its {@link DataCategory#resourceTypes() types}, and the rules above allow it. False for anything it cannot
     * read. Never throws.
     */
    public boolean allows(DataCategory category, Resource resource) {
        try {
            if (category == null || resource == null || !categories.contains(category)
                    || !category.resourceTypes().contains(resource.fhirType())) {
                return false;
            }
            Set<Label> carried = labelsOf(resource);
            Optional<ClinicalTime.Span> time = ClinicalTime.of(resource);
            return permits.stream().anyMatch(p -> p.permits(category, resource.fhirType(), time))
                    && denies.stream().noneMatch(d -> d.covers(category, carried, time));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Null when the identity in {@code patient} may go with whatever is shared (rule 4), else why not. */
    Refusal identityRefusal(Resource patient) {
        Set<Label> carried = labelsOf(patient);
        if (denies.stream().anyMatch(d -> d.coversIdentity(carried))) {
            return new Refusal(HoldReason.CONSENT_DENIED, "A nested deny provision covers the patient's identity");
        }
        return null;
    }

    private static Set<Label> labelsOf(Resource resource) {
        return resource.hasMeta() ? Label.of(resource.getMeta().getSecurity()) : Set.of();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DataPolicy p && categories.equals(p.categories) && permits.equals(p.permits)
                && denies.equals(p.denies);
    }

    @Override
    public int hashCode() {
        return Objects.hash(categories, permits, denies);
    }

    /** Counts only: the rules hold no personal data, but a log line needs no more. */
    @Override
    public String toString() {
        return "DataPolicy[categories=" + categories.stream().sorted().map(DataCategory::code).toList() + ", permits="
                + permits.size() + ", denies=" + denies.size() + "]";
    }
}
