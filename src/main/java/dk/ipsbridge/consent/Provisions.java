package dk.ipsbridge.consent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dk.ipsbridge.consent.GateDecision.Withheld;
import dk.ipsbridge.patient.IpsCodes;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Consent.ConsentProvisionType;
import org.hl7.fhir.r4.model.Consent.ProvisionComponent;
import org.hl7.fhir.r4.model.Period;

/**
 * Works out what one Consent's provisions let the region do, for one action, with one jobcenter: which categories,
 * why the others not, and the {@link DataPolicy} for the resources of those categories.
 *
 * <p>Nested provisions are read as exceptions to the root: a permit adds, a deny removes and wins, whatever the
 * depth. A nested provision is skipped, with its own nested provisions, when its {@code period}, {@code action},
 * actors or (for a permit) {@code purpose} do not fit. {@code code} and {@code class} of one provision are read
 * together, as FHIR does: a permit covers the categories both name ({@code class} never widens), a deny the
 * categories both select. A deny with {@code securityLabel} or {@code dataPeriod} is about some resources only, so it
 * goes into the data policy instead of removing whole categories; a permit's labels are ignored (C9).
 *
 * <p>Where a deny cannot be fully understood (codes outside the data categories, a {@code class} outside FHIR
 * resource types, a security label of another system, named resources), the consent is unreadable: the reading that
 * shares less. A permit that cannot be understood adds nothing.
 */
final class Provisions {

    static final String RESOURCE_TYPES_SYSTEM = "http://hl7.org/fhir/resource-types";

    /** The permitted categories, the withheld ones, the policy; or the reason nothing may be done at all. */
    record Result(Set<DataCategory> categories, Map<DataCategory, Withheld> withheld, DataPolicy policy,
            HoldReason reason, String detail) {
        static Result hold(HoldReason reason, String detail) {
            return new Result(Set.of(), Map.of(), null, reason, detail);
        }
    }

    private final Consent consent;
    private final String jobcenterId;
    private final ConsentAction action;
    private final Recipients recipients;
    private final Instant now;
    private final List<DataPolicy.Rule> permits = new ArrayList<>();
    private final List<DataPolicy.Rule> dataDenies = new ArrayList<>();
    private final Map<DataCategory, String> denied = new EnumMap<>(DataCategory.class);
    private final Set<DataCategory> leftOutByClass = EnumSet.noneOf(DataCategory.class);
    private boolean granted;
    private Result failure;

    private Provisions(Consent consent, String jobcenterId, ConsentAction action, Recipients recipients,
            Instant now) {
        this.consent = consent;
        this.jobcenterId = jobcenterId;
        this.action = action;
        this.recipients = recipients;
        this.now = now;
    }

    /** The root's own period, action and purpose are the caller's to check; this reads everything else. */
    static Result evaluate(Consent consent, String jobcenterId, ConsentAction action, Recipients recipients,
            Instant now) {
        return new Provisions(consent, jobcenterId, action, recipients, now).evaluate();
    }

    /** IRCP actors of the root and of every nested permit: the recipients the consent names. */
    static List<Consent.provisionActorComponent> recipientActors(ProvisionComponent root) {
        List<Consent.provisionActorComponent> actors = new ArrayList<>(recipientActorsOf(root));
        collectNestedRecipients(root, actors);
        return actors;
    }

    /** True when the provision states no purpose or IPS employment support among them. */
    static boolean servesIps(ProvisionComponent provision) {
        return !provision.hasPurpose() || provision.getPurpose().stream().anyMatch(
                c -> IpsCodes.IPS_SYSTEM.equals(c.getSystem()) && IpsCodes.IPS_EMPLOYMENT_SUPPORT.equals(c.getCode()));
    }

    private Result evaluate() {
        ProvisionComponent root = consent.getProvision();
        if (root.hasData()) {
            return Result.hold(HoldReason.CONSENT_UNREADABLE,
                    "The consent provision names individual resources (data), which the gate does not evaluate");
        }
        List<Consent.provisionActorComponent> rootRecipients = recipientActorsOf(root);
        // the action needs a current provision naming this jobcenter; a root naming nobody still lends its codes
        granted = rootRecipients.stream().anyMatch(this::resolvesHere);
        if (granted || rootRecipients.isEmpty()) {
            permit(root);
        }
        for (ProvisionComponent nested : root.getProvision()) {
            walk(nested);
            if (failure != null) {
                return failure;
            }
        }
        if (!granted) {
            return Result.hold(action.notPermitted(),
                    "No provision currently permits " + action.towards() + " this jobcenter");
        }
        Set<DataCategory> shared = EnumSet.noneOf(DataCategory.class);
        permits.forEach(p -> shared.addAll(p.categories()));
        shared.removeAll(denied.keySet());
        Map<DataCategory, Withheld> withheld = new EnumMap<>(DataCategory.class);
        for (DataCategory category : DataCategory.values()) {
            if (denied.containsKey(category)) {
                withheld.put(category, new Withheld(HoldReason.CATEGORY_DENIED, denied.get(category)));
            } else if (!shared.contains(category)) {
                withheld.put(category, new Withheld(HoldReason.CATEGORY_NOT_CONSENTED,
                        leftOutByClass.contains(category) ? "Named by a permit whose class leaves out its resources"
                                : "No provision that applies to this jobcenter, action and time names it"));
            }
        }
        return new Result(shared, withheld, new DataPolicy(shared, permits, dataDenies), null, null);
    }

