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
import static dk.ipsbridge.consent.GateScenario.change;
import static dk.ipsbridge.consent.GateScenario.consentToA;
import static dk.ipsbridge.consent.GateScenario.date;
import static dk.ipsbridge.consent.GateScenario.nested;
import static dk.ipsbridge.consent.GateScenario.recipient;
import static dk.ipsbridge.consent.GateScenario.scenario;
import static dk.ipsbridge.ehr.IpsCodes.ACT_CODE_SYSTEM;
import static dk.ipsbridge.ehr.IpsCodes.CONSENT_ACTION_SYSTEM;
import static dk.ipsbridge.ehr.IpsCodes.IPS_SYSTEM;
import static dk.ipsbridge.ehr.IpsCodes.SOR_SYSTEM;
import static dk.ipsbridge.testkit.fhir.IpsFixtures.careTeam;
import static dk.ipsbridge.testkit.fhir.IpsFixtures.episode;
import static dk.ipsbridge.testkit.fhir.IpsFixtures.organization;
import static dk.ipsbridge.testkit.fhir.IpsFixtures.patient;
import static dk.ipsbridge.testkit.fhir.IpsFixtures.patientWithReplacementNumber;
import static dk.ipsbridge.testkit.fhir.IpsFixtures.referral;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hl7.fhir.r4.model.Consent.ConsentProvisionType.DENY;
import static org.hl7.fhir.r4.model.Consent.ConsentProvisionType.PERMIT;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Consent.ConsentState;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.EpisodeOfCare.EpisodeOfCareStatus;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestStatus;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dk.ipsbridge.consent.GateDecision.ConsentBasis;
import dk.ipsbridge.consent.GateDecision.Hold;
import dk.ipsbridge.consent.GateDecision.Share;
import dk.ipsbridge.testkit.fhir.IpsFixtures;

class ConsentGateTest {

    private static final Instant JANUARY = Instant.parse("2025-01-10T09:00:00Z");
    private static final Instant MARCH = GIVEN;
    private static final org.hl7.fhir.r4.model.Period ENDED_MAY = new org.hl7.fhir.r4.model.Period()
            .setStart(date(Instant.parse("2024-09-01T00:00:00Z"))).setEnd(date(Instant.parse("2025-05-01T00:00:00Z")));

