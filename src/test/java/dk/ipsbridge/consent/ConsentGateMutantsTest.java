package dk.ipsbridge.consent;

import static dk.ipsbridge.consent.GateScenario.CPR;
import static dk.ipsbridge.consent.GateScenario.FAMILY_NAME;
import static dk.ipsbridge.consent.GateScenario.GIVEN;
import static dk.ipsbridge.consent.GateScenario.GIVEN_NAME;
import static dk.ipsbridge.consent.GateScenario.NOW;
import static dk.ipsbridge.consent.GateScenario.ORG_A;
import static dk.ipsbridge.consent.GateScenario.ORG_B;
import static dk.ipsbridge.consent.GateScenario.ORG_UNKNOWN;
import static dk.ipsbridge.consent.GateScenario.PATIENT;
import static dk.ipsbridge.consent.GateScenario.SOR_A;
import static dk.ipsbridge.consent.GateScenario.consentToA;
import static dk.ipsbridge.consent.GateScenario.dataPeriod;
import static dk.ipsbridge.consent.GateScenario.nested;
import static dk.ipsbridge.consent.GateScenario.recipient;
import static dk.ipsbridge.consent.GateScenario.scenario;
import static dk.ipsbridge.patient.IpsCodes.INFORMATION_RECIPIENT;
import static dk.ipsbridge.patient.IpsCodes.PARTICIPATION_TYPE_SYSTEM;
import static dk.ipsbridge.patient.IpsCodes.SOR_SYSTEM;
import static dk.ipsbridge.testkit.fhir.IpsFixtures.careTeam;
import static dk.ipsbridge.testkit.fhir.IpsFixtures.episode;
import static dk.ipsbridge.testkit.fhir.IpsFixtures.practitioner;
import static dk.ipsbridge.testkit.fhir.IpsFixtures.practitionerRole;
import static dk.ipsbridge.testkit.fhir.IpsFixtures.referral;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hl7.fhir.r4.model.Consent.ConsentProvisionType.DENY;
import static org.hl7.fhir.r4.model.Consent.ConsentProvisionType.PERMIT;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dk.ipsbridge.consent.GateDecision.Hold;
import dk.ipsbridge.consent.GateDecision.Share;
import dk.ipsbridge.patient.IpsCodes;
import dk.ipsbridge.testkit.fhir.IpsFixtures;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.EpisodeOfCare.EpisodeOfCareStatus;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestStatus;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Behaviour of the consent gate that mutation testing (PIT, {@code mvn -Pmutation}) found no test for: each test
 * states a rule of {@code ehr-ips-conventions.md} 1.1 and checks what is shared, or held and why, never how the gate
 * gets there. Grouped by rule.
 */
class ConsentGateMutantsTest {

    private static final Instant DAY_IN_2023 = Instant.parse("2023-05-10T10:00:00Z");
    private static final Instant DAY_IN_2025 = Instant.parse("2025-02-10T10:00:00Z");

    // ---- rule 1 and C6: which consents can permit ----

    @Test
    void c6_aNewestConsentGivenMoreThanFiveMinutesAheadHoldsAsInvalidAndNoOlderPermitWins() {
        Consent older = consentToA("c1").categories("contact").build();
        Consent future = consentToA("c2").givenAt(NOW.plus(Duration.ofDays(1))).categories("contact").build();

        assertThat(summaries(scenario().consents(older, future))).containsExactly("hold jc-a CONSENT_INVALID");
    }

    @Test
    void c6_aConsentGivenThreeMinutesAheadIsWithinTheClockTolerance() {
        Consent consent = consentToA("c1").givenAt(NOW.plus(Duration.ofMinutes(3))).categories("contact").build();

        assertThat(summaries(scenario().consents(consent))).containsExactly("share jc-a contact Practitioner/p1");
    }

    // ---- C1: identity ----

    @Test
    void c1_twoDifferentUsableCprsAreHeldAsAmbiguous() {
        Patient patient = IpsFixtures.patient(PATIENT, CPR, GIVEN_NAME, FAMILY_NAME);
        patient.addIdentifier().setSystem(IpsCodes.CPR_SYSTEM).setValue("0202802345");

        assertThat(summaries(scenario().patient(patient).consents(consentToA("c1").categories("contact").build())))
                .containsExactly("hold jc-a AMBIGUOUS_CPR");
    }

