package dk.ipsbridge.consent;

import static java.util.Comparator.naturalOrder;
import static java.util.Comparator.nullsLast;

import java.time.Duration;
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

import dk.ipsbridge.consent.GateDecision.ConsentBasis;
import dk.ipsbridge.consent.GateDecision.Hold;
import dk.ipsbridge.consent.GateDecision.Share;
import dk.ipsbridge.patient.Cpr;
import dk.ipsbridge.patient.IpsCodes;
import dk.ipsbridge.patient.PatientSnapshot;
import org.hl7.fhir.instance.model.api.IBaseHasModifierExtensions;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Consent.ProvisionComponent;
import org.hl7.fhir.r4.model.Property;

/**
 * Decides, per jobcenter and action, what of a patient's IPS course the region may share (or collect), from the
 * patient's Consents ({@code ehr-ips-conventions.md}, rules 1 to 6). It fails closed: whatever it cannot read or does
 * not understand shares nothing.
 *
 * <p>Two levels: {@link #decide} answers per jobcenter with whole categories ({@link Share#categories()}, and why the
 * others not, {@link Share#withheld()}), and the {@link DataPolicy} of a share answers per resource
 * ({@code securityLabel}, {@code dataPeriod}, {@code class}). {@link #verdict} answers one question: may this be done
 * with this category for this jobcenter now, and on which consent's word.
 *
 * <p>Plain Java: no framework, no I/O, no clock of its own; one instance can be shared between threads.
 */
public final class ConsentGate {

    private static final String OPTOUT = "OPTOUT";
    // C6: a consent given more than this far in the future is invalid (clocks differ a little, not more)
    private static final Duration FUTURE_TOLERANCE = Duration.ofMinutes(5);

    // Newest last. A consent without dateTime counts as newest: it could be a withdrawal, so it must not be skipped.
    private static final Comparator<Consent> BY_RECENCY = Comparator
            .comparing((Consent c) -> c.hasDateTime() ? FhirTime.first(c.getDateTimeElement()) : Instant.MAX)
            .thenComparing(c -> c.hasMeta() && c.getMeta().hasLastUpdated()
                    ? c.getMeta().getLastUpdated().toInstant() : Instant.MIN)
            .thenComparing(ConsentGate::versionOf, Comparator.nullsFirst(ConsentGate::compareVersions));
    // A stable order for equally recent consents; which of them decides is not left to it (see #newest)
    private static final Comparator<Consent> BY_AGE = BY_RECENCY
            .thenComparing(c -> Objects.toString(c.getIdElement().getIdPart(), ""));

    private static final Comparator<GateDecision> OUTPUT_ORDER = Comparator
            .comparing(GateDecision::jobcenterId, nullsLast(naturalOrder()))
            .thenComparing(d -> d.consent() == null ? null : d.consent().consentId(), nullsLast(naturalOrder()));

    private final JobcenterResolver resolver;
    private final SourceAgreement agreement;
    private final Period maxConsentAge;
    private final Map<String, ConsentGate> bySource;

    /**
     * @param resolver      maps organisation identifiers to configured jobcenters
     * @param maxConsentAge how long after it was given a consent lapses; Danish law: {@code Period.ofMonths(12)}
     */
    public ConsentGate(JobcenterResolver resolver, Period maxConsentAge) {
        this(resolver, SourceAgreement.all(maxConsentAge), Map.of());
    }

