package dk.ipsbridge.consent;

import static dk.ipsbridge.patient.IpsCodes.ACT_CODE_SYSTEM;
import static dk.ipsbridge.patient.IpsCodes.CATEGORY_SYSTEM;
import static dk.ipsbridge.patient.IpsCodes.CONSENT_ACTION_SYSTEM;
import static dk.ipsbridge.patient.IpsCodes.INFORMATION_RECIPIENT;
import static dk.ipsbridge.patient.IpsCodes.PARTICIPATION_TYPE_SYSTEM;
import static dk.ipsbridge.patient.IpsCodes.SOR_SYSTEM;
import static dk.ipsbridge.testkit.fhir.IpsFixtures.careTeam;
import static dk.ipsbridge.testkit.fhir.IpsFixtures.organization;
import static dk.ipsbridge.testkit.fhir.IpsFixtures.practitioner;
import static dk.ipsbridge.testkit.fhir.IpsFixtures.practitionerRole;
import static dk.ipsbridge.testkit.fhir.IpsFixtures.referral;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import dk.ipsbridge.patient.PatientSnapshot;
import dk.ipsbridge.testkit.fhir.IpsFixtures;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;

/**
 * One patient's EHR record for a consent gate test: by default a patient with a valid CPR, an active IPS referral and
 * Practitioner/p1 as IPS consultant on behalf of jobcenter A; the test adds the consents.
 */
final class GateScenario {

    static final Instant NOW = Instant.parse("2025-06-15T10:00:00Z");
    static final Instant GIVEN = Instant.parse("2025-03-01T09:00:00Z");
    static final String PATIENT = "pat-1";
    static final String CPR = "0101901234";
    static final String GIVEN_NAME = "Ingrid";
    static final String FAMILY_NAME = "Fiktivsen";

    static final String ORG_A = "Organization/jc-a-org";
    static final String ORG_B = "Organization/jc-b-org";
    static final String ORG_UNKNOWN = "Organization/unknown-org";
    static final String SOR_A = "100000001";
    static final String SOR_B = "100000002";

    private Patient patient = IpsFixtures.patient(PATIENT, CPR, GIVEN_NAME, FAMILY_NAME);
    private final List<Consent> consents = new ArrayList<>();
    private final List<ServiceRequest> referrals = new ArrayList<>(List.of(referral("ref-1", PATIENT, "psych-org",
            "jc-a-org", LocalDate.of(2025, 2, 1), ServiceRequest.ServiceRequestStatus.ACTIVE)));
    private final List<EpisodeOfCare> episodes = new ArrayList<>();
    private final List<CareTeam> careTeams = new ArrayList<>(
            List.of(careTeam("ct-1", PATIENT, "Practitioner/p1", "jc-a-org", null, "doc-1")));
    private final Map<String, Resource> references = new HashMap<>();
    private JobcenterResolver resolver = GateScenario::configuredJobcenter;
    private Instant now = NOW;
    private ConsentAction action = ConsentAction.DISCLOSE;
    private SourceAgreement agreement = SourceAgreement.all(Period.ofMonths(12));

    GateScenario() {
        put("Organization", organization("jc-a-org", SOR_SYSTEM, SOR_A, "Jobcenter A"));
        put("Organization", organization("jc-b-org", SOR_SYSTEM, SOR_B, "Jobcenter B"));
        put("Organization", organization("unknown-org", SOR_SYSTEM, "999999999", "Jobcenter Elsewhere"));
        put("Organization", organization("psych-org", SOR_SYSTEM, "555555555", "Psykiatrien"));
        put("Practitioner", practitioner("p1", "Pia", "Konsulent"));
        put("Practitioner", practitioner("p2", "Per", "Tidligere"));
        put("Practitioner", practitioner("p3", "Poul", "Rolle"));
        put("Practitioner", practitioner("doc-1", "Dorte", "Laege"));
        put("PractitionerRole", practitionerRole("r1", "p3", "jc-a-org"));
    }

    static GateScenario scenario() {
        return new GateScenario();
    }

    /** Jobcenter A and B are configured by SOR code, nothing else is. */
    static Optional<String> configuredJobcenter(String system, String value) {
        if (!SOR_SYSTEM.equals(system)) {
            return Optional.empty();
        }
        return switch (value) {
            case SOR_A -> Optional.of("jc-a");
            case SOR_B -> Optional.of("jc-b");
            default -> Optional.empty();
        };
    }

    /** An active IPS consent given at {@link #GIVEN} to jobcenter A, with the fixture's defaults. */
    static IpsFixtures.ConsentBuilder consentToA(String id) {
        return IpsFixtures.consent(id, PATIENT).givenAt(GIVEN).recipient(ORG_A);
    }

    /** The resource after {@code change}: for what the fixture builders do not offer. */
    static <T extends Resource> T change(T resource, Consumer<T> change) {
        change.accept(resource);
        return resource;
    }

    static Consent.ProvisionComponent nested(Consent consent, Consent.ConsentProvisionType type, String... codes) {
        Consent.ProvisionComponent provision = consent.getProvision().addProvision().setType(type);
        for (String code : codes) {
            provision.addCode(new CodeableConcept(new Coding(CATEGORY_SYSTEM, code, null)));
        }
        return provision;
    }

    static Consent.ProvisionComponent recipient(Consent.ProvisionComponent provision, String reference) {
        provision.addActor().setRole(new CodeableConcept(new Coding(PARTICIPATION_TYPE_SYSTEM, INFORMATION_RECIPIENT,
                null))).setReference(new Reference(reference));
        return provision;
    }

