package dk.ipsbridge.consent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Consent.ConsentProvisionType;
import org.hl7.fhir.r4.model.Consent.ProvisionComponent;

import dk.ipsbridge.ehr.IpsCodes;

/**
 * Works out which data categories one Consent's provisions let the region disclose to one jobcenter.
 *
 * <p>Nested provisions are read as exceptions to the root: a permit adds categories, a deny removes them and wins.
 * Where a nested provision cannot be fully understood, the reading that shares less is taken.
 */
final class Provisions {

    /** The permitted categories, or the reason ({@code CONSENT_DENIED}, ...) nothing may be disclosed. */
    record Result(Set<DataCategory> categories, HoldReason reason, String detail) {
        static Result hold(HoldReason reason, String detail) {
            return new Result(Set.of(), reason, detail);
        }
    }

    private final Consent consent;
    private final String jobcenterId;
    private final Recipients recipients;
    private final Instant now;
    private final Set<DataCategory> permitted = EnumSet.noneOf(DataCategory.class);
    private final Set<DataCategory> denied = EnumSet.noneOf(DataCategory.class);
    private boolean granted;
    private Result failure;

    private Provisions(Consent consent, String jobcenterId, Recipients recipients, Instant now) {
        this.consent = consent;
        this.jobcenterId = jobcenterId;
        this.recipients = recipients;
        this.now = now;
    }

    static Result evaluate(Consent consent, String jobcenterId, Recipients recipients, Instant now) {
        return new Provisions(consent, jobcenterId, recipients, now).evaluate();
    }

    /** IRCP actors of the root and of every nested permit: the recipients the consent names. */
    static List<Consent.provisionActorComponent> recipientActors(ProvisionComponent root) {
        List<Consent.provisionActorComponent> actors = new ArrayList<>(recipientActorsOf(root));
        collectNestedRecipients(root, actors);
        return actors;
    }

    private Result evaluate() {
        ProvisionComponent root = consent.getProvision();
        List<Consent.provisionActorComponent> rootRecipients = recipientActorsOf(root);
        // disclosure needs a current provision naming this jobcenter; a root naming nobody still lends its codes
        granted = rootRecipients.stream().anyMatch(this::resolvesHere);
        if (granted || rootRecipients.isEmpty()) {
            permitted.addAll(categories(root.getCode()));
        }
        for (ProvisionComponent nested : root.getProvision()) {
            walk(nested);
            if (failure != null) {
                return failure;
            }
        }
        if (!granted) {
            return Result.hold(HoldReason.DISCLOSURE_NOT_PERMITTED,
                    "No provision currently permits disclosure to this jobcenter");
        }
        Set<DataCategory> result = EnumSet.noneOf(DataCategory.class);
        result.addAll(permitted);
        result.removeAll(denied);
        return new Result(result, null, null);
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
            if (recipientActorsOf(provision).stream().anyMatch(this::resolvesHere)) {
                granted = true;
            }
            permitted.addAll(categories(provision.getCode()));
        } else {
            if (!provision.hasCode()) {
                failure = Result.hold(HoldReason.CONSENT_DENIED, "A nested deny provision covers all data");
                return;
            }
            for (CodeableConcept code : provision.getCode()) {
                if (code.getCoding().stream().noneMatch(Provisions::isCategory)) {
                    // a deny of something we cannot map to categories might cover any of them
                    failure = Result.hold(HoldReason.CONSENT_UNREADABLE,
                            "A nested deny provision covers codes outside the data categories");
                    return;
                }
            }
            denied.addAll(categories(provision.getCode()));
        }
        for (ProvisionComponent child : provision.getProvision()) {
            walk(child);
            if (failure != null) {
                return;
            }
        }
    }

    private boolean applies(ProvisionComponent provision) {
        if (provision.hasPeriod() && !FhirTime.covers(provision.getPeriod(), now)) {
            return false;
        }
        if (provision.hasAction() && provision.getAction().stream().noneMatch(Provisions::isDisclose)) {
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

    private boolean resolvesHere(Consent.provisionActorComponent actor) {
        return recipients.resolve(actor.getReference(), consent).targets().stream()
                .anyMatch(t -> t.jobcenterId().equals(jobcenterId));
    }

    private boolean resolves(Consent.provisionActorComponent actor) {
        return !recipients.resolve(actor.getReference(), consent).targets().isEmpty();
    }

    static boolean isDisclose(CodeableConcept action) {
        return action.getCoding().stream().anyMatch(
                c -> IpsCodes.CONSENT_ACTION_SYSTEM.equals(c.getSystem()) && IpsCodes.DISCLOSE.equals(c.getCode()));
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