    static Stream<Arguments> decisions() {
        return Stream.of(
                // rule 1: which consents count
                decision("shouldHoldWithNoConsentWhenThePatientHasNoConsent", scenario(),
                        "hold null NO_CONSENT"),
                decision("shouldIgnoreAConsentWithoutTheIpsDataSharingCategory", scenario().consents(
                        change(consentToA("c1").categories("contact").build(),
                                c -> c.getCategory().removeIf(cc -> cc.hasCoding(IPS_SYSTEM, "ips-data-sharing")))),
                        "hold null NO_CONSENT"),
                decision("shouldIgnoreAConsentWithAnotherScope", scenario().consents(
                        change(consentToA("c1").categories("contact").build(), c -> c.setScope(new CodeableConcept(
                                new Coding("http://terminology.hl7.org/CodeSystem/consentscope", "treatment", null))))),
                        "hold null NO_CONSENT"),

                // shares: categories
                decision("shouldShareExactlyTheTickedCategories", scenario().consents(
                        consentToA("c1").categories("contact", "referral", "care-team").build()),
                        "share jc-a contact,referral,care-team Practitioner/p1"),
                decision("shouldShareAllSevenCategoriesWhenAllAreTicked", scenario().consents(
                        consentToA("c1").categories("contact", "referral", "care-team", "conferences",
                                "employment-goal", "diagnosis", "outcomes").build()),
                        "share jc-a contact,referral,care-team,conferences,employment-goal,diagnosis,outcomes Practitioner/p1"),
                decision("shouldShareIdentityOnlyWhenNoCategoryIsTicked", scenario().consents(
                        consentToA("c1").build()),
                        "share jc-a - Practitioner/p1"),
                decision("shouldNotShareDiagnosisUnlessTicked", scenario().consents(
                        consentToA("c1").categories("contact", "employment-goal").build()),
                        "share jc-a contact,employment-goal Practitioner/p1"),
                decision("shouldShareDiagnosisWhenExplicitlyPermitted", scenario().consents(
                        consentToA("c1").categories("contact", "diagnosis").build()),
                        "share jc-a contact,diagnosis Practitioner/p1"),
                decision("shouldRemoveDiagnosisWhenANestedDenyCoversIt", scenario().consents(
                        consentToA("c1").categories("contact", "diagnosis").deny("diagnosis").build()),
                        "share jc-a contact Practitioner/p1"),
                decision("shouldLetDenyWinOverANestedPermitOfTheSameCategory", scenario().consents(
                        change(consentToA("c1").categories("contact").deny("diagnosis").build(),
                                c -> nested(c, PERMIT, "diagnosis"))),
                        "share jc-a contact Practitioner/p1"),
                decision("shouldAddTheCategoriesOfANestedPermit", scenario().consents(
                        change(consentToA("c1").categories("contact").build(), c -> nested(c, PERMIT, "outcomes"))),
                        "share jc-a contact,outcomes Practitioner/p1"),
                decision("shouldIgnoreUnknownCategoryCodes", scenario().consents(
                        consentToA("c1").categories("contact", "shoe-size").build()),
                        "share jc-a contact Practitioner/p1"),
                decision("shouldIgnoreANestedDenyWhosePeriodHasEnded", scenario().consents(
                        change(consentToA("c1").categories("contact", "diagnosis").build(),
                                c -> nested(c, DENY, "diagnosis").setPeriod(ENDED_MAY.copy()))),
                        "share jc-a contact,diagnosis Practitioner/p1"),
                decision("shouldIgnoreANestedDenyOfCollectOnly", scenario().consents(
                        change(consentToA("c1").categories("contact", "outcomes").build(),
                                c -> nested(c, DENY, "outcomes").addAction(
                                        new CodeableConcept(new Coding(CONSENT_ACTION_SYSTEM, "collect", null))))),
                        "share jc-a contact,outcomes Practitioner/p1"),
                decision("shouldApplyANestedDenyOnlyToTheJobcenterItNames", scenario().consents(
                        change(consentToA("c1").recipient(ORG_B).categories("contact", "diagnosis").build(),
                                c -> recipient(nested(c, DENY, "diagnosis"), ORG_B))),
                        "share jc-a contact,diagnosis Practitioner/p1", "share jc-b contact"),
                decision("shouldApplyANestedPermitOnlyToTheJobcenterItNames", scenario().consents(
                        change(consentToA("c1").recipient(ORG_B).categories("contact").build(),
                                c -> recipient(nested(c, PERMIT, "outcomes"), ORG_B))),
                        "share jc-a contact Practitioner/p1", "share jc-b contact,outcomes"),
                decision("shouldApplyANestedDenyNamingAnActorItCannotResolve", scenario().consents(
                        change(consentToA("c1").categories("contact", "diagnosis").build(),
                                c -> recipient(nested(c, DENY, "diagnosis"), ORG_UNKNOWN))),
                        "share jc-a contact Practitioner/p1"),
                decision("shouldShareUntilTheEndOfTheLastDayOfADatePeriod", scenario().at(
                        Instant.parse("2025-06-15T21:59:00Z")).consents(change(consentToA("c1").categories("contact")
                                .build(), c -> c.getProvision().setPeriod(new org.hl7.fhir.r4.model.Period()
                                        .setEndElement(new DateTimeType("2025-06-15"))))),
                        "share jc-a contact Practitioner/p1"),
                decision("shouldHoldFromMidnightAfterTheLastDayOfADatePeriod", scenario().at(
                        Instant.parse("2025-06-15T22:00:00Z")).consents(change(consentToA("c1").categories("contact")
                                .build(), c -> c.getProvision().setPeriod(new org.hl7.fhir.r4.model.Period()
                                        .setEndElement(new DateTimeType("2025-06-15"))))),
                        "hold jc-a CONSENT_EXPIRED"),

                // rule 2: recipients
                decision("shouldShareWithAJobcenterNamedByIdentifierOnly", scenario().consents(
                        Consents.consentToLogical("c1", SOR_SYSTEM, SOR_A)),
                        "share jc-a contact Practitioner/p1"),
                decision("shouldHoldWithUnknownRecipientWhenTheOrganizationIsNotConfigured", scenario().consents(
                        Consents.consentTo("c1", ORG_UNKNOWN)),
                        "hold null UNKNOWN_RECIPIENT"),
                decision("shouldHoldWithUnknownRecipientWhenTheActorReferenceIsGarbage", scenario().consents(
                        Consents.consentTo("c1", "not a reference at all")),
                        "hold null UNKNOWN_RECIPIENT"),
                decision("shouldHoldWithUnknownRecipientWhenTheReferencedResourceIsMissing", scenario().consents(
                        Consents.consentTo("c1", "Organization/never-read")),
                        "hold null UNKNOWN_RECIPIENT"),
                decision("shouldHoldWithUnknownRecipientWhenTheConsentNamesNoRecipient", scenario().consents(
                        Consents.consentTo("c1")),
                        "hold null UNKNOWN_RECIPIENT"),
                decision("shouldShareWithTheResolvedRecipientsAndHoldTheOthers", scenario().consents(
                        consentToA("c1").categories("contact").build(), Consents.consentTo("c2", ORG_UNKNOWN)),
                        "share jc-a contact Practitioner/p1", "hold null UNKNOWN_RECIPIENT"),
                decision("shouldShareWithANamedConsultantInTheCareTeam", scenario().consents(
                        Consents.consentTo("c1", "Practitioner/p1")),
                        "share jc-a contact Practitioner/p1"),
                decision("shouldHoldWhenTheNamedConsultantLeftTheCareTeam", scenario().careTeams(
                        careTeam("ct-1", PATIENT, "Practitioner/p2", "jc-a-org", ENDED_MAY.copy()))
                        .consents(Consents.consentTo("c1", "Practitioner/p2")),
                        "hold jc-a RECIPIENT_NOT_IN_CARE_TEAM"),
                decision("shouldHoldWhenTheConsentNamesAConsultantAndNoCareTeamHasAnyConsultant", scenario()
                        .consents(Consents.consentTo("c1", ORG_A, "Practitioner/p1"))
                        .careTeams(careTeam("ct-1", PATIENT, null, null, null)),
                        "hold jc-a RECIPIENT_NOT_IN_CARE_TEAM"),
                decision("shouldHoldWhenTheNamedConsultantsCareTeamIsInactive", scenario().careTeams(
                        change(careTeam("ct-1", PATIENT, "Practitioner/p1", "jc-a-org", null),
                                ct -> ct.setStatus(CareTeam.CareTeamStatus.INACTIVE)))
                        .consents(Consents.consentTo("c1", "Practitioner/p1")),
                        "hold jc-a RECIPIENT_NOT_IN_CARE_TEAM"),
                decision("shouldHoldWhenTheNamedConsultantIsNotAnIpsConsultant", scenario()
                        .consents(Consents.consentTo("c1", ORG_A, "Practitioner/p2")).careTeams(
                                careTeam("ct-1", PATIENT, "Practitioner/p1", "jc-a-org", null),
                                change(careTeam("ct-2", PATIENT, null, null, null), ct -> ct.addParticipant()
                                        .setMember(new Reference("Practitioner/p2"))
                                        .setOnBehalfOf(new Reference(ORG_A)))),
                        "hold jc-a RECIPIENT_NOT_IN_CARE_TEAM"),
                decision("shouldHoldWithUnknownRecipientWhenTheNamedPractitionerIsInNoCareTeam", scenario().consents(
                        Consents.consentTo("c1", "Practitioner/p2")),
                        "hold null UNKNOWN_RECIPIENT"),
                decision("shouldShareWithANamedPractitionerRoleInTheCareTeam", scenario().careTeams(
                        careTeam("ct-1", PATIENT, "PractitionerRole/r1", null, null))
                        .consents(Consents.consentTo("c1", "PractitionerRole/r1")),
                        "share jc-a contact PractitionerRole/r1"),
                decision("shouldShareWithANamedPractitionerRoleWhosePractitionerIsInTheCareTeam", scenario()
                        .careTeams(careTeam("ct-1", PATIENT, "Practitioner/p3", "jc-a-org", null))
                        .consents(Consents.consentTo("c1", "PractitionerRole/r1")),
                        "share jc-a contact PractitionerRole/r1"),
                decision("shouldHoldWhenTheNamedPractitionerRoleIsNotInTheCareTeam", scenario().consents(
                        Consents.consentTo("c1", "PractitionerRole/r1")),
                        "hold jc-a RECIPIENT_NOT_IN_CARE_TEAM"),
                decision("shouldReportThePractitionerRoleConsultantOfTheJobcenter", scenario().careTeams(
                        careTeam("ct-1", PATIENT, "PractitionerRole/r1", null, null))
                        .consents(consentToA("c1").categories("contact").build()),
                        "share jc-a contact PractitionerRole/r1"),
                decision("shouldShareWithoutConsultantWhenTheConsultantHasLeft", scenario().careTeams(
                        careTeam("ct-1", PATIENT, "Practitioner/p1", "jc-a-org", ENDED_MAY.copy()))
                        .consents(consentToA("c1").categories("contact").build()),
                        "share jc-a contact"),

                // rule 3: which consent decides
                decision("shouldLetANewerWithdrawalOverrideAnOlderActiveConsent", scenario().consents(
                        consentToA("old").givenAt(JANUARY).categories("contact").build(),
                        consentToA("new").givenAt(MARCH).categories("contact").status(ConsentState.INACTIVE).build()),
                        "hold jc-a CONSENT_WITHDRAWN"),
                decision("shouldLetANewerActiveConsentOverrideAnOlderWithdrawal", scenario().consents(
                        consentToA("new").givenAt(MARCH).categories("referral").build(),
                        consentToA("old").givenAt(JANUARY).categories("contact").status(ConsentState.INACTIVE).build()),
                        "share jc-a referral Practitioner/p1"),
                decision("shouldLetANewerDenyOverrideAnOlderPermit", scenario().consents(
                        consentToA("old").givenAt(JANUARY).categories("contact").build(),
                        change(consentToA("new").givenAt(MARCH).build(),
                                c -> c.getProvision().setType(DENY))),
                        "hold jc-a CONSENT_DENIED"),
                decision("shouldBreakADateTimeTieByLastUpdated", scenario().consents(
                        change(consentToA("x").categories("contact").build(),
                                c -> c.getMeta().setLastUpdated(date(MARCH.plusSeconds(60)))),
                        change(consentToA("y").categories("referral").build(),
                                c -> c.getMeta().setLastUpdated(date(MARCH)))),
                        "share jc-a contact Practitioner/p1"),
                decision("shouldBreakALastUpdatedTieByVersion", scenario().consents(
                        change(consentToA("x").categories("contact").build(), c -> c.getMeta().setVersionId("10")),
                        change(consentToA("y").categories("referral").build(), c -> c.getMeta().setVersionId("9"))),
                        "share jc-a contact Practitioner/p1"),
                decision("shouldDecideEachJobcenterOnItsOwnConsent", scenario().consents(
                        Consents.consentTo("cb", ORG_B), consentToA("ca").categories("referral").build()),
                        "share jc-a referral Practitioner/p1", "share jc-b contact"),
                decision("shouldDecideBothJobcentersNamedInOneConsent", scenario().consents(
                        consentToA("c1").recipient(ORG_B).categories("contact").build()),
                        "share jc-a contact Practitioner/p1", "share jc-b contact"),
                decision("shouldNotLetAWithdrawalForOneJobcenterStopAnother", scenario().consents(
                        Consents.consentTo("ca", ORG_A),
                        change(Consents.consentTo("cb", ORG_B), c -> c.setStatus(ConsentState.INACTIVE))),
                        "share jc-a contact Practitioner/p1", "hold jc-b CONSENT_WITHDRAWN"),
                decision("shouldLetANewerConsentWithoutProvisionHoldEveryJobcenter", scenario().consents(
                        consentToA("old").givenAt(JANUARY).categories("contact").build(),
                        change(consentToA("new").givenAt(MARCH).build(), c -> c.setProvision(null))),
                        "hold jc-a CONSENT_UNREADABLE"),
                decision("shouldShareOnANewerConsentButStillReportAnOlderConsentWithoutProvision", scenario().consents(
                        consentToA("new").givenAt(MARCH).categories("contact").build(),
                        change(consentToA("old").givenAt(JANUARY).build(), c -> c.setProvision(null))),
                        "share jc-a contact Practitioner/p1", "hold null CONSENT_UNREADABLE"),
                decision("shouldLetAConsentWithoutDateTimeDecide", scenario().consents(
                        consentToA("dated").categories("contact").build(),
                        change(consentToA("undated").categories("contact").build(), c -> c.setDateTime(null))),
                        "hold jc-a CONSENT_UNREADABLE"),

                // rule 4: the deciding consent, in order
                decision("shouldHoldWhenTheConsentHasNoDateTime", scenario().consents(
                        change(consentToA("c1").categories("contact").build(), c -> c.setDateTime(null))),
                        "hold jc-a CONSENT_UNREADABLE"),
                decision("shouldHoldWhenTheConsentIsWithdrawn", scenario().consents(
                        consentToA("c1").categories("contact").status(ConsentState.INACTIVE).build()),
                        "hold jc-a CONSENT_WITHDRAWN"),
                decision("shouldHoldWhenTheConsentIsRejected", scenario().consents(
                        consentToA("c1").categories("contact").status(ConsentState.REJECTED).build()),
                        "hold jc-a CONSENT_REJECTED"),
                decision("shouldHoldWhenTheConsentIsEnteredInError", scenario().consents(
                        consentToA("c1").categories("contact").status(ConsentState.ENTEREDINERROR).build()),
                        "hold jc-a CONSENT_ENTERED_IN_ERROR"),
                decision("shouldHoldWhenTheConsentIsADraft", scenario().consents(
                        consentToA("c1").categories("contact").status(ConsentState.DRAFT).build()),
                        "hold jc-a CONSENT_NOT_ACTIVE"),
                decision("shouldHoldWhenTheConsentIsProposed", scenario().consents(
                        consentToA("c1").categories("contact").status(ConsentState.PROPOSED).build()),
                        "hold jc-a CONSENT_NOT_ACTIVE"),
                decision("shouldHoldWhenTheConsentHasNoStatus", scenario().consents(
                        consentToA("c1").categories("contact").status(null).build()),
                        "hold jc-a CONSENT_NOT_ACTIVE"),
                decision("shouldDenyWhenThePolicyRuleIsOptOut", scenario().consents(
                        change(consentToA("c1").categories("contact").build(), c -> c.setPolicyRule(
                                new CodeableConcept(new Coding(ACT_CODE_SYSTEM, "OPTOUT", null))))),
                        "hold jc-a CONSENT_DENIED"),
                decision("shouldDenyWhenTheRootProvisionIsDeny", scenario().consents(
                        change(consentToA("c1").categories("contact").build(), c -> c.getProvision().setType(DENY))),
                        "hold jc-a CONSENT_DENIED"),
                decision("shouldDenyWhenANestedDenyHasNoCode", scenario().consents(
                        change(consentToA("c1").categories("contact").build(), c -> nested(c, DENY))),
                        "hold jc-a CONSENT_DENIED"),
                decision("shouldHoldAsUnreadableWhenANestedDenyCoversCodesOutsideTheCategories", scenario().consents(
                        change(consentToA("c1").categories("contact").build(), c -> nested(c, DENY).addCode(
                                new CodeableConcept(new Coding("http://snomed.info/sct", "74732009", null))))),
                        "hold jc-a CONSENT_UNREADABLE"),
                decision("shouldHoldAsUnreadableWhenANestedProvisionHasNoType", scenario().consents(
                        change(consentToA("c1").categories("contact").build(), c -> nested(c, null, "diagnosis"))),
                        "hold jc-a CONSENT_UNREADABLE"),
                decision("shouldHoldAsUnreadableWhenTheRootProvisionHasNoType", scenario().consents(
                        change(consentToA("c1").categories("contact").build(), c -> c.getProvision().setType(null))),
                        "hold jc-a CONSENT_UNREADABLE"),
                decision("shouldHoldAsUnreadableWhenTheConsentHasNoProvision", scenario().consents(
                        change(consentToA("c1").categories("contact").build(), c -> c.setProvision(null))),
                        "hold null CONSENT_UNREADABLE"),
                decision("shouldHoldWhenThePeriodHasNotStarted", scenario().consents(
                        consentToA("c1").categories("contact").period(NOW.plusSeconds(1), null).build()),
                        "hold jc-a CONSENT_NOT_YET_VALID"),
                decision("shouldHoldWhenThePeriodHasEnded", scenario().consents(
                        consentToA("c1").categories("contact").period(MARCH, NOW.minusSeconds(1)).build()),
                        "hold jc-a CONSENT_EXPIRED"),
                decision("shouldHoldWhenTheConsentLapsedEvenIfThePeriodRunsLonger", scenario().consents(
                        consentToA("c1").givenAt(Instant.parse("2024-05-01T10:00:00Z")).categories("contact")
                                .period(Instant.parse("2024-05-01T10:00:00Z"), Instant.parse("2027-01-01T00:00:00Z"))
                                .build()),
                        "hold jc-a CONSENT_LAPSED"),
                decision("shouldHoldWhenTheConsentLapsesAtExactlyTwelveMonths", scenario().consents(
                        consentToA("c1").givenAt(NOW.atZone(FhirTime.COPENHAGEN).minusMonths(12).toInstant())
                                .categories("contact").build()),
                        "hold jc-a CONSENT_LAPSED"),
                decision("shouldShareOneMillisecondBeforeTheConsentLapses", scenario().at(NOW.minusMillis(1)).consents(
                        consentToA("c1").givenAt(NOW.atZone(FhirTime.COPENHAGEN).minusMonths(12).toInstant())
                                .categories("contact").build()),
                        "share jc-a contact Practitioner/p1"),
                decision("shouldHoldWhenTheConsentPermitsCollectOnly", scenario().consents(
                        consentToA("c1").categories("outcomes").actions("collect").build()),
                        "hold jc-a DISCLOSURE_NOT_PERMITTED"),
                decision("shouldHoldWhenThePurposeIsNotIpsEmploymentSupport", scenario().consents(
                        change(consentToA("c1").categories("contact").build(), c -> c.getProvision().getPurpose()
                                .get(0).setCode("research"))),
                        "hold jc-a DISCLOSURE_NOT_PERMITTED"),
                decision("shouldShareWhenTheConsentStatesNoPurpose", scenario().consents(
                        change(consentToA("c1").categories("contact").build(),
                                c -> c.getProvision().getPurpose().clear())),
                        "share jc-a contact Practitioner/p1"),
                decision("shouldHoldWhenOnlyAnExpiredNestedPermitNamesTheJobcenter", scenario().consents(
                        change(consentToA("c1").categories("contact").build(),
                                c -> recipient(nested(c, PERMIT, "outcomes"), ORG_B).setPeriod(ENDED_MAY.copy()))),
                        "share jc-a contact Practitioner/p1", "hold jc-b DISCLOSURE_NOT_PERMITTED"),

                // referral
                decision("shouldHoldWhenThereIsNoReferral", scenario().referrals().consents(
                        consentToA("c1").categories("contact").build()),
                        "hold jc-a NO_ACTIVE_REFERRAL"),
                decision("shouldHoldWhenTheReferralIsCompleted", scenario().referrals(referral("ref-1", PATIENT,
                        "psych-org", "jc-a-org", LocalDate.of(2025, 1, 1), ServiceRequestStatus.COMPLETED))
                        .consents(consentToA("c1").categories("contact").build()),
                        "hold jc-a REFERRAL_ENDED"),
                decision("shouldHoldWhenTheReferralIsOnlyADraft", scenario().referrals(referral("ref-1", PATIENT,
                        "psych-org", "jc-a-org", LocalDate.of(2025, 1, 1), ServiceRequestStatus.DRAFT))
                        .consents(consentToA("c1").categories("contact").build()),
                        "hold jc-a NO_ACTIVE_REFERRAL"),
                decision("shouldShareWithAReferralHeldAsEpisodeOfCareOnly", scenario().referrals().episodes(
                        episode("eoc-1", PATIENT, "psych-org", LocalDate.of(2025, 1, 1), EpisodeOfCareStatus.ACTIVE))
                        .consents(consentToA("c1").categories("contact").build()),
                        "share jc-a contact Practitioner/p1"),
                decision("shouldShareWithAWaitlistedEpisodeEvenIfTheServiceRequestIsCompleted", scenario()
                        .referrals(referral("ref-1", PATIENT, "psych-org", "jc-a-org", LocalDate.of(2025, 1, 1),
                                ServiceRequestStatus.COMPLETED))
                        .episodes(episode("eoc-1", PATIENT, "psych-org", LocalDate.of(2025, 1, 1),
                                EpisodeOfCareStatus.WAITLIST))
                        .consents(consentToA("c1").categories("contact").build()),
                        "share jc-a contact Practitioner/p1"),
                decision("shouldHoldWhenTheEpisodeOfCareIsFinished", scenario().referrals().episodes(
                        episode("eoc-1", PATIENT, "psych-org", LocalDate.of(2025, 1, 1), EpisodeOfCareStatus.FINISHED))
                        .consents(consentToA("c1").categories("contact").build()),
                        "hold jc-a REFERRAL_ENDED"),

                // identity
                decision("shouldHoldWhenThePatientHasOnlyAReplacementNumber", scenario()
                        .patient(patientWithReplacementNumber(PATIENT, "010190X123", GIVEN_NAME, FAMILY_NAME))
                        .consents(consentToA("c1").categories("contact").build()),
                        "hold jc-a NO_CPR"),
                decision("shouldHoldWhenTheCprHasDay32", scenario()
                        .patient(patient(PATIENT, "3201901234", GIVEN_NAME, FAMILY_NAME))
                        .consents(consentToA("c1").categories("contact").build()),
                        "hold jc-a INVALID_CPR"),
                decision("shouldReportTheFirstFailureOnly", scenario().referrals()
                        .patient(patientWithReplacementNumber(PATIENT, "010190X123", GIVEN_NAME, FAMILY_NAME))
                        .consents(consentToA("c1").categories("contact").status(ConsentState.INACTIVE).build()),
                        "hold jc-a CONSENT_WITHDRAWN"),

                // decide() never throws
                decision("shouldHoldAsUnreadableWhenTheResolverFails", scenario().resolver((system, value) -> {
                    throw new IllegalStateException("configuration broken");
                }).consents(consentToA("c1").categories("contact").build()),
                        "hold null CONSENT_UNREADABLE"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decisions")
    void decide(GateScenario scenario, List<String> expected) {
        assertThat(scenario.decide()).map(GateScenario::summary).containsExactlyElementsOf(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decisions")
    void shouldNeverPutTheCprOrNameInADetail(GateScenario scenario, List<String> ignored) {
        assertThat(scenario.decide()).filteredOn(Hold.class::isInstance).map(d -> ((Hold) d).detail())
                .allSatisfy(detail -> assertThat(detail).isNotBlank().doesNotContain(CPR, "010190", GIVEN_NAME,
                        FAMILY_NAME));
    }

    @Test
    void shouldDescribeTheBasisOfAShare() {
        Consent consent = consentToA("c1").categories("contact")
                .period(GIVEN, Instant.parse("2025-12-31T12:00:00Z")).build();
        consent.getMeta().setVersionId("3");

        List<GateDecision> decisions = scenario().consents(consent).decide();

        assertThat(decisions).singleElement().isInstanceOfSatisfying(Share.class, share -> {
            assertThat(share.jobcenterId()).isEqualTo("jc-a");
            assertThat(share.consent()).isEqualTo(
                    new ConsentBasis("c1", "3", LocalDate.of(2025, 3, 1), LocalDate.of(2025, 12, 31)));
            assertThat(share.categories()).containsExactly(DataCategory.CONTACT);
            assertThat(share.consultantReference()).isEqualTo("Practitioner/p1");
        });
    }

    @Test
    void shouldLetTheDanishLapseCapTheExpiryDate() {
        Consent consent = consentToA("c1").categories("contact")
                .period(GIVEN, Instant.parse("2027-01-01T00:00:00Z")).build();

        GateDecision decision = scenario().consents(consent).decide().get(0);

        assertThat(decision.consent()).isEqualTo(new ConsentBasis("c1", null, LocalDate.of(2025, 3, 1),
                LocalDate.of(2026, 3, 1)));
    }

    @Test
    void shouldReadDatesInDanishTime() {
        // 23:30 UTC on 28 February is 00:30 on 1 March in Copenhagen
        Consent consent = consentToA("c1").givenAt(Instant.parse("2025-02-28T23:30:00Z")).build();

        GateDecision decision = scenario().consents(consent).decide().get(0);

        assertThat(decision.consent().givenOn()).isEqualTo(LocalDate.of(2025, 3, 1));
        assertThat(decision.consent().expiresOn()).isEqualTo(LocalDate.of(2026, 3, 1));
    }

    @Test
    void shouldFillTheBasisOfAHoldFromTheDecidingConsent() {
        Consent withdrawn = consentToA("c9").status(ConsentState.INACTIVE).build();
        withdrawn.getMeta().setVersionId("7");

        assertThat(scenario().consents(withdrawn).decide()).containsExactly(new Hold("jc-a",
                new ConsentBasis("c9", "7", LocalDate.of(2025, 3, 1), LocalDate.of(2026, 3, 1)),
                HoldReason.CONSENT_WITHDRAWN, "Consent status is inactive"));
    }

    @Test
    void shouldNameTheUnresolvedReferenceInTheDetail() {
        GateDecision decision = scenario().consents(Consents.consentTo("c1", ORG_UNKNOWN)).decide().get(0);

        assertThat(decision).isEqualTo(new Hold(null,
                new ConsentBasis("c1", null, LocalDate.of(2025, 3, 1), LocalDate.of(2026, 3, 1)),
                HoldReason.UNKNOWN_RECIPIENT, "Organization/unknown-org has no configured jobcenter"));
    }

    @Test
    void shouldNotEchoAReferenceThatLooksLikePersonalData() {
        GateDecision decision = scenario().consents(Consents.consentTo("c1", "Patient/" + CPR)).decide().get(0);

        assertThat(((Hold) decision).detail()).isEqualTo("An actor reference could not be resolved");
    }

    @Test
    void shouldHoldOnlyTheJobcenterWhoseEvaluationFailed() {
        AtomicInteger calls = new AtomicInteger();
        JobcenterResolver failsLater = (system, value) -> {
            if (calls.incrementAndGet() > 2) {
                throw new IllegalStateException("configuration reloaded");
            }
            return GateScenario.configuredJobcenter(system, value);
        };

        List<GateDecision> decisions = scenario().resolver(failsLater).consents(Consents.consentTo("c1", ORG_A))
                .decide();

        assertThat(decisions).containsExactly(new Hold("jc-a",
                new ConsentBasis("c1", null, LocalDate.of(2025, 3, 1), LocalDate.of(2026, 3, 1)),
                HoldReason.CONSENT_UNREADABLE, "Consent could not be evaluated: IllegalStateException"));
    }

    @Test
    void shouldNotThrowWhenTheSnapshotIsMissing() {
        assertThat(new ConsentGate(GateScenario::configuredJobcenter, Period.ofMonths(12)).decide(null, NOW))
                .map(GateScenario::summary).containsExactly("hold null CONSENT_UNREADABLE");
    }

    @Test
    void shouldGiveTheSameOrderWhateverTheOrderOfTheConsents() {
        Consent a = Consents.consentTo("ca", ORG_A);
        Consent b = Consents.consentTo("cb", ORG_B);
        Consent unknown = Consents.consentTo("cu", ORG_UNKNOWN);

        assertThat(scenario().consents(unknown, b, a).decide()).isEqualTo(scenario().consents(a, unknown, b).decide())
                .extracting(GateDecision::jobcenterId).containsExactly("jc-a", "jc-b", null);
    }

    @Test
    void shouldNotChangeTheSnapshotItReads() {
        Consent consent = Consents.consentTo("c1", ORG_A);
        consent.setProvision(null);
        GateScenario scenario = scenario().consents(consent);

        scenario.decide();

        assertThat(consent.hasProvision()).isFalse();
        assertThat(consent.hasMeta()).isFalse();
    }

    @Test
    void shouldResolveEveryIdentifierOfTheOrganization() {
        Organization multi = organization("multi",
                "http://cvr.dk", "12345678", "Jobcenter Multi");
        multi.addIdentifier(new Identifier().setSystem(SOR_SYSTEM).setValue(GateScenario.SOR_B));

        List<GateDecision> decisions = scenario().with(multi)
                .consents(Consents.consentTo("c1", "Organization/multi")).decide();

        assertThat(decisions).map(GateScenario::summary).containsExactly("share jc-b contact");
    }

    private static Arguments decision(String behaviour, GateScenario scenario, String... expected) {
        return Arguments.of(Named.of(behaviour, scenario), List.of(expected));
    }

    /** Consents the fixture builder cannot express. */
    static final class Consents {

        /** An active consent given in March for {@code contact}, to exactly these recipients (maybe none). */
        static Consent consentTo(String id, String... recipients) {
            var builder = IpsFixtures.consent(id, PATIENT).givenAt(GIVEN)
                    .categories("contact");
            for (String r : recipients) {
                builder.recipient(r);
            }
            return builder.build();
        }

        /** An active consent for {@code contact} naming its recipient by identifier, without a literal reference. */
        static Consent consentToLogical(String id, String system, String value) {
            Consent consent = consentTo(id);
            GateScenario.recipient(consent.getProvision(), "x").getActorFirstRep().getReference()
                    .setReference(null).setType("Organization")
                    .setIdentifier(new Identifier().setSystem(system).setValue(value));
            return consent;
        }

        private Consents() {
        }
    }
}
