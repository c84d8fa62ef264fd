package dk.ipsbridge.consent;

import static java.util.Comparator.naturalOrder;
import static java.util.Comparator.nullsLast;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Consent.ProvisionComponent;
import org.hl7.fhir.r4.model.Identifier;

import dk.ipsbridge.consent.GateDecision.ConsentBasis;
import dk.ipsbridge.consent.GateDecision.Hold;
import dk.ipsbridge.consent.GateDecision.Share;
import dk.ipsbridge.ehr.IpsCodes;
import dk.ipsbridge.ehr.PatientSnapshot;

/**
 * Decides, per jobcenter, what of a patient's IPS course the region may share, from the patient's Consents
 * ({@code ehr-ips-conventions.md}, rules 1 to 6). It fails closed: whatever it cannot read or does not understand
 * shares nothing.
 */
public final class ConsentGate {

    private static final String OPTOUT = "OPTOUT";

    // Newest last. A consent without dateTime counts as newest: it could be a withdrawal, so it must not be skipped.
    private static final Comparator<Consent> BY_AGE = Comparator
            .comparing((Consent c) -> c.hasDateTime() ? FhirTime.first(c.getDateTimeElement()) : Instant.MAX)
            .thenComparing(c -> c.hasMeta() && c.getMeta().hasLastUpdated()
                    ? c.getMeta().getLastUpdated().toInstant() : Instant.MIN)
            .thenComparing(ConsentGate::versionOf, Comparator.nullsFirst(ConsentGate::compareVersions))
            .thenComparing(c -> Objects.toString(c.getIdElement().getIdPart(), ""));

    private static final Comparator<GateDecision> OUTPUT_ORDER = Comparator
            .comparing(GateDecision::jobcenterId, nullsLast(naturalOrder()))
            .thenComparing(d -> d.consent() == null ? null : d.consent().consentId(), nullsLast(naturalOrder()));

    private final JobcenterResolver resolver;
    private final Period maxConsentAge;

