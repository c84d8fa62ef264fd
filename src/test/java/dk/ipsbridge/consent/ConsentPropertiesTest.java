package dk.ipsbridge.consent;

import static dk.ipsbridge.consent.GateScenario.CPR;
import static dk.ipsbridge.consent.GateScenario.FAMILY_NAME;
import static dk.ipsbridge.consent.GateScenario.GIVEN_NAME;
import static dk.ipsbridge.consent.GateScenario.NOW;
import static dk.ipsbridge.consent.GateScenario.ORG_A;
import static dk.ipsbridge.consent.GateScenario.ORG_B;
import static dk.ipsbridge.consent.GateScenario.ORG_UNKNOWN;
import static dk.ipsbridge.consent.GateScenario.PATIENT;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import dk.ipsbridge.consent.GateDecision.Share;
import dk.ipsbridge.patient.IpsCodes;
import dk.ipsbridge.patient.PatientSnapshot;
import dk.ipsbridge.testkit.fhir.IpsFixtures;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Consent.ConsentProvisionType;
import org.hl7.fhir.r4.model.Consent.ConsentState;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;

/**
 * The gate's fail-closed promises, over generated consents: random status, periods, dateTimes, nested permit/deny
 * trees, known and unknown actors, categories, class, security labels and data periods. Each property runs
 * {@value #TRIES} tries; the patient is {@link GateScenario}'s (valid CPR, open referral, consultant p1 for
 * jobcenter A), the patient's record sometimes PSY-labelled.
 *
 * <p>jqwik's edge cases (empty sets, first and last elements) would crowd out the consents that share, which the
 * share properties need, so they are off; the boundaries that matter (now exactly at the lapse) are generated on
 * purpose. The decision statistics are reported by {@link #decideNeverThrowsAndAlwaysAnswers}.
 *
 * <p>Named {@code *Test} so that Surefire's default includes run it with the rest of the unit tests.
 */
class ConsentPropertiesTest {

    static final int TRIES = 500;

    private static final List<String> CATEGORY_CODES = List.of("contact", "referral", "care-team", "conferences",
            "employment-goal", "diagnosis", "outcomes");
    private static final String UNKNOWN_CATEGORY = "shoe-size";
    private static final String FOREIGN_CODE = "snomed:74732009";
    private static final String FOREIGN_CLASS = "mime:application/hl7-cda+xml";
    private static final String FOREIGN_LABEL = "confidentiality:R";
    private static final List<String> KNOWN_ACTORS = List.of(ORG_A, ORG_B, "Practitioner/p1", "PractitionerRole/r1");
    private static final List<String> UNKNOWN_ACTORS = List.of(ORG_UNKNOWN, "Practitioner/p2", "Organization/never-read",
            "not a reference");
    private static final Map<String, String> JOBCENTER_OF = Map.of(ORG_A, "jc-a", ORG_B, "jc-b", "Practitioner/p1",
            "jc-a", "PractitionerRole/r1", "jc-a");
    private static final Set<ConsentState> NOT_ACTIVE = EnumSet.complementOf(EnumSet.of(ConsentState.ACTIVE,
            ConsentState.NULL));

    /** Days relative to {@link GateScenario#NOW}; either end may be null (open). */
    record Window(Integer startDays, Integer endDays) {
        org.hl7.fhir.r4.model.Period toFhir() {
            return new org.hl7.fhir.r4.model.Period().setStart(day(startDays)).setEnd(day(endDays));
        }

        private static Date day(Integer days) {
            return days == null ? null : Date.from(NOW.plus(Duration.ofDays(days)));
        }
    }

    record Provision(ConsentProvisionType type, Set<String> codes, Set<String> classes, Set<String> labels,
            Window period, Window dataPeriod, Set<String> actions, Set<String> actors, List<Provision> children) {

        Provision withActors(UnaryOperator<Set<String>> change) {
            return new Provision(type, codes, classes, labels, period, dataPeriod, actions, change.apply(actors),
                    children.stream().map(c -> c.withActors(change)).toList());
        }

        Stream<Provision> tree() {
            return Stream.concat(Stream.of(this), children.stream().flatMap(Provision::tree));
        }
    }

    record ConsentCase(String id, ConsentState status, Integer givenDaysAgo, boolean optOut, Provision root) {
        Instant given() {
            return givenDaysAgo == null ? null : NOW.minus(Duration.ofDays(givenDaysAgo)).plusSeconds(37);
        }
    }