    @Test
    void c1_theSameCprTwiceOrAnOldOneBesideItIsNotAmbiguous() {
        Patient patient = IpsFixtures.patient(PATIENT, CPR, GIVEN_NAME, FAMILY_NAME);
        patient.addIdentifier().setSystem(IpsCodes.CPR_SYSTEM).setValue(CPR)
                .setUse(Identifier.IdentifierUse.OFFICIAL);
        patient.addIdentifier().setSystem(IpsCodes.CPR_SYSTEM).setValue("0202802345")
                .setUse(Identifier.IdentifierUse.OLD);

        assertThat(summaries(scenario().patient(patient).consents(consentToA("c1").categories("contact").build())))
                .containsExactly("share jc-a contact Practitioner/p1");
    }

    // ---- rule 5 and C7: a named consultant ----

    @Test
    void rule5_aConsentNamingTheJobcenterAndAConsultantWhoIsNoneSharesNothing() {
        Consent consent = consentToA("c1").recipient("Practitioner/p2").categories("contact").build();
        GateScenario scenario = scenario().consents(consent);

        assertThat(scenario.decide()).noneMatch(Share.class::isInstance);
        assertThat(scenario.verdict("jc-a", DataCategory.CONTACT).permitted()).isFalse();
    }

    @Test
    void rule5_aConsentNamingTheJobcenterAndARoleOfSomeoneWhoIsNoConsultantSharesNothing() {
        Consent consent = consentToA("c1").recipient("PractitionerRole/r9").categories("contact").build();

        assertThat(scenario().with(practitionerRole("r9", "p2", "jc-b-org")).consents(consent).decide())
                .noneMatch(Share.class::isInstance);
    }

    @Test
    void c7_aConsentNamingTheConsultantsRoleAtAnotherJobcenterGivesNothingToTheJobcenterHeServes() {
        // p1 is the consultant for jobcenter A; the consent names p1's role at jobcenter B
        Consent consent = IpsFixtures.consent("c1", PATIENT).givenAt(GIVEN).recipient("PractitionerRole/r8")
                .categories("contact").build();

        assertThat(scenario().with(practitionerRole("r8", "p1", "jc-b-org")).consents(consent).decide())
                .noneMatch(Share.class::isInstance);
    }

    @Test
    void c7_sharingNeverFollowsTheConsultantToAnotherJobcenter() {
        org.hl7.fhir.r4.model.Period untilMay = new org.hl7.fhir.r4.model.Period()
                .setStart(Date.from(Instant.parse("2024-09-01T00:00:00Z")))
                .setEnd(Date.from(Instant.parse("2025-05-01T00:00:00Z")));
        org.hl7.fhir.r4.model.Period fromMay = new org.hl7.fhir.r4.model.Period()
                .setStart(Date.from(Instant.parse("2025-05-02T00:00:00Z")));
        Consent consent = IpsFixtures.consent("c1", PATIENT).givenAt(GIVEN).recipient("Practitioner/p1")
                .categories("contact").build();

        GateScenario scenario = scenario().consents(consent).careTeams(
                careTeam("ct-1", PATIENT, "Practitioner/p1", "jc-a-org", untilMay),
                careTeam("ct-2", PATIENT, "Practitioner/p1", "jc-b-org", fromMay));

        assertThat(scenario.decide()).noneMatch(Share.class::isInstance);
        assertThat(scenario.verdict("jc-b", DataCategory.CONTACT).permitted()).isFalse();
    }

    @Test
    void c2_aConsentNamingThePractitionerMatchesTheCareTeamMemberThatIsOneOfItsRoles() {
        // r1 is p3's role at jobcenter A
        Consent consent = IpsFixtures.consent("c1", PATIENT).givenAt(GIVEN).recipient("Practitioner/p3")
                .categories("contact").build();

        GateScenario scenario = scenario().consents(consent)
                .careTeams(careTeam("ct-1", PATIENT, "PractitionerRole/r1", null, null, "doc-1"));

        assertThat(scenario.decide()).singleElement().isInstanceOfSatisfying(Share.class,
                share -> assertThat(share.jobcenterId()).isEqualTo("jc-a"));
    }

    @Test
    void c2_theConsultantsJobcenterMayBeNamedByIdentifierInOnBehalfOf() {
        CareTeam team = careTeam("ct-1", PATIENT, "Practitioner/p1", null, null, "doc-1");
        team.getParticipantFirstRep().setOnBehalfOf(new Reference().setType("Organization")
                .setIdentifier(new Identifier().setSystem(SOR_SYSTEM).setValue(SOR_A)));
        Consent consent = IpsFixtures.consent("c1", PATIENT).givenAt(GIVEN).recipient("Practitioner/p1")
                .categories("contact").build();

        assertThat(summaries(scenario().careTeams(team).consents(consent)))
                .containsExactly("share jc-a contact Practitioner/p1");
    }