    /**
     * @param resolver      maps organisation identifiers to configured jobcenters
     * @param maxConsentAge how long after it was given a consent lapses; Danish law: {@code Period.ofMonths(12)}
     */
    public ConsentGate(JobcenterResolver resolver, Period maxConsentAge) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.maxConsentAge = Objects.requireNonNull(maxConsentAge, "maxConsentAge");
        if (maxConsentAge.isZero() || maxConsentAge.isNegative()) {
            throw new IllegalArgumentException("maxConsentAge must be positive");
        }
    }

    /**
     * One decision per jobcenter that any IPS consent of the patient names, plus a decision without jobcenter for
     * each IPS consent whose recipients cannot be determined; exactly one {@code NO_CONSENT} hold when the patient
     * has no IPS consent. Sorted by jobcenter id, null last. Never throws.
     */
    public List<GateDecision> decide(PatientSnapshot snapshot, Instant now) {
        try {
            List<GateDecision> decisions = new ArrayList<>(decideAll(snapshot, Objects.requireNonNull(now)));
            decisions.sort(OUTPUT_ORDER);
            return List.copyOf(decisions);
        } catch (RuntimeException e) {
            return List.of(new Hold(null, null, HoldReason.CONSENT_UNREADABLE,
                    "Snapshot could not be read: " + e.getClass().getSimpleName()));
        }
    }

    /** Who one consent names: consultants by jobcenter, or why nobody. */
    private record Attribution(Map<String, Set<String>> consultantsByJobcenter, List<String> failures,
            String unreadable) {
    }

    private List<GateDecision> decideAll(PatientSnapshot snapshot, Instant now) {
        List<Consent> ipsConsents = snapshot.consents().stream().filter(ConsentGate::isIpsConsent).toList();
        if (ipsConsents.isEmpty()) {
            return List.of(new Hold(null, null, HoldReason.NO_CONSENT, "The patient has no IPS data-sharing consent"));
        }
        Recipients recipients = new Recipients(resolver, snapshot);
        List<GateDecision> decisions = new ArrayList<>();
        Map<String, List<Consent>> byJobcenter = new TreeMap<>();
        Map<Consent, Attribution> attributions = new IdentityHashMap<>();
        List<Consent> unattributable = new ArrayList<>();
        for (Consent consent : ipsConsents) {
            Attribution attribution = attribute(consent, recipients);
            attributions.put(consent, attribution);
            if (attribution.unreadable() != null) {
                unattributable.add(consent);
            } else if (attribution.consultantsByJobcenter().isEmpty()) {
                String detail = attribution.failures().isEmpty() ? "Consent names no information recipient"
                        : String.join("; ", new LinkedHashSet<>(attribution.failures()));
                decisions.add(new Hold(null, basisOrNull(consent), HoldReason.UNKNOWN_RECIPIENT, detail));
            } else {
                attribution.consultantsByJobcenter().keySet()
                        .forEach(jc -> byJobcenter.computeIfAbsent(jc, k -> new ArrayList<>()).add(consent));
            }
        }
        // An unreadable consent may be any jobcenter's withdrawal, so it competes for every one of them.
        Set<Consent> decidedSomewhere = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Map.Entry<String, List<Consent>> group : byJobcenter.entrySet()) {
            String jobcenterId = group.getKey();
            List<Consent> candidates = new ArrayList<>(group.getValue());
            candidates.addAll(unattributable);
            Consent deciding = Collections.max(candidates, BY_AGE);
            Attribution attribution = attributions.get(deciding);
            if (attribution.unreadable() != null) {
                decidedSomewhere.add(deciding);
                decisions.add(new Hold(jobcenterId, basisOrNull(deciding), HoldReason.CONSENT_UNREADABLE,
                        attribution.unreadable()));
            } else {
                decisions.add(evaluate(jobcenterId, deciding, attribution.consultantsByJobcenter().get(jobcenterId),
                        snapshot, recipients, now));
            }
        }
        for (Consent consent : unattributable) {
            if (!decidedSomewhere.contains(consent)) {
                decisions.add(new Hold(null, basisOrNull(consent), HoldReason.CONSENT_UNREADABLE,
                        attributions.get(consent).unreadable()));
            }
        }
        return decisions;
    }

    private Attribution attribute(Consent consent, Recipients recipients) {
        if (!consent.hasProvision()) {
            return new Attribution(Map.of(), List.of(), "Consent has no provision");
        }
        try {
            Map<String, Set<String>> consultants = new LinkedHashMap<>();
            List<String> failures = new ArrayList<>();
            List<String> unplaced = new ArrayList<>();
            for (Consent.provisionActorComponent actor : Provisions.recipientActors(consent.getProvision())) {
                Recipients.Resolution resolution = recipients.resolve(actor.getReference(), consent);
                if (resolution.targets().isEmpty()) {
                    failures.add(resolution.failure());
                    namedConsultant(actor).ifPresent(unplaced::add);
                }
                for (Recipients.Target target : resolution.targets()) {
                    Set<String> named = consultants.computeIfAbsent(target.jobcenterId(), k -> new TreeSet<>());
                    if (target.consultant() != null) {
                        named.add(target.consultant());
                    }
                }
            }
            // Rule 5: a consultant the consent names but whom no CareTeam places at a jobcenter is not a current
            // IPS consultant; the jobcenters this consent names may receive data only while that consultant is one.
            consultants.values().forEach(named -> named.addAll(unplaced));
            return new Attribution(consultants, failures, null);
        } catch (RuntimeException e) {
            return new Attribution(Map.of(), List.of(),
                    "Consent recipients could not be read: " + e.getClass().getSimpleName());
        }
    }

    private static java.util.Optional<String> namedConsultant(Consent.provisionActorComponent actor) {
        if (!actor.hasReference() || !actor.getReference().hasReference()) {
            return java.util.Optional.empty();
        }
        String key = PatientSnapshot.key(actor.getReference().getReference());
        return key.startsWith("Practitioner/") || key.startsWith("PractitionerRole/")
                ? java.util.Optional.of(key) : java.util.Optional.empty();
    }

    private GateDecision evaluate(String jobcenterId, Consent consent, Set<String> namedConsultants,
            PatientSnapshot snapshot, Recipients recipients, Instant now) {
        ConsentBasis basis = basisOrNull(consent);
        try {
            return check(jobcenterId, consent, basis, namedConsultants, snapshot, recipients, now);
        } catch (RuntimeException e) {
            return new Hold(jobcenterId, basis, HoldReason.CONSENT_UNREADABLE,
                    "Consent could not be evaluated: " + e.getClass().getSimpleName());
        }
    }

    private GateDecision check(String jc, Consent consent, ConsentBasis basis, Set<String> namedConsultants,
            PatientSnapshot snapshot, Recipients recipients, Instant now) {
        if (!consent.hasDateTime()) {
            return new Hold(jc, basis, HoldReason.CONSENT_UNREADABLE, "Consent has no dateTime");
        }
        HoldReason statusHold = statusHold(consent);
        if (statusHold != null) {
            String status = consent.hasStatus() ? consent.getStatus().toCode() : "missing";
            return new Hold(jc, basis, statusHold, "Consent status is " + status);
        }
        if (consent.hasPolicyRule() && hasCoding(consent.getPolicyRule(), IpsCodes.ACT_CODE_SYSTEM, OPTOUT)) {
            return new Hold(jc, basis, HoldReason.CONSENT_DENIED, "Consent policy rule is OPTOUT");
        }
        if (!consent.hasProvision()) {
            return new Hold(jc, basis, HoldReason.CONSENT_UNREADABLE, "Consent has no provision");
        }
        ProvisionComponent root = consent.getProvision();
        if (!root.hasType()) {
            return new Hold(jc, basis, HoldReason.CONSENT_UNREADABLE, "Consent provision has no type");
        }
        if (root.getType() == Consent.ConsentProvisionType.DENY) {
            return new Hold(jc, basis, HoldReason.CONSENT_DENIED, "Consent provision is deny");
        }
        org.hl7.fhir.r4.model.Period period = root.hasPeriod() ? root.getPeriod() : new org.hl7.fhir.r4.model.Period();
        if (period.hasStart() && now.isBefore(FhirTime.first(period.getStartElement()))) {
            return new Hold(jc, basis, HoldReason.CONSENT_NOT_YET_VALID, "Consent period has not started");
        }
        if (period.hasEnd() && now.isAfter(FhirTime.last(period.getEndElement()))) {
            return new Hold(jc, basis, HoldReason.CONSENT_EXPIRED, "Consent period has ended");
        }
        if (!now.isBefore(lapseAt(consent))) {
            return new Hold(jc, basis, HoldReason.CONSENT_LAPSED, "Consent is older than " + maxConsentAge);
        }
        if (root.getAction().stream().noneMatch(Provisions::isDisclose)) {
            return new Hold(jc, basis, HoldReason.DISCLOSURE_NOT_PERMITTED, "Consent does not permit disclose");
        }
        if (root.hasPurpose() && root.getPurpose().stream().noneMatch(
                c -> IpsCodes.IPS_SYSTEM.equals(c.getSystem())
                        && IpsCodes.IPS_EMPLOYMENT_SUPPORT.equals(c.getCode()))) {
            return new Hold(jc, basis, HoldReason.DISCLOSURE_NOT_PERMITTED,
                    "Consent purpose is not IPS employment support");
        }
        Provisions.Result provisions = Provisions.evaluate(consent, jc, recipients, now);
        if (provisions.reason() != null) {
            return new Hold(jc, basis, provisions.reason(), provisions.detail());
        }
        String consultant;
        if (namedConsultants.isEmpty()) {
            consultant = recipients.currentConsultantFor(jc, now).orElse(null);
        } else {
            consultant = namedConsultants.stream().filter(k -> recipients.isCurrentConsultant(k, jc, now))
                    .findFirst().orElse(null);
            if (consultant == null) {
                return new Hold(jc, basis, HoldReason.RECIPIENT_NOT_IN_CARE_TEAM, "Named consultant "
                        + String.join(", ", namedConsultants.stream().map(Recipients::label).toList())
                        + " is not a current IPS consultant of the patient");
            }
        }
        HoldReason referralHold = Referrals.hold(snapshot);
        if (referralHold != null) {
            return new Hold(jc, basis, referralHold, referralHold == HoldReason.REFERRAL_ENDED
                    ? "The IPS referral has ended" : "The patient has no IPS referral");
        }
        List<Identifier> cprs = snapshot.patient().getIdentifier().stream()
                .filter(i -> IpsCodes.CPR_SYSTEM.equals(i.getSystem())).toList();
        if (cprs.isEmpty()) {
            return new Hold(jc, basis, HoldReason.NO_CPR, "The patient has no CPR identifier");
        }
        if (!cprs.stream().allMatch(i -> Cpr.isValid(i.getValue()))) {
            return new Hold(jc, basis, HoldReason.INVALID_CPR,
                    "The patient's CPR identifier is not a valid CPR number");
        }
        return new Share(jc, basis, provisions.categories(), consultant);
    }

    private static HoldReason statusHold(Consent consent) {
        if (!consent.hasStatus()) {
            return HoldReason.CONSENT_NOT_ACTIVE;
        }
        return switch (consent.getStatus()) {
            case ACTIVE -> null;
            case INACTIVE -> HoldReason.CONSENT_WITHDRAWN;
            case REJECTED -> HoldReason.CONSENT_REJECTED;
            case ENTEREDINERROR -> HoldReason.CONSENT_ENTERED_IN_ERROR;
            default -> HoldReason.CONSENT_NOT_ACTIVE;
        };
    }

    private Instant lapseAt(Consent consent) {
        return FhirTime.first(consent.getDateTimeElement()).atZone(FhirTime.COPENHAGEN).plus(maxConsentAge).toInstant();
    }

    private ConsentBasis basisOrNull(Consent consent) {
        try {
            String version = consent.hasMeta() && consent.getMeta().hasVersionId() ? consent.getMeta().getVersionId()
                    : null;
            LocalDate givenOn = null;
            LocalDate expiresOn = null;
            if (consent.hasDateTime()) {
                givenOn = FhirTime.date(FhirTime.first(consent.getDateTimeElement()));
                expiresOn = FhirTime.date(lapseAt(consent));
            }
            if (consent.hasProvision() && consent.getProvision().hasPeriod()
                    && consent.getProvision().getPeriod().hasEnd()) {
                LocalDate end = FhirTime.lastDate(consent.getProvision().getPeriod().getEndElement());
                expiresOn = expiresOn == null || end.isBefore(expiresOn) ? end : expiresOn;
            }
            return new ConsentBasis(consent.getIdElement().getIdPart(), version, givenOn, expiresOn);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static boolean isIpsConsent(Consent consent) {
        return consent != null && consent.hasScope()
                && hasCoding(consent.getScope(), IpsCodes.CONSENT_SCOPE_SYSTEM, IpsCodes.PATIENT_PRIVACY)
                && consent.getCategory().stream()
                        .anyMatch(c -> hasCoding(c, IpsCodes.IPS_SYSTEM, IpsCodes.IPS_DATA_SHARING));
    }

    static boolean hasCoding(CodeableConcept concept, String system, String code) {
        return concept.getCoding().stream().anyMatch(c -> system.equals(c.getSystem()) && code.equals(c.getCode()));
    }

    private static String versionOf(Consent consent) {
        return consent.hasMeta() && consent.getMeta().hasVersionId() ? consent.getMeta().getVersionId() : null;
    }

    private static int compareVersions(String a, String b) {
        try {
            return Long.compare(Long.parseLong(a), Long.parseLong(b));
        } catch (NumberFormatException e) {
            return a.compareTo(b);
        }
    }
}