    record Case(List<ConsentCase> consents, boolean psyPatient, Instant now, ConsentAction action) {
        ConsentCase consent(String id) {
            return consents.stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
        }
    }

    // ---- the promises ----

    @Property(tries = TRIES, edgeCases = EdgeCasesMode.NONE)
    void decideNeverThrowsAndAlwaysAnswers(@ForAll("cases") Case c) {
        ConsentGate gate = gate();
        PatientSnapshot snapshot = snapshot(c);

        List<GateDecision> decisions = gate.decide(snapshot, c.now(), c.action());
        decisions.forEach(d -> Statistics.collect(d instanceof Share ? "share"
                : "hold " + ((GateDecision.Hold) d).reason().code()));
        for (ConsentAction action : ConsentAction.values()) {
            assertThat(gate.decide(snapshot, c.now(), action)).isNotEmpty();
            for (DataCategory category : DataCategory.values()) {
                for (String jobcenter : List.of("jc-a", "jc-b", "jc-elsewhere")) {
                    assertThat(gate.verdict(snapshot, jobcenter, action, category, c.now())).isNotNull();
                }
            }
        }
    }

    @Property(tries = TRIES, edgeCases = EdgeCasesMode.NONE)
    void aShareRestsOnAnActiveApplicablePermit(@ForAll("cases") Case c) {
        for (Share share : shares(c)) {
            ConsentCase deciding = c.consent(share.consent().consentId());
            Provision root = deciding.root();
            assertThat(deciding.status()).isEqualTo(ConsentState.ACTIVE);
            assertThat(deciding.optOut()).isFalse();
            assertThat(root.type()).isEqualTo(ConsentProvisionType.PERMIT);
            assertThat(root.period() == null || FhirTime.covers(root.period().toFhir(), c.now())).isTrue();
            assertThat(root.actions()).contains(c.action().code());
            assertThat(root.tree().filter(p -> p.type() == ConsentProvisionType.PERMIT)
                    .flatMap(p -> p.actors().stream()).map(JOBCENTER_OF::get)).contains(share.jobcenterId());
        }
    }

    @Property(tries = TRIES, edgeCases = EdgeCasesMode.NONE)
    void nothingIsSharedWhenNoConsentIsActive(@ForAll("inactiveCases") Case c) {
        assertNothingShared(c, "jc-a", "jc-b");
    }

    @Property(tries = TRIES, edgeCases = EdgeCasesMode.NONE)
    void aCoveringDenyWithholdsItsCategories(@ForAll("cases") Case c) {
        for (Share share : shares(c)) {
            Provision root = c.consent(share.consent().consentId()).root();
            Statistics.label("shares under a covering deny").collect(root.children().stream()
                    .anyMatch(deny -> coversAtCategoryLevel(deny, c) && !covered(deny).isEmpty()));
            for (Provision deny : root.children()) {
                if (!coversAtCategoryLevel(deny, c)) {
                    continue;
                }
                Set<DataCategory> covered = covered(deny);
                assertThat(Collections.disjoint(share.categories(), covered)).isTrue();
                for (DataCategory category : covered) {
                    assertThat(gate().verdict(snapshot(c), share.jobcenterId(), c.action(), category, c.now())
                            .permitted()).isFalse();
                }
            }
            for (Provision deny : root.children()) {
                if (coversPsyContent(deny, c)) {
                    covered(deny).forEach(category ->
                            assertThat(share.policy().allows(category, psyResource(category))).isFalse());
                }
            }
        }
    }

    @Property(tries = TRIES, edgeCases = EdgeCasesMode.NONE)
    void nothingIsSharedAtOrAfterTheLapse(@ForAll("lapsedCases") Case c) {
        assertNothingShared(c, "jc-a", "jc-b");
    }

    @Property(tries = TRIES, edgeCases = EdgeCasesMode.NONE)
    void aShareEndsBeforeItsConsentLapses(@ForAll("cases") Case c) {
        for (Share share : shares(c)) {
            Instant given = c.consent(share.consent().consentId()).given();
            assertThat(c.now()).isBefore(given.atZone(FhirTime.COPENHAGEN).plusMonths(12).toInstant());
        }
    }