    @Test
    void c2_aConsultantWhoseOnBehalfOfAndRoleOrganisationDisagreeIsAConsultantForNoJobcenter() {
        // r1 is p3's role at jobcenter A, but the participation says on behalf of jobcenter B
        CareTeam team = careTeam("ct-1", PATIENT, "PractitionerRole/r1", null, null, "doc-1");
        team.getParticipantFirstRep().setOnBehalfOf(new Reference(ORG_B));

        Share toA = scenario().careTeams(team).consents(consentToA("c1").categories("contact").build()).share();
        Share toB = scenario().careTeams(team).consents(IpsFixtures.consent("c1", PATIENT).givenAt(GIVEN)
                .recipient(ORG_B).categories("contact").build()).share();
        List<GateDecision> toTheRole = scenario().careTeams(team).consents(IpsFixtures.consent("c1", PATIENT)
                .givenAt(GIVEN).recipient("PractitionerRole/r1").categories("contact").build()).decide();
        List<GateDecision> toThePerson = scenario().careTeams(team).consents(IpsFixtures.consent("c1", PATIENT)
                .givenAt(GIVEN).recipient("Practitioner/p3").categories("contact").build()).decide();

        assertThat(toA.consultantReference()).isNull();
        assertThat(toB.consultantReference()).isNull();
        assertThat(toTheRole).noneMatch(Share.class::isInstance);
        assertThat(toThePerson).noneMatch(Share.class::isInstance);
    }

    @Test
    void c2_aContainedCareTeamMemberHasNoIdentityAndIsNoConsultant() {
        CareTeam team = careTeam("ct-1", PATIENT, "#contained-p", "jc-a-org", null, "doc-1");
        team.getParticipantFirstRep().setOnBehalfOf(new Reference(ORG_A));
        team.addContained(practitioner("contained-p", "Cecilie", "Indlejret"));

        Share share = scenario().careTeams(team).consents(consentToA("c1").categories("contact").build()).share();

        assertThat(share.consultantReference()).isNull();
    }

    @Test
    void c3_theTreatmentTeamIsTheCareTeamThatHoldsTheConsultantOnly() {
        CareTeam withConsultant = careTeam("ct-1", PATIENT, "Practitioner/p1", "jc-a-org", null, "doc-1");
        CareTeam without = careTeam("ct-2", PATIENT, null, null, null, "p2");
        CareTeam anotherConsultants = careTeam("ct-3", PATIENT, "Practitioner/p2", "jc-b-org", null, "p3");

        List<CareTeams.Member> team = CareTeams.treatmentTeam(
                scenario().careTeams(withConsultant, without, anotherConsultants).snapshot(), "Practitioner/p1", NOW);

        assertThat(team).map(m -> m.participant().getMember().getReference()).containsExactly("Practitioner/doc-1");
    }

    // ---- rule 5: who an actor names ----

    @Test
    void rule5_aBlankJobcenterIdFromTheConfigurationNamesNobody() {
        GateScenario scenario = scenario().resolver((system, value) -> Optional.of(" "))
                .consents(consentToA("c1").categories("contact").build());

        assertThat(scenario.decide()).noneMatch(Share.class::isInstance)
                .allSatisfy(d -> assertThat(d.jobcenterId()).isNull());
    }

    @Test
    void rule5_aLogicalReferenceOfAnotherTypeIsNoOrganisationWhateverItsIdentifier() {
        Consent consent = consentNaming(new Reference().setType("Practitioner")
                .setIdentifier(new Identifier().setSystem(SOR_SYSTEM).setValue(SOR_A)));

        assertThat(scenario().consents(consent).decide()).noneMatch(Share.class::isInstance);
    }

    @Test
    void rule5_aLogicalReferenceTypedByTheOrganizationProfileUrlNamesTheJobcenter() {
        Consent consent = consentNaming(new Reference().setType("http://hl7.org/fhir/StructureDefinition/Organization")
                .setIdentifier(new Identifier().setSystem(SOR_SYSTEM).setValue(SOR_A)));

        assertThat(summaries(scenario().consents(consent))).containsExactly("share jc-a contact Practitioner/p1");
    }