    /**
     * A gate that applies each source's agreement to the patients of that source ({@link PatientSnapshot#sourceId()}),
     * and {@code fallback} to those of any other.
     */
    public ConsentGate(JobcenterResolver resolver, SourceAgreement fallback, Map<String, SourceAgreement> bySource) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.agreement = Objects.requireNonNull(fallback, "fallback");
        this.maxConsentAge = fallback.maxConsentAge();
        Map<String, ConsentGate> gates = new TreeMap<>();
        bySource.forEach((source, agreed) -> gates.put(source, new ConsentGate(resolver, agreed, Map.of())));
        this.bySource = Map.copyOf(gates);
    }

    private ConsentGate forSource(PatientSnapshot snapshot) {
        ConsentGate gate = snapshot == null || snapshot.sourceId() == null ? null : bySource.get(snapshot.sourceId());
        return gate == null ? this : gate;
    }

    /** What may be disclosed: {@link #decide(PatientSnapshot, Instant, ConsentAction)} for {@code DISCLOSE}. */
    public List<GateDecision> decide(PatientSnapshot snapshot, Instant now) {
        return decide(snapshot, now, ConsentAction.DISCLOSE);
    }

    /**
     * One decision per jobcenter that any IPS consent of the patient names, plus a decision without jobcenter for
     * each IPS consent whose recipients cannot be determined; exactly one {@code NO_CONSENT} hold when the patient
     * has no IPS consent. Sorted by jobcenter id, null last. Never throws.
     *
     * <p>The most recent consent for a jobcenter decides, whichever action it is about: a newer consent that permits
     * only {@code disclose} ends an older one's {@code collect}.
     *
     * @param snapshot the patient as read from the EHR
     * @param now      the instant the decision is for
     * @param action   {@code DISCLOSE} to the jobcenter, or {@code COLLECT} from it
     */
    public List<GateDecision> decide(PatientSnapshot snapshot, Instant now, ConsentAction action) {
        try {
            ConsentGate gate = forSource(snapshot);
            List<GateDecision> decisions = new ArrayList<>(gate.decideAll(snapshot, Objects.requireNonNull(now),
                    Objects.requireNonNull(action)).stream().map(gate::withinAgreement).toList());
            decisions.sort(OUTPUT_ORDER);
            return List.copyOf(decisions);
        } catch (RuntimeException e) {
            return List.of(new Hold(null, null, HoldReason.CONSENT_UNREADABLE,
                    "Snapshot could not be read: " + e.getClass().getSimpleName()));
        }
    }

    /**
     * May {@code action} be done with {@code category} for {@code jobcenterId} at {@code now}? Permitted only when
     * {@link #decide} shares that category with that jobcenter; otherwise the reason is the hold's, the category's
     * {@link Share#withheld() withheld} reason, or, for a jobcenter no decision is about: {@code NO_CONSENT},
     * {@code CONSENT_UNREADABLE} (a consent that cannot be read may be about it), {@code UNKNOWN_RECIPIENT} (a consent
     * names a recipient that cannot be resolved) or the action's not-permitted reason, in that order. A permitted
     * category may still be filtered per resource by the share's {@link DataPolicy}. Never throws.
     */
    public CategoryVerdict verdict(PatientSnapshot snapshot, String jobcenterId, ConsentAction action,
            DataCategory category, Instant now) {
        try {
            Objects.requireNonNull(category, "category");
            List<GateDecision> decisions = decide(snapshot, now, Objects.requireNonNull(action, "action"));
            for (GateDecision decision : decisions) {
                if (jobcenterId == null || !jobcenterId.equals(decision.jobcenterId())) {
                    continue;
                }
                if (decision instanceof Share share) {
                    if (share.categories().contains(category)) {
                        return new CategoryVerdict(true, jobcenterId, action, category, null, null, share.consent());
                    }
                    GateDecision.Withheld withheld = share.withheld().get(category);
                    return CategoryVerdict.denied(jobcenterId, action, category, withheld.reason(), withheld.detail(),
                            share.consent());
                }
                Hold hold = (Hold) decision;
                return CategoryVerdict.denied(jobcenterId, action, category, hold.reason(), hold.detail(),
                        hold.consent());
            }
            return notNamed(decisions, jobcenterId, action, category);
        } catch (RuntimeException e) {
            return CategoryVerdict.denied(jobcenterId, action, category, HoldReason.CONSENT_UNREADABLE,
                    "Verdict could not be reached: " + e.getClass().getSimpleName(), null);
        }
    }

    private static CategoryVerdict notNamed(List<GateDecision> decisions, String jobcenterId, ConsentAction action,
            DataCategory category) {
        List<Hold> unplaced = decisions.stream().filter(d -> d.jobcenterId() == null).map(Hold.class::cast).toList();
        for (HoldReason reason : List.of(HoldReason.NO_CONSENT, HoldReason.CONSENT_UNREADABLE,
                HoldReason.UNKNOWN_RECIPIENT)) {
            for (Hold hold : unplaced) {
                if (hold.reason() == reason) {
                    return CategoryVerdict.denied(jobcenterId, action, category, reason, reason == HoldReason.NO_CONSENT
                            ? hold.detail() : "No IPS consent names this jobcenter; " + hold.detail(), hold.consent());
                }
            }
        }
        return CategoryVerdict.denied(jobcenterId, action, category, action.notPermitted(),
                "No IPS consent names this jobcenter", null);
    }

    /** A decision about a jobcenter the source has no agreement with shares nothing with it (issue 18). */
    private GateDecision withinAgreement(GateDecision decision) {
        String jc = decision.jobcenterId();
        if (jc == null || agreement.agreed(jc)) {
            return decision;
        }
        return new Hold(jc, decision.consent(), HoldReason.RECIPIENT_NOT_AGREED,
                "The consent names a jobcenter this source has no agreement to send to");
    }

    /**
     * Whom one consent names: consultants by jobcenter. {@code everywhere} when it may be about any jobcenter: it
     * names no recipient (C5), names one that cannot be resolved (C8), or cannot be read at all ({@code unreadable}).
     */
    private record Attribution(Map<String, Set<String>> consultantsByJobcenter, boolean everywhere,
            List<String> failures, String unreadable) {
    }

    private List<GateDecision> decideAll(PatientSnapshot snapshot, Instant now, ConsentAction action) {
        List<Consent> ipsConsents = snapshot.consents().stream().filter(ConsentGate::isIpsConsent).toList();
        if (ipsConsents.isEmpty()) {
            return List.of(new Hold(null, null, HoldReason.NO_CONSENT, "The patient has no IPS data-sharing consent"));
        }
        Context context = new Context(snapshot, new Recipients(resolver, snapshot), now, action);
        Map<String, List<Consent>> byJobcenter = new TreeMap<>();
        Map<Consent, Attribution> attributions = new IdentityHashMap<>();
        List<Consent> everywhere = new ArrayList<>();
        for (Consent consent : ipsConsents) {
            Attribution attribution = attribute(consent, context.recipients());
            attributions.put(consent, attribution);
            attribution.consultantsByJobcenter().keySet()
                    .forEach(jc -> byJobcenter.computeIfAbsent(jc, k -> new ArrayList<>()).add(consent));
            if (attribution.everywhere()) {
                everywhere.add(consent);
            }
        }
        // Rule 2: per jobcenter the newest consent that may be about it decides, also one that names nobody (C5) or
        // whose recipient cannot be resolved (C8): it could be this jobcenter's withdrawal.
        List<GateDecision> decisions = new ArrayList<>();
        Consent newestNamed = null;
        for (Map.Entry<String, List<Consent>> group : byJobcenter.entrySet()) {
            String jobcenterId = group.getKey();
            List<Consent> candidates = new ArrayList<>(group.getValue());
            candidates.addAll(everywhere);
            Consent newest = Collections.max(candidates, BY_AGE);
            Consent deciding = newest(candidates, context.now());
            if (deciding == null) {
                decisions.add(tie(jobcenterId, newest));
            } else {
                Set<String> consultants = attributions.get(deciding).consultantsByJobcenter().get(jobcenterId);
                decisions.add(consultants != null ? evaluate(jobcenterId, deciding, consultants, context)
                        : unplaced(jobcenterId, deciding, attributions.get(deciding), context));
            }
            newestNamed = newestNamed == null || BY_AGE.compare(newest, newestNamed) > 0 ? newest : newestNamed;
        }
        // Every other jobcenter (one the patient's cases name, say): the newest consent that may be about any.
        if (!everywhere.isEmpty()) {
            Consent newest = Collections.max(everywhere, BY_AGE);
            if (newestNamed == null || BY_AGE.compare(newest, newestNamed) >= 0) {
                Consent deciding = newest(everywhere, context.now());
                decisions.add(deciding == null ? tie(null, newest)
                        : unplaced(null, deciding, attributions.get(deciding), context));
            }
        }
        return decisions;
    }

    /**
     * Rule 2, the most recent consent decides; among equally recent ones (same {@code dateTime}, {@code lastUpdated}
     * and version: a form dated by day, say) the ids must not decide, or renaming resources would change what is
     * shared. One that permits nothing at all wins (a deny overrides a permit); when all of them would permit, null:
     * none decides, and the jobcenter is held ({@link #tie}).
     */
    private Consent newest(List<Consent> candidates, Instant now) {
        Consent newest = Collections.max(candidates, BY_AGE);
        List<Consent> tied = candidates.stream().distinct().filter(c -> BY_RECENCY.compare(c, newest) == 0)
                .toList();
        if (tied.size() == 1) {
            return newest;
        }
        return tied.stream().filter(c -> consentHold(null, c, null, now) != null).max(BY_AGE).orElse(null);
    }

    private Hold tie(String jobcenterId, Consent newest) {
        return new Hold(jobcenterId, basisOrNull(newest), HoldReason.CONSENT_UNREADABLE,
                "Several IPS consents are equally recent; which of them decides cannot be told");
    }

    private Attribution attribute(Consent consent, Recipients recipients) {
        if (!consent.hasProvision()) {
            return new Attribution(Map.of(), true, List.of(), "Consent has no provision");
        }
        if (hasModifierExtension(consent)) {
            // a modifier extension may change what the consent means (FHIR: one not understood must not be ignored)
            return new Attribution(Map.of(), true, List.of(),
                    "Consent carries a modifier extension, which the adapter does not understand");
        }
        try {
            Map<String, Set<String>> consultants = new LinkedHashMap<>();
            List<String> failures = new ArrayList<>();
            List<String> unplaced = new ArrayList<>();
            List<Consent.provisionActorComponent> actors = Provisions.recipientActors(consent.getProvision());
            for (Consent.provisionActorComponent actor : actors) {
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
            if (actors.isEmpty()) {
                failures.add("Consent names no information recipient");
            }
            return new Attribution(consultants, !failures.isEmpty(), failures, null);
        } catch (RuntimeException e) {
            return new Attribution(Map.of(), true, List.of(),
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

    /**
     * The decision for {@code jobcenterId} (null: any other jobcenter) by a consent that does not name it but may be
     * about it. A withdrawal, deny or lapse holds as itself; one that would permit holds too: it names nobody (C5) or
     * a recipient that cannot be resolved, which is no permission for anyone (C8).
     */
    private GateDecision unplaced(String jobcenterId, Consent consent, Attribution attribution, Context context) {
        ConsentBasis basis = basisOrNull(consent);
        if (attribution.unreadable() != null) {
            return new Hold(jobcenterId, basis, HoldReason.CONSENT_UNREADABLE, attribution.unreadable());
        }
        Hold consentHold = consentHold(jobcenterId, consent, basis, context.now());
        if (consentHold != null) {
            return consentHold;
        }
        String failures = String.join("; ", new LinkedHashSet<>(attribution.failures()));
        if (jobcenterId == null) {
            return new Hold(null, basis, HoldReason.UNKNOWN_RECIPIENT, failures);
        }
        boolean namesNobody = Provisions.recipientActors(consent.getProvision()).isEmpty();
        return namesNobody
                ? new Hold(jobcenterId, basis, context.action().notPermitted(),
                        "The newest consent names no information recipient, so it permits nobody")
                : new Hold(jobcenterId, basis, HoldReason.CONSENT_UNREADABLE,
                        "The newest consent names a recipient that cannot be resolved: " + failures);
    }

    private GateDecision evaluate(String jobcenterId, Consent consent, Set<String> namedConsultants,
            Context context) {
        ConsentBasis basis = basisOrNull(consent);
        try {
            return check(jobcenterId, consent, basis, namedConsultants, context);
        } catch (RuntimeException e) {
            return new Hold(jobcenterId, basis, HoldReason.CONSENT_UNREADABLE,
                    "Consent could not be evaluated: " + e.getClass().getSimpleName());
        }
    }

    /** What one decision is about, besides the jobcenter and the consent. */
    private record Context(PatientSnapshot snapshot, Recipients recipients, Instant now, ConsentAction action) {
    }

    /**
     * Why {@code consent} permits nothing at all at {@code now}, whoever it names, or null: no date, given in the
     * future (C6), not active, opted out, unreadable, a root deny, not yet or no longer in force.
     */
    private Hold consentHold(String jc, Consent consent, ConsentBasis basis, Instant now) {
        if (!consent.hasDateTime()) {
            return new Hold(jc, basis, HoldReason.CONSENT_UNREADABLE, "Consent has no dateTime");
        }
        HoldReason statusHold = statusHold(consent);
        if (statusHold != null) {
            String status = consent.hasStatus() ? consent.getStatus().toCode() : "missing";
            return new Hold(jc, basis, statusHold, "Consent status is " + status);
        }
        if (FhirTime.first(consent.getDateTimeElement()).isAfter(now.plus(FUTURE_TOLERANCE))) {
            return new Hold(jc, basis, HoldReason.CONSENT_INVALID, "Consent dateTime lies in the future");
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
        if (root.hasPeriod() && root.getPeriod().hasStart()
                && now.isBefore(FhirTime.first(root.getPeriod().getStartElement()))) {
            return new Hold(jc, basis, HoldReason.CONSENT_NOT_YET_VALID, "Consent period has not started");
        }
        InForce inForce = inForce(consent);
        if (!now.isBefore(inForce.stopsAt())) {
            return inForce.lapse()
                    ? new Hold(jc, basis, HoldReason.CONSENT_LAPSED, "Consent is older than " + maxConsentAge)
                    : new Hold(jc, basis, HoldReason.CONSENT_EXPIRED, "Consent period has ended");
        }
        return null;
    }

    // Collect is checked as disclose is (C11: the jobcenter is the counterparty either way), except that outcomes
    // need neither an open referral nor a current consultant (C15).
    private GateDecision check(String jc, Consent consent, ConsentBasis basis, Set<String> namedConsultants,
            Context context) {
        PatientSnapshot snapshot = context.snapshot();
        Recipients recipients = context.recipients();
        Instant now = context.now();
        ConsentAction action = context.action();
        Hold consentHold = consentHold(jc, consent, basis, now);
        if (consentHold != null) {
            return consentHold;
        }
        ProvisionComponent root = consent.getProvision();
        if (root.getAction().stream().noneMatch(action::matches)) {
            return new Hold(jc, basis, action.notPermitted(), "Consent does not permit " + action.code());
        }
        if (!Provisions.servesIps(root)) {
            return new Hold(jc, basis, action.notPermitted(), "Consent purpose is not IPS employment support");
        }
        Provisions.Result provisions = Provisions.evaluate(consent, jc, action, recipients, now);
        if (provisions.reason() != null) {
            return new Hold(jc, basis, provisions.reason(), provisions.detail());
        }
        DataPolicy.Refusal identity = provisions.policy().identityRefusal(snapshot.patient());
        if (identity != null) {
            return new Hold(jc, basis, identity.reason(), identity.detail());
        }
        boolean disclose = action == ConsentAction.DISCLOSE;
        String consultant;
        if (namedConsultants.isEmpty()) {
            consultant = recipients.currentConsultantFor(jc, now).orElse(null);
        } else {
            consultant = namedConsultants.stream().map(k -> recipients.currentMember(k, jc, now))
                    .flatMap(java.util.Optional::stream).findFirst().orElse(null);
            if (consultant == null && disclose) {
                return new Hold(jc, basis, HoldReason.RECIPIENT_NOT_IN_CARE_TEAM, "Named consultant "
                        + String.join(", ", namedConsultants.stream().map(Recipients::label).toList())
                        + " is not a current IPS consultant of the patient for this jobcenter");
            }
        }
        Referrals.Course course = Referrals.course(snapshot);
        if (disclose && course.hold() != null) {
            return new Hold(jc, basis, course.hold(), course.detail());
        }
        List<String> cprs = snapshot.usableCprs();
        if (cprs.isEmpty()) {
            return new Hold(jc, basis, HoldReason.NO_CPR, "The patient has no usable CPR identifier");
        }
        if (cprs.size() > 1) {
            return new Hold(jc, basis, HoldReason.AMBIGUOUS_CPR, "The patient has " + cprs.size()
                    + " different usable CPR identifiers");
        }
        if (!Cpr.isValid(cprs.get(0))) {
            return new Hold(jc, basis, HoldReason.INVALID_CPR,
                    "The patient's CPR identifier is not a valid CPR number");
        }
        return new Share(jc, basis, provisions.categories(), consultant, provisions.withheld(), provisions.policy(),
                now, disclose && course.ended());
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

    /**
     * Until when a consent is in force: to 00:00 Danish time after its last day ({@code expiresOn}), the earlier of
     * the day before the Danish one-year lapse and the last day of {@code provision.period} (a period ending within a
     * day ends the day before). The record's {@code expiresOn} and the gate's check are this one value.
     */
    private record InForce(LocalDate lastDay, boolean lapse) {
        Instant stopsAt() {
            return lastDay.plusDays(1).atStartOfDay(FhirTime.COPENHAGEN).toInstant();
        }
    }

    private InForce inForce(Consent consent) {
        Instant lapseAt = FhirTime.first(consent.getDateTimeElement()).atZone(FhirTime.COPENHAGEN).plus(maxConsentAge)
                .toInstant();
        LocalDate lapseDay = lastDayBefore(lapseAt);
        ProvisionComponent root = consent.getProvision();
        if (root.hasPeriod() && root.getPeriod().hasEnd()) {
            LocalDate end = lastDayBefore(FhirTime.last(root.getPeriod().getEndElement()).plusNanos(1));
            if (end.isBefore(lapseDay)) {
                return new InForce(end, false);
            }
        }
        return new InForce(lapseDay, true);
    }

    /** The last Danish day that ends no later than {@code stop}. */
    private static LocalDate lastDayBefore(Instant stop) {
        return FhirTime.date(stop).minusDays(1);
    }

    private ConsentBasis basisOrNull(Consent consent) {
        try {
            String version = consent.hasMeta() && consent.getMeta().hasVersionId() ? consent.getMeta().getVersionId()
                    : null;
            LocalDate givenOn = null;
            LocalDate expiresOn = null;
            if (consent.hasDateTime()) {
                givenOn = FhirTime.date(FhirTime.first(consent.getDateTimeElement()));
                expiresOn = consent.hasProvision() ? inForce(consent).lastDay() : null;
            }
            return new ConsentBasis(consent.getIdElement().getIdPart(), version, givenOn, expiresOn);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** A modifier extension on the consent or on any element of it (its contained resources aside). */
    static boolean hasModifierExtension(Base element) {
        if (element instanceof IBaseHasModifierExtensions modified && !modified.getModifierExtension().isEmpty()) {
            return true;
        }
        for (Property child : element.children()) {
            if (!child.getName().equals("contained")) {
                for (Base value : child.getValues()) {
                    if (hasModifierExtension(value)) {
                        return true;
                    }
                }
            }
        }
        return false;
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