    @Property(tries = TRIES, edgeCases = EdgeCasesMode.NONE)
    void anUnknownRecipientGetsNothing(@ForAll("unknownRecipientCases") Case c,
            @ForAll("unconfiguredJobcenters") String elsewhere) {
        assertNothingShared(c, "jc-a", "jc-b", elsewhere);
    }

    @Property(tries = TRIES, edgeCases = EdgeCasesMode.NONE)
    void onlyConfiguredJobcentersEverReceive(@ForAll("cases") Case c,
            @ForAll("unconfiguredJobcenters") String elsewhere) {
        assertThat(shares(c)).extracting(Share::jobcenterId).allMatch(jc -> jc.equals("jc-a") || jc.equals("jc-b"));
        assertNoVerdictPermits(c, elsewhere);
    }

    @Property(tries = TRIES, edgeCases = EdgeCasesMode.NONE)
    void aSharedCategoryIsNamedByAPermit(@ForAll("cases") Case c) {
        for (Share share : shares(c)) {
            Provision root = c.consent(share.consent().consentId()).root();
            for (DataCategory category : share.categories()) {
                assertThat(root.tree().anyMatch(p -> p.type() == ConsentProvisionType.PERMIT
                        && p.codes().contains(category.code()))).as(category.code()).isTrue();
            }
        }
    }

    /** C9: a label matters only in a deny; an unconditional deny carrying PSY keeps PSY content of its categories. */
    @Property(tries = TRIES, edgeCases = EdgeCasesMode.NONE)
    void psyContentNeverGoesUnderADenyCarryingPsy(@ForAll("cases") Case c) {
        for (Share share : shares(c)) {
            Provision root = c.consent(share.consent().consentId()).root();
            for (DataCategory category : share.categories()) {
                boolean psyDenied = root.children().stream().anyMatch(p -> p.type() == ConsentProvisionType.DENY
                        && p.labels().contains(IpsCodes.PSY) && p.classes().isEmpty() && p.period() == null
                        && p.dataPeriod() == null && p.actions().isEmpty() && p.actors().isEmpty()
                        && (p.codes().isEmpty() || p.codes().contains(category.code())));
                Statistics.label("shared categories with PSY content denied").collect(psyDenied);
                if (psyDenied) {
                    assertThat(share.policy().allows(category, psyResource(category))).as(category.code()).isFalse();
                }
            }
        }
    }