    private void walk(ProvisionComponent provision) {
        if (!provision.hasType()) {
            failure = Result.hold(HoldReason.CONSENT_UNREADABLE, "A nested provision has no type");
            return;
        }
        if (!applies(provision)) {
            return;
        }
        if (provision.getType() == ConsentProvisionType.PERMIT) {
            // a permit of named resources only is one we cannot apply: it adds nothing, not even the right to act
            if (!provision.hasData()) {
                if (recipientActorsOf(provision).stream().anyMatch(this::resolvesHere)) {
                    granted = true;
                }
                permit(provision);
            }
        } else {
            deny(provision);
        }
        for (ProvisionComponent child : provision.getProvision()) {
            if (failure != null) {
                return;
            }
            walk(child);
        }
    }

    private boolean applies(ProvisionComponent provision) {
        if (provision.hasPeriod() && !FhirTime.covers(provision.getPeriod(), now)) {
            return false;
        }
        if (provision.hasAction() && provision.getAction().stream().noneMatch(action::matches)) {
            return false;
        }
        // a deny for another purpose may still be meant for ours: only a permit must serve IPS
        if (provision.getType() == ConsentProvisionType.PERMIT && !servesIps(provision)) {
            return false;
        }
        if (!provision.hasActor()) {
            return true;
        }
        if (provision.getType() == ConsentProvisionType.PERMIT) {
            return recipientActorsOf(provision).stream().anyMatch(this::resolvesHere);
        }
        // a deny holds unless every actor it names is known to be someone else
        return provision.getActor().stream().anyMatch(a -> resolvesHere(a) || !resolves(a));
    }

    private void permit(ProvisionComponent provision) {
        Set<DataCategory> named = categories(provision.getCode());
        Set<String> types = null;
        if (provision.hasClass_()) {
            types = classTypes(provision.getClass_());
            Set<DataCategory> kept = EnumSet.noneOf(DataCategory.class);
            kept.addAll(named);
            kept.retainAll(DataCategory.ofResourceTypes(types));
            named.removeAll(kept);
            leftOutByClass.addAll(named);
            named = kept;
        }
        // C9: a label narrows only a deny; a permit's labels say nothing the ticked categories do not
        permits.add(new DataPolicy.Rule(named, types, Set.of(),
                provision.hasDataPeriod(), from(provision.getDataPeriod()), to(provision.getDataPeriod()), false));
    }

    private void deny(ProvisionComponent provision) {
        String unreadable = unreadableDeny(provision);
        if (unreadable != null) {
            failure = Result.hold(HoldReason.CONSENT_UNREADABLE, unreadable);
            return;
        }
        boolean dataLevel = provision.hasSecurityLabel() || provision.hasDataPeriod();
        if (!provision.hasCode() && !provision.hasClass_() && !dataLevel) {
            failure = Result.hold(HoldReason.CONSENT_DENIED, "A nested deny provision covers all data");
            return;
        }
        Set<DataCategory> covered = provision.hasCode() ? categories(provision.getCode())
                : EnumSet.allOf(DataCategory.class);
        Set<String> types = provision.hasClass_() ? classTypes(provision.getClass_()) : Set.of();
        if (provision.hasClass_()) {
            covered.retainAll(DataCategory.ofResourceTypes(types));
        }
        if (provision.hasCode() && provision.hasClass_() && covered.isEmpty()) {
            // a deny that names data but selects none was meant to deny something we cannot tell
            failure = Result.hold(HoldReason.CONSENT_UNREADABLE,
                    "A nested deny provision's code and class select no data");
            return;
        }
        boolean identity = !provision.hasCode() && (!provision.hasClass_() || types.contains("Patient"));
        if (dataLevel) {
            dataDenies.add(new DataPolicy.Rule(covered, null, DataPolicy.Label.of(provision.getSecurityLabel()),
                    provision.hasDataPeriod(), from(provision.getDataPeriod()), to(provision.getDataPeriod()),
                    identity));
            return;
        }
        if (identity) {
            failure = Result.hold(HoldReason.CONSENT_DENIED,
                    "A nested deny provision of class Patient covers the patient's identity");
            return;
        }
        String detail = provision.hasClass_()
                ? "Carved out by a nested deny provision of class " + String.join(", ", knownTypes(types))
                : "Carved out by a nested deny provision";
        covered.forEach(c -> denied.putIfAbsent(c, detail));
    }