    /** Adds FHIR resource types to the provision's {@code class}. */
    static Consent.ProvisionComponent classes(Consent.ProvisionComponent provision, String... types) {
        for (String type : types) {
            provision.addClass_(new Coding(Provisions.RESOURCE_TYPES_SYSTEM, type, null));
        }
        return provision;
    }

    /** Adds v3-ActCode security labels ({@code PSY}, ...) to the provision. */
    static Consent.ProvisionComponent labels(Consent.ProvisionComponent provision, String... actCodes) {
        for (String code : actCodes) {
            provision.addSecurityLabel(new Coding(ACT_CODE_SYSTEM, code, null));
        }
        return provision;
    }

    /** Sets the provision's {@code dataPeriod}; either end may be null. */
    static Consent.ProvisionComponent dataPeriod(Consent.ProvisionComponent provision, Instant start, Instant end) {
        provision.setDataPeriod(new org.hl7.fhir.r4.model.Period().setStart(start == null ? null : Date.from(start))
                .setEnd(end == null ? null : Date.from(end)));
        return provision;
    }

    /** Adds consentaction codes to the provision. */
    static Consent.ProvisionComponent actions(Consent.ProvisionComponent provision, String... codes) {
        for (String code : codes) {
            provision.addAction(new CodeableConcept(new Coding(CONSENT_ACTION_SYSTEM, code, null)));
        }
        return provision;
    }

    static Date date(Instant instant) {
        return Date.from(instant);
    }

    GateScenario consents(Consent... added) {
        consents.addAll(List.of(added));
        return this;
    }

    GateScenario patient(Patient replacement) {
        patient = replacement;
        return this;
    }

    GateScenario referrals(ServiceRequest... replacement) {
        referrals.clear();
        referrals.addAll(List.of(replacement));
        return this;
    }

    GateScenario episodes(EpisodeOfCare... replacement) {
        episodes.clear();
        episodes.addAll(List.of(replacement));
        return this;
    }

    GateScenario careTeams(CareTeam... replacement) {
        careTeams.clear();
        careTeams.addAll(List.of(replacement));
        return this;
    }

    /** Adds a resource the others may reference. */
    GateScenario with(Resource resource) {
        put(resource.fhirType(), resource);
        return this;
    }

    GateScenario resolver(JobcenterResolver replacement) {
        resolver = replacement;
        return this;
    }

    GateScenario at(Instant replacement) {
        now = replacement;
        return this;
    }

    /** Decide for this action instead of {@code DISCLOSE}. */
    GateScenario action(ConsentAction replacement) {
        action = replacement;
        return this;
    }

    PatientSnapshot snapshot() {
        return new PatientSnapshot("ehr-test", patient, consents, referrals, episodes, careTeams, List.of(), List.of(),
                List.of(), references);
    }

    /** Decide for a patient of a source with this agreement (issue 18) instead of one with every jobcenter. */
    GateScenario agreement(SourceAgreement replacement) {
        agreement = replacement;
        return this;
    }

    List<GateDecision> decide() {
        ConsentGate gate = new ConsentGate(resolver, SourceAgreement.all(Period.ofMonths(12)),
                Map.of("ehr-test", agreement));
        return action == ConsentAction.DISCLOSE ? gate.decide(snapshot(), now) : gate.decide(snapshot(), now, action);
    }

    /** The single Share of the decision, for tests of its policy and withheld categories. */
    GateDecision.Share share() {
        List<GateDecision> decisions = decide();
        if (decisions.size() != 1 || !(decisions.get(0) instanceof GateDecision.Share share)) {
            throw new AssertionError("expected one share, was " + decisions.stream().map(GateScenario::summary)
                    .toList());
        }
        return share;
    }

    CategoryVerdict verdict(String jobcenterId, DataCategory category) {
        return new ConsentGate(resolver, Period.ofMonths(12)).verdict(snapshot(), jobcenterId, action, category, now);
    }

    /** A verdict in one line: {@code permit c1/3} or {@code deny CATEGORY_DENIED c1} ({@code -} for no consent). */
    static String summary(CategoryVerdict verdict) {
        String consent = verdict.consentId() == null ? "-"
                : verdict.consentId() + (verdict.consentVersion() == null ? "" : "/" + verdict.consentVersion());
        return (verdict.permitted() ? "permit " : "deny " + verdict.reason() + " ") + consent;
    }

    /**
     * A decision in one line: {@code share jc-a contact,referral Practitioner/p1} (categories in form order,
     * {@code -} for identity only, {@code ended} when the course has ended) or {@code hold jc-a CONSENT_WITHDRAWN}.
     */
    static String summary(GateDecision decision) {
        if (decision instanceof GateDecision.Share share) {
            String categories = share.categories().isEmpty() ? "-"
                    : share.categories().stream().sorted().map(DataCategory::code).collect(Collectors.joining(","));
            return "share " + share.jobcenterId() + " " + categories
                    + (share.consultantReference() == null ? "" : " " + share.consultantReference())
                    + (share.ended() ? " ended" : "");
        }
        GateDecision.Hold hold = (GateDecision.Hold) decision;
        return "hold " + hold.jobcenterId() + " " + hold.reason();
    }

    private void put(String type, Resource resource) {
        references.put(type + "/" + resource.getIdElement().getIdPart(), resource);
    }
}