    // ---- generators ----

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<List<ConsentCase>> consents = Combinators.combine(Arbitraries.integers().between(1, 3),
                consent("c0"), consent("c1"), consent("c2")).as((n, a, b, d) -> List.of(a, b, d).subList(0, n));
        Arbitrary<Instant> now = Arbitraries.integers().between(0, 24 * 60)
                .map(hours -> NOW.plus(Duration.ofHours(hours)));
        Arbitrary<Boolean> psyPatient = Arbitraries.frequency(Tuple.of(1, true),
                Tuple.of(4, false));
        return Combinators.combine(consents, psyPatient, now,
                Arbitraries.frequency(Tuple.of(3, ConsentAction.DISCLOSE), Tuple.of(1, ConsentAction.COLLECT)))
                .as(Case::new);
    }

    @Provide
    Arbitrary<Case> inactiveCases() {
        return Combinators.combine(cases(), Arbitraries.of(NOT_ACTIVE).list().ofSize(3)).as((c, statuses) -> {
            List<ConsentCase> consents = new ArrayList<>();
            for (int i = 0; i < c.consents().size(); i++) {
                ConsentCase k = c.consents().get(i);
                consents.add(new ConsentCase(k.id(), statuses.get(i), k.givenDaysAgo(), k.optOut(), k.root()));
            }
            return new Case(consents, c.psyPatient(), c.now(), c.action());
        });
    }

    /** Every consent dated, and now at or after the latest lapse. */
    @Provide
    Arbitrary<Case> lapsedCases() {
        // a third exactly at the lapse: the boundary is where an off-by-one would share
        Arbitrary<Long> minutesAfter = Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(0L)),
                Tuple.of(2, Arbitraries.longs().between(1, 60L * 24 * 400)));
        return Combinators.combine(cases(), minutesAfter).as((c, minutes) -> {
                    List<ConsentCase> consents = c.consents().stream().map(k -> new ConsentCase(k.id(), k.status(),
                            Objects.requireNonNullElse(k.givenDaysAgo(), 30), k.optOut(), k.root())).toList();
                    Instant lastLapse = consents.stream()
                            .map(k -> k.given().atZone(FhirTime.COPENHAGEN).plusMonths(12).toInstant())
                            .max(Comparator.naturalOrder()).orElseThrow();
                    return new Case(consents, c.psyPatient(), lastLapse.plus(Duration.ofMinutes(minutes)),
                            c.action());
                });
    }

    /** Every actor of every consent is one that resolves to no configured jobcenter. */
    @Provide
    Arbitrary<Case> unknownRecipientCases() {
        return Combinators.combine(cases(), Arbitraries.of(UNKNOWN_ACTORS)).as((c, unknown) -> new Case(
                c.consents().stream().map(k -> new ConsentCase(k.id(), k.status(), k.givenDaysAgo(), k.optOut(),
                        k.root() == null ? null : k.root().withActors(actors -> actors.isEmpty() ? actors
                                : Set.of(unknown)))).toList(),
                c.psyPatient(), c.now(), c.action()));
    }

    @Provide
    Arbitrary<String> unconfiguredJobcenters() {
        return Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8).map(s -> "jc-" + s)
                .filter(jc -> !jc.equals("jc-a") && !jc.equals("jc-b"));
    }

    private Arbitrary<ConsentCase> consent(String id) {
        Arbitrary<ConsentState> status = Arbitraries.frequencyOf(
                Tuple.of(16, Arbitraries.just(ConsentState.ACTIVE)),
                Tuple.of(3, Arbitraries.of(NOT_ACTIVE)),
                Tuple.of(1, Arbitraries.just((ConsentState) null)))
                .edgeCases(edgeCases -> edgeCases.filter(ConsentState.ACTIVE::equals));
        Arbitrary<Integer> givenDaysAgo = Arbitraries.integers().between(0, 420).injectNull(0.03);
        Arbitrary<Boolean> optOut = Arbitraries.frequency(Tuple.of(1, true), Tuple.of(19, false));
        Arbitrary<Provision> root = Arbitraries.frequencyOf(
                Tuple.of(39, provision(2, true)),
                Tuple.of(1, Arbitraries.just((Provision) null)));
        return Combinators.combine(status, givenDaysAgo, optOut, root)
                .as((s, g, o, r) -> new ConsentCase(id, s, g, o, r));
    }

    /** What a provision says about data: code, class, security labels. */
    private record Data(Set<String> codes, Set<String> classes, Set<String> labels) {
    }

    private Arbitrary<Provision> provision(int depth, boolean root) {
        Arbitrary<ConsentProvisionType> type = root
                ? Arbitraries.frequency(Tuple.of(19, ConsentProvisionType.PERMIT), Tuple.of(1, ConsentProvisionType.DENY))
                : Arbitraries.frequency(Tuple.of(10, ConsentProvisionType.PERMIT),
                        Tuple.of(10, ConsentProvisionType.DENY), Tuple.of(1, ConsentProvisionType.NULL))
                        .edgeCases(edgeCases -> edgeCases.filter(Objects::nonNull));
        Arbitrary<Set<String>> codes = Arbitraries.frequencyOf(
                Tuple.of(39, Arbitraries.of(CATEGORY_CODES).set().ofMaxSize(root ? 7 : 3)),
                Tuple.of(1, Arbitraries.of(UNKNOWN_CATEGORY, FOREIGN_CODE).set().ofMinSize(1)));
        Arbitrary<Set<String>> classes = Arbitraries.frequencyOf(
                Tuple.of(24, Arbitraries.just(Set.<String>of())),
                Tuple.of(8, Arbitraries.of("Patient", "ServiceRequest", "EpisodeOfCare", "CareTeam",
                        "Appointment", "Goal", "Condition", "Observation", "MedicationRequest").set().ofMinSize(1)
                        .ofMaxSize(3)),
                Tuple.of(1, Arbitraries.just(Set.of(FOREIGN_CLASS))));
        Arbitrary<Set<String>> labels = Arbitraries.frequencyOf(
                Tuple.of(20, Arbitraries.just(Set.<String>of())),
                Tuple.of(10, Arbitraries.just(Set.of(IpsCodes.PSY))),
                Tuple.of(1, Arbitraries.of(IpsCodes.PSY, "ETH", FOREIGN_LABEL).set().ofMinSize(1)));
        Arbitrary<Data> data = Combinators.combine(codes, classes, labels).as(Data::new);
        Arbitrary<Window> window = Combinators.combine(
                Arbitraries.integers().between(-500, 200).injectNull(0.4),
                Arbitraries.integers().between(-200, 500).injectNull(0.4)).as(Window::new);
        Arbitrary<Window> period = window.injectNull(root ? 0.7 : 0.5);
        Arbitrary<Window> dataPeriod = window.injectNull(0.8);
        Arbitrary<Set<String>> actions = root
                ? Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just(Set.of("disclose", "collect"))),
                        Tuple.of(3, Arbitraries.of("disclose", "collect").set().ofSize(1)),
                        Tuple.of(1, Arbitraries.just(Set.of("access"))))
                : Arbitraries.of("disclose", "collect", "access").set().ofMaxSize(2);
        Arbitrary<Set<String>> actors = root
                ? Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(Set.<String>of())),
                        Tuple.of(30, Arbitraries.of(KNOWN_ACTORS).set().ofMinSize(1).ofMaxSize(2)),
                        Tuple.of(2, Arbitraries.of(UNKNOWN_ACTORS).set().ofMinSize(1).ofMaxSize(2)))
                        // jqwik mixes in edge cases (the empty set) often; a root naming nobody is rare in life
                        .edgeCases(edgeCases -> edgeCases.filter(named -> !named.isEmpty()))
                : Arbitraries.frequencyOf(Tuple.of(14, Arbitraries.just(Set.<String>of())),
                        Tuple.of(5, Arbitraries.of(KNOWN_ACTORS).set().ofMinSize(1).ofMaxSize(2)),
                        Tuple.of(1, Arbitraries.of(UNKNOWN_ACTORS).set().ofMinSize(1)));
        Arbitrary<List<Provision>> children = depth == 0 ? Arbitraries.just(List.of())
                : provision(depth - 1, false).list().ofMaxSize(2);
        return Combinators.combine(type, data, period, dataPeriod, actions, actors, children)
                .as((t, d, pe, dp, ac, at, ch) -> new Provision(t, d.codes(), d.classes(), d.labels(), pe, dp, ac,
                        at, ch));
    }

    // ---- building and deciding ----

    private static ConsentGate gate() {
        return new ConsentGate(GateScenario::configuredJobcenter, Period.ofMonths(12));
    }

    private static List<Share> shares(Case c) {
        return gate().decide(snapshot(c), c.now(), c.action()).stream().filter(Share.class::isInstance)
                .map(Share.class::cast).toList();
    }

    /** No share at all, and no verdict that permits anything to any of {@code jobcenters}. */
    private static void assertNothingShared(Case c, String... jobcenters) {
        assertThat(shares(c)).isEmpty();
        assertNoVerdictPermits(c, jobcenters);
    }

    private static void assertNoVerdictPermits(Case c, String... jobcenters) {
        PatientSnapshot snapshot = snapshot(c);
        for (String jobcenter : jobcenters) {
            for (DataCategory category : DataCategory.values()) {
                assertThat(gate().verdict(snapshot, jobcenter, c.action(), category, c.now()).permitted())
                        .as("%s %s", jobcenter, category).isFalse();
            }
        }
    }

    private static PatientSnapshot snapshot(Case c) {
        GateScenario scenario = GateScenario.scenario();
        if (c.psyPatient()) {
            scenario.patient(IpsFixtures.labelled(IpsFixtures.patient(PATIENT, CPR, GIVEN_NAME, FAMILY_NAME),
                    IpsCodes.PSY));
        }
        return scenario.consents(c.consents().stream().map(ConsentPropertiesTest::toFhir).toArray(Consent[]::new))
                .snapshot();
    }

    private static Consent toFhir(ConsentCase c) {
        Consent consent = IpsFixtures.consent(c.id(), PATIENT).build();
        consent.setStatus(c.status());
        consent.setDateTime(c.given() == null ? null : Date.from(c.given()));
        if (c.optOut()) {
            consent.setPolicyRule(new CodeableConcept(new Coding(IpsCodes.ACT_CODE_SYSTEM, "OPTOUT", null)));
        }
        consent.setProvision(c.root() == null ? null : toFhir(c.root(), true));
        return consent;
    }

    private static Consent.ProvisionComponent toFhir(Provision p, boolean root) {
        Consent.ProvisionComponent provision = new Consent.ProvisionComponent();
        provision.setType(p.type() == ConsentProvisionType.NULL ? null : p.type());
        for (String code : p.codes()) {
            provision.addCode(new CodeableConcept(code.equals(FOREIGN_CODE)
                    ? new Coding("http://snomed.info/sct", "74732009", null)
                    : new Coding(IpsCodes.CATEGORY_SYSTEM, code, null)));
        }
        for (String type : p.classes()) {
            provision.addClass_(type.equals(FOREIGN_CLASS) ? new Coding("urn:ietf:bcp:13", "application/hl7-cda+xml",
                    null) : new Coding(Provisions.RESOURCE_TYPES_SYSTEM, type, null));
        }
        for (String label : p.labels()) {
            provision.addSecurityLabel(label.equals(FOREIGN_LABEL)
                    ? new Coding("http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "R", null)
                    : new Coding(IpsCodes.ACT_CODE_SYSTEM, label, null));
        }
        if (p.period() != null) {
            provision.setPeriod(p.period().toFhir());
        }
        if (p.dataPeriod() != null) {
            provision.setDataPeriod(p.dataPeriod().toFhir());
        }
        for (String action : p.actions()) {
            provision.addAction(new CodeableConcept(new Coding(IpsCodes.CONSENT_ACTION_SYSTEM, action, null)));
        }
        for (String actor : p.actors()) {
            provision.addActor().setRole(new CodeableConcept(new Coding(IpsCodes.PARTICIPATION_TYPE_SYSTEM,
                    IpsCodes.INFORMATION_RECIPIENT, null))).setReference(new Reference(actor));
        }
        if (root) {
            provision.addPurpose(new Coding(IpsCodes.IPS_SYSTEM, IpsCodes.IPS_EMPLOYMENT_SUPPORT, null));
        }
        p.children().forEach(child -> provision.addProvision(toFhir(child, false)));
        return provision;
    }

    // ---- the oracle: a deny directly under the root that plainly applies ----

    private static boolean plainlyApplies(Provision deny, Case c) {
        return deny.type() == ConsentProvisionType.DENY && deny.actors().isEmpty()
                && (deny.period() == null || FhirTime.covers(deny.period().toFhir(), c.now()))
                && (deny.actions().isEmpty() || deny.actions().contains(c.action().code()));
    }

    private static boolean coversAtCategoryLevel(Provision deny, Case c) {
        return plainlyApplies(deny, c) && deny.labels().isEmpty() && deny.dataPeriod() == null;
    }

    private static boolean coversPsyContent(Provision deny, Case c) {
        return plainlyApplies(deny, c) && deny.labels().equals(Set.of(IpsCodes.PSY)) && deny.dataPeriod() == null;
    }

    /** The categories a deny's code and class both select (a share proves the deny was readable). */
    private static Set<DataCategory> covered(Provision deny) {
        Set<DataCategory> covered = EnumSet.allOf(DataCategory.class);
        if (!deny.codes().isEmpty()) {
            covered.retainAll(deny.codes().stream().map(DataCategory::fromCode).flatMap(Optional::stream)
                    .toList());
        }
        if (!deny.classes().isEmpty()) {
            covered.retainAll(DataCategory.ofResourceTypes(deny.classes()));
        }
        return covered;
    }

    /** A PSY-labelled resource of the category's first type, dated today. */
    private static Resource psyResource(DataCategory category) {
        Resource resource = switch (category) {
            case CONTACT -> IpsFixtures.patient(PATIENT, CPR, GIVEN_NAME, FAMILY_NAME);
            case REFERRAL -> IpsFixtures.referral("ref-p", PATIENT, "psych-org", "jc-a-org", LocalDate.of(2025, 6, 1),
                    ServiceRequest.ServiceRequestStatus.ACTIVE);
            case CARE_TEAM -> IpsFixtures.careTeam("ct-p", PATIENT, null, null, null);
            case CONFERENCES -> IpsFixtures.conference("ap-p", PATIENT, NOW, NOW.plusSeconds(3600));
            case EMPLOYMENT_GOAL -> IpsFixtures.employmentGoal("g-p", PATIENT, "Job");
            case DIAGNOSIS -> IpsFixtures.diagnosis("cond-p", PATIENT, "F20.0", "x", false);
            case OUTCOMES -> IpsFixtures.employmentOutcome("obs-p", PATIENT, "ev-p", LocalDate.of(2025, 6, 1));
        };
        return IpsFixtures.labelled(resource, IpsCodes.PSY);
    }
}