    /** Why a deny cannot be understood, or null. */
    private static String unreadableDeny(ProvisionComponent provision) {
        if (provision.hasData()) {
            return "A nested deny provision names individual resources (data), which the gate does not evaluate";
        }
        for (CodeableConcept code : provision.getCode()) {
            if (code.getCoding().stream().noneMatch(Provisions::isCategory)) {
                // a deny of something we cannot map to categories might cover any of them
                return "A nested deny provision covers codes outside the data categories";
            }
        }
        for (Coding type : provision.getClass_()) {
            if (!RESOURCE_TYPES_SYSTEM.equals(type.getSystem()) || !type.hasCode()) {
                return "A nested deny provision has a class outside the FHIR resource types";
            }
        }
        for (Coding label : provision.getSecurityLabel()) {
            // v3-ActCode labels (PSY, ETH, ...) are matched exactly; others, such as the ordered confidentiality
            // codes, cover more than their own code and would need rules we do not have
            if (!IpsCodes.ACT_CODE_SYSTEM.equals(label.getSystem()) || !label.hasCode()) {
                return "A nested deny provision has a security label outside v3-ActCode";
            }
        }
        return null;
    }

    private boolean resolvesHere(Consent.provisionActorComponent actor) {
        return recipients.resolve(actor.getReference(), consent).targets().stream()
                .anyMatch(t -> t.jobcenterId().equals(jobcenterId));
    }

    private boolean resolves(Consent.provisionActorComponent actor) {
        return !recipients.resolve(actor.getReference(), consent).targets().isEmpty();
    }

    private static Set<DataCategory> categories(List<CodeableConcept> codes) {
        Set<DataCategory> result = EnumSet.noneOf(DataCategory.class);
        for (CodeableConcept code : codes) {
            for (Coding coding : code.getCoding()) {
                if (isCategory(coding)) {
                    DataCategory.fromCode(coding.getCode()).ifPresent(result::add);
                }
            }
        }
        return result;
    }

    /** The resource types a class names; codings of other systems name none. */
    private static Set<String> classTypes(List<Coding> classes) {
        Set<String> types = new TreeSet<>();
        for (Coding coding : classes) {
            if (RESOURCE_TYPES_SYSTEM.equals(coding.getSystem()) && coding.hasCode()) {
                types.add(coding.getCode());
            }
        }
        return types;
    }

    /** Only types some category uses go into a detail: a class code is free text and could hold anything. */
    private static List<String> knownTypes(Set<String> types) {
        List<String> known = types.stream().filter(DataCategory::isKnownType).toList();
        return known.isEmpty() ? List.of("(no shared type)") : known;
    }

    private static Instant from(Period period) {
        return period != null && period.hasStart() ? FhirTime.first(period.getStartElement()) : null;
    }

    private static Instant to(Period period) {
        return period != null && period.hasEnd() ? FhirTime.last(period.getEndElement()) : null;
    }

    private static boolean isCategory(Coding coding) {
        return IpsCodes.CATEGORY_SYSTEM.equals(coding.getSystem()) && coding.hasCode();
    }

    private static List<Consent.provisionActorComponent> recipientActorsOf(ProvisionComponent provision) {
        return provision.getActor().stream().filter(Provisions::isRecipient).toList();
    }

    private static void collectNestedRecipients(ProvisionComponent provision,
            List<Consent.provisionActorComponent> into) {
        for (ProvisionComponent nested : provision.getProvision()) {
            if (nested.getType() == ConsentProvisionType.PERMIT) {
                into.addAll(recipientActorsOf(nested));
            }
            collectNestedRecipients(nested, into);
        }
    }

    private static boolean isRecipient(Consent.provisionActorComponent actor) {
        return actor.hasRole() && actor.getRole().getCoding().stream().anyMatch(
                c -> IpsCodes.PARTICIPATION_TYPE_SYSTEM.equals(c.getSystem())
                        && IpsCodes.INFORMATION_RECIPIENT.equals(c.getCode()));
    }
}