    static Stream<Arguments> unresolvableActors() {
        Consent containedConsultant = consentNaming(new Reference("#cp"));
        containedConsultant.addContained(practitioner("cp", "Carl", "Indlejret"));
        return Stream.of(
                actor("shouldNotResolveAnActorWithoutReference", consentNaming(new Reference())),
                actor("shouldNotResolveAnActorOfAnotherResourceType", consentNaming(new Reference("Location/loc-1"))),
                actor("shouldNotResolveAContainedConsultant", containedConsultant),
                actor("shouldNotResolveADisplayOnlyActor", consentNaming(new Reference().setDisplay("Jobcentret"))),
                actor("shouldNotResolveAMissingOrganization", consentNaming(new Reference("Organization/org-gone"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unresolvableActors")
    void c8_aConsentWhoseOnlyRecipientCannotBeResolvedHoldsAsUnknownRecipient(Consent consent) {
        Location location = new Location();
        location.setId("loc-1");

        assertThat(summaries(scenario().with(location).consents(consent)))
                .containsExactly("hold null UNKNOWN_RECIPIENT");
    }

    // ---- C5, C8: a newest consent that names nobody, or nobody known ----

    @Test
    void c5_aNewestConsentNamingNobodyPermitsNobody() {
        Consent older = consentToA("c1").categories("contact").build();
        Consent newer = IpsFixtures.consent("c2", PATIENT).givenAt(GIVEN.plus(Duration.ofDays(1)))
                .categories("contact").build();

        assertThat(summaries(scenario().consents(older, newer)))
                .contains("hold jc-a DISCLOSURE_NOT_PERMITTED").noneMatch(s -> s.startsWith("share"));
    }

    @Test
    void c8_aNewestConsentNamingAnUnresolvableRecipientHoldsTheOthersAsUnreadable() {
        Consent older = consentToA("c1").categories("contact").build();
        Consent newer = IpsFixtures.consent("c2", PATIENT).givenAt(GIVEN.plus(Duration.ofDays(1)))
                .recipient(ORG_UNKNOWN).categories("contact").build();

        assertThat(summaries(scenario().consents(older, newer)))
                .contains("hold jc-a CONSENT_UNREADABLE").noneMatch(s -> s.startsWith("share"));
    }

    // ---- details: what decided, without personal data ----

    @Test
    void detailsNameAnUnresolvableReferenceThatIsSafeToShow() {
        assertThat(holdDetail(consentNaming(new Reference("Organization/org-gone")))).contains("Organization/org-gone");
        assertThat(holdDetail(consentNaming(new Reference().setType("Organization")
                .setIdentifier(new Identifier().setSystem(SOR_SYSTEM).setValue("999999999")))))
                .contains(SOR_SYSTEM + "|999999999");
        Consent contained = consentNaming(new Reference("#org-1"));
        contained.addContained(IpsFixtures.organization("org-1", SOR_SYSTEM, "999999999", "Et andet sted"));
        assertThat(holdDetail(contained)).contains("#org-1");
    }

    @Test
    void detailsNeverCarryACprLikeValueFromAReference() {
        Consent missing = consentNaming(new Reference("Organization/" + CPR));
        Consent otherSystem = consentNaming(new Reference().setType("Organization")
                .setIdentifier(new Identifier().setSystem("urn:oid:1.2.208.176.1.2").setValue(CPR)));
        Consent noSystem = consentNaming(new Reference().setType("Organization")
                .setIdentifier(new Identifier().setValue(CPR)));
        Consent contained = consentNaming(new Reference("#" + CPR));
        contained.addContained(IpsFixtures.organization(CPR, SOR_SYSTEM, "999999999", "Et andet sted"));

        for (Consent consent : List.of(missing, otherSystem, noSystem, contained)) {
            assertThat(holdDetail(consent)).isNotBlank().doesNotContain(CPR);
        }
    }

    @Test
    void detailsOfADenyByClassNameOnlyResourceTypes() {
        // a class code is free text: the withheld detail must not echo one that is no resource type
        Consent consent = consentToA("c1").categories("contact", "diagnosis").build();
        GateScenario.classes(nested(consent, DENY, "diagnosis"), "Condition", CPR);

        Share share = scenario().consents(consent).share();

        assertThat(share.withheld().get(DataCategory.DIAGNOSIS).reason()).isEqualTo(HoldReason.CATEGORY_DENIED);
        assertThat(share.withheld().get(DataCategory.DIAGNOSIS).detail()).contains("Condition").doesNotContain(CPR);
    }

    // ---- nested provisions: who a nested permit names, and depth ----

    @Test
    void rule5_aNestedPermitNamingAnotherJobcenterGetsOnlyItsOwnCategories() {
        Consent consent = IpsFixtures.consent("c1", PATIENT).givenAt(GIVEN).recipient(ORG_B)
                .categories("contact", "diagnosis").build();
        recipient(nested(consent, PERMIT, "referral"), ORG_A);

        assertThat(summaries(scenario().consents(consent)))
                .containsExactly("share jc-a referral Practitioner/p1", "share jc-b contact,diagnosis");
    }

    @Test
    void rule5_aRecipientNamedTwoLevelsDownIsNamed() {
        Consent consent = IpsFixtures.consent("c1", PATIENT).givenAt(GIVEN).categories("contact").build();
        Consent.ProvisionComponent permit = nested(consent, PERMIT, "referral");
        Consent.ProvisionComponent grandchild = permit.addProvision().setType(PERMIT);
        grandchild.addCode(new CodeableConcept(new Coding(IpsCodes.CATEGORY_SYSTEM, "care-team", null)));
        recipient(grandchild, ORG_A);

        assertThat(summaries(scenario().consents(consent)))
                .containsExactly("share jc-a contact,referral,care-team Practitioner/p1");
    }

    @Test
    void rule2_aDenyTwoLevelsDownStillOverridesThePermit() {
        Consent consent = consentToA("c1").categories("contact", "diagnosis").build();
        Consent.ProvisionComponent permit = nested(consent, PERMIT, "referral");
        Consent.ProvisionComponent deny = permit.addProvision().setType(DENY);
        deny.addCode(new CodeableConcept(new Coding(IpsCodes.CATEGORY_SYSTEM, "diagnosis", null)));

        Share share = scenario().consents(consent).share();

        assertThat(share.categories()).containsExactlyInAnyOrder(DataCategory.CONTACT, DataCategory.REFERRAL);
        assertThat(share.withheld().get(DataCategory.DIAGNOSIS).reason()).isEqualTo(HoldReason.CATEGORY_DENIED);
    }

    @Test
    void c10_aNestedProvisionWithoutTypeAfterAValidOneMakesTheConsentUnreadable() {
        Consent consent = consentToA("c1").categories("contact").build();
        Consent.ProvisionComponent permit = nested(consent, PERMIT, "referral");
        permit.addProvision().setType(DENY)
                .addCode(new CodeableConcept(new Coding(IpsCodes.CATEGORY_SYSTEM, "diagnosis", null)));
        permit.addProvision().addCode(new CodeableConcept(new Coding(IpsCodes.CATEGORY_SYSTEM, "contact", null)));

        assertThat(summaries(scenario().consents(consent))).containsExactly("hold jc-a CONSENT_UNREADABLE");
    }

    // ---- C10 and dataPeriod: contact details have no clinical time ----

    @Test
    void c10_aPermitsDataPeriodDoesNotApplyToContactDetails() {
        Consent consent = consentToA("c1").categories("contact", "employment-goal")
                .dataPeriod(Instant.parse("2025-01-01T00:00:00Z"), Instant.parse("2025-12-31T00:00:00Z")).build();

        DataPolicy policy = scenario().consents(consent).share().policy();

        assertThat(policy.allows(DataCategory.CONTACT, IpsFixtures.patient(PATIENT, CPR, GIVEN_NAME, FAMILY_NAME)))
                .isTrue();
        assertThat(policy.allows(DataCategory.EMPLOYMENT_GOAL, goalStarting("2025-02-10"))).isTrue();
        assertThat(policy.allows(DataCategory.EMPLOYMENT_GOAL, goalStarting("2024-02-10"))).isFalse();
    }

    @Test
    void c10_aDenysDataPeriodDoesNotApplyToContactDetails() {
        Consent consent = consentToA("c1").categories("contact", "employment-goal").build();
        dataPeriod(nested(consent, DENY, "contact", "employment-goal"), Instant.parse("2024-01-01T00:00:00Z"),
                Instant.parse("2024-12-31T00:00:00Z"));

        DataPolicy policy = scenario().consents(consent).share().policy();

        assertThat(policy.allows(DataCategory.CONTACT, IpsFixtures.patient(PATIENT, CPR, GIVEN_NAME, FAMILY_NAME)))
                .isTrue();
        assertThat(policy.allows(DataCategory.EMPLOYMENT_GOAL, goalStarting("2024-06-10"))).isFalse();
        assertThat(policy.allows(DataCategory.EMPLOYMENT_GOAL, goalStarting("2025-02-10"))).isTrue();
    }

    @Test
    void rule2_aDenyByDataPeriodRemovesEveryResourceWhoseTimeOverlapsIt() {
        Consent consent = consentToA("c1").categories("employment-goal").build();
        dataPeriod(nested(consent, DENY, "employment-goal"), Instant.parse("2024-01-01T00:00:00Z"),
                Instant.parse("2024-06-30T12:00:00Z"));

        DataPolicy policy = scenario().consents(consent).share().policy();

        // a goal dated by day spans the whole (Danish) day: 30 June overlaps a period that ends at noon
        assertThat(policy.allows(DataCategory.EMPLOYMENT_GOAL, goalStarting("2024-06-30"))).isFalse();
        assertThat(policy.allows(DataCategory.EMPLOYMENT_GOAL, goalStarting("2024-01-01"))).isFalse();
        assertThat(policy.allows(DataCategory.EMPLOYMENT_GOAL, goalStarting("2024-07-02"))).isTrue();
        assertThat(policy.allows(DataCategory.EMPLOYMENT_GOAL, goalStarting("2023-12-30"))).isTrue();
    }

    // ---- dataPeriod by clinical time, per resource type ----

    @Test
    void dataPeriodReadsEachResourceByItsClinicalTime() {
        Consent consent = consentToA("c1").categories("referral", "care-team", "diagnosis", "outcomes")
                .actions(IpsCodes.DISCLOSE, IpsCodes.COLLECT)
                .dataPeriod(Instant.parse("2025-01-01T00:00:00Z"), Instant.parse("2025-12-31T00:00:00Z")).build();
        DataPolicy policy = scenario().consents(consent).share().policy();

        Condition onsetIn2025 = IpsFixtures.diagnosis("d1", PATIENT, "F20.0", "x", false);
        onsetIn2025.setOnset(period(DAY_IN_2025));
        Condition onsetIn2023 = IpsFixtures.diagnosis("d2", PATIENT, "F20.0", "x", false);
        onsetIn2023.setOnset(period(DAY_IN_2023));
        Condition onsetWithoutStart = IpsFixtures.diagnosis("d3", PATIENT, "F20.0", "x", false);
        onsetWithoutStart.setOnset(new org.hl7.fhir.r4.model.Period().setEnd(Date.from(DAY_IN_2025)));
        assertThat(policy.allows(DataCategory.DIAGNOSIS, onsetIn2025)).isTrue();
        assertThat(policy.allows(DataCategory.DIAGNOSIS, onsetIn2023)).isFalse();
        assertThat(policy.allows(DataCategory.DIAGNOSIS, onsetWithoutStart)).isFalse();

        assertThat(policy.allows(DataCategory.REFERRAL, episodeStarting(DAY_IN_2025))).isTrue();
        assertThat(policy.allows(DataCategory.REFERRAL, episodeStarting(DAY_IN_2023))).isFalse();

        assertThat(policy.allows(DataCategory.CARE_TEAM, careTeamStarting(DAY_IN_2025))).isTrue();
        assertThat(policy.allows(DataCategory.CARE_TEAM, careTeamStarting(DAY_IN_2023))).isFalse();

        assertThat(policy.allows(DataCategory.OUTCOMES, outcome(new InstantType(Date.from(DAY_IN_2025))))).isTrue();
        assertThat(policy.allows(DataCategory.OUTCOMES, outcome(new InstantType(Date.from(DAY_IN_2023))))).isFalse();
        assertThat(policy.allows(DataCategory.OUTCOMES, outcome(period(DAY_IN_2025)))).isTrue();
        assertThat(policy.allows(DataCategory.OUTCOMES, outcome(period(DAY_IN_2023)))).isFalse();
    }

    // ---- the policy is a value ----

    @Test
    void theDataPolicyIsAValueOfWhatTheConsentSays() {
        Consent consent = consentToA("c1").categories("contact", "referral").build();
        Share first = scenario().consents(consent).share();
        Share again = scenario().consents(consentToA("c1").categories("contact", "referral").build()).share();
        Share other = scenario().consents(consentToA("c1").categories("contact").build()).share();

        assertThat(first.policy()).isEqualTo(again.policy()).hasSameHashCodeAs(again.policy())
                .isNotEqualTo(other.policy()).isNotEqualTo("a policy");
        assertThat(first.policy().categories()).isEqualTo(first.categories());
        assertThat(first.policy().toString()).contains("contact", "referral").doesNotContain(CPR, GIVEN_NAME);
    }

    // ---- C13: the course ----

    static Stream<Arguments> endedCourses() {
        EpisodeOfCare notIps = episode("eoc-x", PATIENT, "psych-org", LocalDate.of(2025, 1, 1),
                EpisodeOfCareStatus.ACTIVE);
        notIps.getType().clear();
        notIps.addType(new CodeableConcept(new Coding(IpsCodes.IPS_SYSTEM, "ips-follow-up", null)));
        return Stream.of(
                course("shouldWithdrawWhenTheServiceRequestIsRevoked",
                        scenario().referrals(referralWith(ServiceRequestStatus.REVOKED))),
                course("shouldWithdrawWhenTheEpisodeIsCancelled", scenario().referrals().episodes(
                        episode("eoc-1", PATIENT, "psych-org", LocalDate.of(2025, 1, 1),
                                EpisodeOfCareStatus.CANCELLED))),
                course("shouldLetARevokedReferralOutweighACompletedOne", scenario().referrals(
                        referralWith(ServiceRequestStatus.COMPLETED), referralWith(ServiceRequestStatus.REVOKED))),
                course("shouldNotLetAnActiveEpisodeThatIsNoIpsReferralKeepTheCourseOpen",
                        scenario().referrals(referralWith(ServiceRequestStatus.REVOKED)).episodes(notIps)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endedCourses")
    void c13_aRevokedOrCancelledReferralWithdraws(GateScenario scenario) {
        assertThat(summaries(scenario.consents(consentToA("c1").categories("contact").build())))
                .containsExactly("hold jc-a REFERRAL_ENDED");
    }

    @Test
    void c13_aCompletedReferralEndsTheDisclosedCourseButNotTheCollection() {
        Consent consent = consentToA("c1").categories("contact", "outcomes")
                .actions(IpsCodes.DISCLOSE, IpsCodes.COLLECT).build();

        Share ongoing = scenario().consents(consent).share();
        Share ended = scenario().referrals(referralWith(ServiceRequestStatus.COMPLETED)).consents(consent).share();
        Share collected = scenario().referrals(referralWith(ServiceRequestStatus.COMPLETED)).consents(consent)
                .action(ConsentAction.COLLECT).share();

        assertThat(ongoing.ended()).isFalse();
        assertThat(ended.ended()).isTrue();
        assertThat(collected.ended()).isFalse();
    }

    @Test
    void c15_collectNeedsNoCurrentConsultantButDisclosureDoes() {
        org.hl7.fhir.r4.model.Period untilMay = new org.hl7.fhir.r4.model.Period()
                .setStart(Date.from(Instant.parse("2024-09-01T00:00:00Z")))
                .setEnd(Date.from(Instant.parse("2025-05-01T00:00:00Z")));
        Consent consent = IpsFixtures.consent("c1", PATIENT).givenAt(GIVEN).recipient("Practitioner/p1")
                .categories("outcomes").actions(IpsCodes.DISCLOSE, IpsCodes.COLLECT).build();
        GateScenario scenario = scenario().consents(consent)
                .careTeams(careTeam("ct-1", PATIENT, "Practitioner/p1", "jc-a-org", untilMay));

        assertThat(summaries(scenario)).containsExactly("hold jc-a RECIPIENT_NOT_IN_CARE_TEAM");
        assertThat(summaries(scenario.action(ConsentAction.COLLECT))).containsExactly("share jc-a outcomes");
    }

    // ---- what a reason means to the jobcenter and to an operator ----

    @Test
    void holdReasonsMapToTheWithdrawalTheJobcenterIsTold() {
        assertThat(HoldReason.CONSENT_WITHDRAWN.withdrawalReason()).isEqualTo("consent-withdrawn");
        assertThat(HoldReason.CONSENT_LAPSED.withdrawalReason()).isEqualTo("consent-expired");
        assertThat(HoldReason.CONSENT_EXPIRED.withdrawalReason()).isEqualTo("consent-expired");
        assertThat(HoldReason.RECIPIENT_NOT_IN_CARE_TEAM.withdrawalReason()).isEqualTo("recipient-changed");
        assertThat(HoldReason.REFERRAL_ENDED.withdrawalReason()).isEqualTo("referral-ended");
        assertThat(HoldReason.REFERRAL_ENTERED_IN_ERROR.withdrawalReason()).isEqualTo("entered-in-error");
        // data an operator must fix suspends the case: no withdrawal tells the jobcenter something untrue
        assertThat(Stream.of(HoldReason.CONSENT_UNREADABLE, HoldReason.CONSENT_INVALID, HoldReason.NO_CPR,
                HoldReason.INVALID_CPR, HoldReason.AMBIGUOUS_CPR).map(HoldReason::withdrawalReason)).containsOnlyNulls();
    }

    @Test
    void holdReasonsAreFoundByTheirCode() {
        for (HoldReason reason : HoldReason.values()) {
            assertThat(HoldReason.ofCode(reason.code())).contains(reason);
        }
        assertThat(HoldReason.ofCode("consent-maybe")).isEmpty();
    }

    @Test
    void onlyBadInputNeedsAnOperator() {
        Set<HoldReason> operator = EnumSet.of(HoldReason.CONSENT_UNREADABLE, HoldReason.CONSENT_INVALID,
                HoldReason.UNKNOWN_RECIPIENT, HoldReason.RECIPIENT_NOT_AGREED, HoldReason.INVALID_CPR, HoldReason.NO_CPR,
                HoldReason.AMBIGUOUS_CPR, HoldReason.RESOURCE_INVALID);

        assertThat(Arrays.stream(HoldReason.values()).filter(HoldReason::needsOperator)
                .collect(Collectors.toSet())).isEqualTo(operator);
    }

    @Test
    void actionsCarryTheirConsentactionCodes() {
        assertThat(ConsentAction.DISCLOSE.code()).isEqualTo("disclose");
        assertThat(ConsentAction.COLLECT.code()).isEqualTo("collect");
    }

    // ---- helpers ----

    private static List<String> summaries(GateScenario scenario) {
        return scenario.decide().stream().map(GateScenario::summary).toList();
    }

    /** An active IPS consent given at {@link GateScenario#GIVEN}, permitting contact, naming only {@code actor}. */
    private static Consent consentNaming(Reference actor) {
        Consent consent = IpsFixtures.consent("c1", PATIENT).givenAt(GIVEN).categories("contact").build();
        consent.getProvision().addActor().setRole(new CodeableConcept(new Coding(PARTICIPATION_TYPE_SYSTEM,
                INFORMATION_RECIPIENT, null))).setReference(actor);
        return consent;
    }

    private static String holdDetail(Consent consent) {
        List<GateDecision> decisions = scenario().consents(consent).decide();
        assertThat(decisions).singleElement().isInstanceOf(Hold.class);
        return ((Hold) decisions.get(0)).detail();
    }

    private static Goal goalStarting(String day) {
        Goal goal = IpsFixtures.employmentGoal("g1", PATIENT, "Job");
        goal.setStart(new DateType(day));
        return goal;
    }

    private static org.hl7.fhir.r4.model.Period period(Instant start) {
        return new org.hl7.fhir.r4.model.Period().setStart(Date.from(start));
    }

    private static EpisodeOfCare episodeStarting(Instant start) {
        EpisodeOfCare e = episode("eoc-1", PATIENT, "psych-org", LocalDate.of(2025, 1, 1), EpisodeOfCareStatus.ACTIVE);
        e.setPeriod(period(start));
        return e;
    }

    private static CareTeam careTeamStarting(Instant start) {
        CareTeam team = careTeam("ct-9", PATIENT, null, null, null, "doc-1");
        team.setPeriod(period(start));
        return team;
    }

    private static Observation outcome(org.hl7.fhir.r4.model.Type effective) {
        Observation o = IpsFixtures.employmentOutcome("o1", PATIENT, "ev-1", LocalDate.of(2025, 1, 1));
        o.setEffective(effective);
        return o;
    }

    private static org.hl7.fhir.r4.model.ServiceRequest referralWith(ServiceRequestStatus status) {
        return referral("ref-" + status.toCode(), PATIENT, "psych-org", "jc-a-org", LocalDate.of(2025, 2, 1), status);
    }

    private static Arguments actor(String behaviour, Consent consent) {
        return Arguments.of(Named.of(behaviour, consent));
    }

    private static Arguments course(String behaviour, GateScenario scenario) {
        return Arguments.of(Named.of(behaviour, scenario));
    }
}
