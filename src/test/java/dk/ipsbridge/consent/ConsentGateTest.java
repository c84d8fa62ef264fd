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
import static dk.ipsbridge.consent.GateScenario.actions;
import static dk.ipsbridge.consent.GateScenario.change;
import static dk.ipsbridge.consent.GateScenario.classes;
import static dk.ipsbridge.consent.GateScenario.consentToA;
import static dk.ipsbridge.consent.GateScenario.dataPeriod;
import static dk.ipsbridge.consent.GateScenario.date;
import static dk.ipsbridge.consent.GateScenario.labels;
import static dk.ipsbridge.consent.GateScenario.nested;
import static dk.ipsbridge.consent.GateScenario.recipient;
import static dk.ipsbridge.consent.GateScenario.scenario;
import static dk.ipsbridge.patient.IpsCodes.ACT_CODE_SYSTEM;
import static dk.ipsbridge.patient.IpsCodes.CONSENT_ACTION_SYSTEM;
import static dk.ipsbridge.patient.IpsCodes.ETH;
import static dk.ipsbridge.patient.IpsCodes.IPS_SYSTEM;
import static dk.ipsbridge.patient.IpsCodes.PSY;
import static dk.ipsbridge.patient.IpsCodes.SOR_SYSTEM;
import static dk.ipsbridge.testkit.fhir.IpsFixtures.careTeam;
import static dk.ipsbridge.testkit.fhir.IpsFixtures.episode;
import static dk.ipsbridge.testkit.fhir.IpsFixtures.labelled;
import static dk.ipsbridge.testkit.fhir.IpsFixtures.organization;
import static dk.ipsbridge.testkit.fhir.IpsFixtures.patient;
import static dk.ipsbridge.testkit.fhir.IpsFixtures.patientWithReplacementNumber;
import static dk.ipsbridge.testkit.fhir.IpsFixtures.referral;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hl7.fhir.r4.model.Consent.ConsentProvisionType.DENY;
import static org.hl7.fhir.r4.model.Consent.ConsentProvisionType.PERMIT;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import dk.ipsbridge.consent.GateDecision.ConsentBasis;
import dk.ipsbridge.consent.GateDecision.Hold;
import dk.ipsbridge.consent.GateDecision.Share;
import dk.ipsbridge.testkit.fhir.IpsFixtures;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Consent.ConsentState;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.EpisodeOfCare.EpisodeOfCareStatus;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestStatus;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConsentGateTest {

    private static final Instant JANUARY = Instant.parse("2025-01-10T09:00:00Z");
    private static final Instant MARCH = GIVEN;
    private static final org.hl7.fhir.r4.model.Extension MODIFIER = new org.hl7.fhir.r4.model.Extension(
            "http://example.org/fhir/StructureDefinition/consent-suspended", new org.hl7.fhir.r4.model.BooleanType(true));
    private static final Instant START_OF_TODAY = FhirTime.date(NOW).atStartOfDay(FhirTime.COPENHAGEN).toInstant();
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
                // C8: a consent whose recipient cannot be resolved competes as most recent for every jobcenter
                decision("shouldLetANewerConsentToAnUnresolvableRecipientHoldEveryJobcenter", scenario().consents(
                        consentToA("c1").givenAt(JANUARY).categories("contact").build(),
                        change(Consents.consentTo("c2", ORG_UNKNOWN), c -> c.setDateTime(date(MARCH)))),
                        "hold jc-a CONSENT_UNREADABLE", "hold null UNKNOWN_RECIPIENT"),
                decision("shouldNotLetAPermitWinATieWithAConsentToAnUnresolvableRecipient", scenario().consents(
                        consentToA("c1").categories("contact").build(), Consents.consentTo("c2", ORG_UNKNOWN)),
                        "hold jc-a CONSENT_UNREADABLE", "hold null UNKNOWN_RECIPIENT"),
                decision("shouldShareOnANewerPermitOverAnOlderConsentToAnUnresolvableRecipient", scenario().consents(
                        consentToA("c1").givenAt(MARCH).categories("contact").build(),
                        change(Consents.consentTo("c2", ORG_UNKNOWN), c -> c.setDateTime(date(JANUARY)))),
                        "share jc-a contact Practitioner/p1"),
                decision("shouldLetANewerConsentToAMissingOrganizationHoldEveryJobcenter", scenario().consents(
                        consentToA("c1").givenAt(JANUARY).recipient(ORG_B).categories("contact").build(),
                        change(Consents.consentTo("c2", "Organization/never-read"), c -> c.setDateTime(date(MARCH)))),
                        "hold jc-a CONSENT_UNREADABLE", "hold jc-b CONSENT_UNREADABLE", "hold null UNKNOWN_RECIPIENT"),
                // a modifier extension the adapter does not understand may change what the consent means
                decision("shouldHoldOnAConsentWithAModifierExtension", scenario().consents(change(consentToA("c1")
                                .categories("contact").build(), c -> c.getProvision().addModifierExtension(MODIFIER))),
                        "hold null CONSENT_UNREADABLE"),
                decision("shouldShareOnANewerPermitOverAnOlderConsentWithAModifierExtension", scenario().consents(
                        consentToA("c1").givenAt(MARCH).categories("contact").build(),
                        change(consentToA("c2").givenAt(JANUARY).categories("contact").build(),
                                c -> c.addModifierExtension(MODIFIER))),
                        "share jc-a contact Practitioner/p1"),
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
                        "hold jc-a RECIPIENT_NOT_IN_CARE_TEAM", "hold null UNKNOWN_RECIPIENT"),
                decision("shouldHoldWhenTheNamedConsultantsCareTeamIsInactive", scenario().careTeams(
                        change(careTeam("ct-1", PATIENT, "Practitioner/p1", "jc-a-org", null),
                                ct -> ct.setStatus(CareTeam.CareTeamStatus.INACTIVE)))
                        .consents(Consents.consentTo("c1", "Practitioner/p1")),
                        "hold null UNKNOWN_RECIPIENT"),
                // C3: a CareTeam without status does not count either
                decision("shouldHoldWhenTheNamedConsultantsCareTeamHasNoStatus", scenario().careTeams(
                        change(careTeam("ct-1", PATIENT, "Practitioner/p1", "jc-a-org", null),
                                ct -> ct.setStatus(null)))
                        .consents(Consents.consentTo("c1", "Practitioner/p1")),
                        "hold null UNKNOWN_RECIPIENT"),
                decision("shouldHoldWhenTheNamedConsultantIsNotAnIpsConsultant", scenario()
                        .consents(Consents.consentTo("c1", ORG_A, "Practitioner/p2")).careTeams(
                                careTeam("ct-1", PATIENT, "Practitioner/p1", "jc-a-org", null),
                                change(careTeam("ct-2", PATIENT, null, null, null), ct -> ct.addParticipant()
                                        .setMember(new Reference("Practitioner/p2"))
                                        .setOnBehalfOf(new Reference(ORG_A)))),
                        "hold jc-a RECIPIENT_NOT_IN_CARE_TEAM", "hold null UNKNOWN_RECIPIENT"),
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
                        "share jc-a contact Practitioner/p3"),
                decision("shouldHoldWhenTheNamedPractitionerRoleIsNotInTheCareTeam", scenario().consents(
                        Consents.consentTo("c1", "PractitionerRole/r1")),
                        "hold null UNKNOWN_RECIPIENT"),
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
                        "hold jc-a CONSENT_UNREADABLE", "hold null CONSENT_UNREADABLE"),
                decision("shouldShareOnANewerConsentOverAnOlderConsentWithoutProvision", scenario().consents(
                        consentToA("new").givenAt(MARCH).categories("contact").build(),
                        change(consentToA("old").givenAt(JANUARY).build(), c -> c.setProvision(null))),
                        "share jc-a contact Practitioner/p1"),
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
                // the last day in force is the day before the anniversary: sharing stops at 00:00 Danish time on it
                decision("shouldHoldFromMidnightOfTheDayTheConsentLapses", scenario().at(START_OF_TODAY).consents(
                        consentToA("c1").givenAt(NOW.atZone(FhirTime.COPENHAGEN).minusMonths(12).toInstant())
                                .categories("contact").build()),
                        "hold jc-a CONSENT_LAPSED"),
                decision("shouldShareOneMillisecondBeforeTheConsentLapses", scenario().at(START_OF_TODAY.minusMillis(1))
                        .consents(consentToA("c1").givenAt(NOW.atZone(FhirTime.COPENHAGEN).minusMonths(12).toInstant())
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

                // action collect: the region takes employment outcomes from the jobcenter
                decision("shouldPermitCollectOfOutcomesWhenTheConsentPermitsCollect", scenario()
                        .action(ConsentAction.COLLECT).consents(consentToA("c1").categories("contact", "outcomes")
                                .actions("disclose", "collect").build()),
                        "share jc-a contact,outcomes Practitioner/p1"),
                decision("shouldPermitCollectOnAConsentThatPermitsCollectOnly", scenario().action(ConsentAction.COLLECT)
                        .consents(consentToA("c1").categories("outcomes").actions("collect").build()),
                        "share jc-a outcomes Practitioner/p1"),
                decision("shouldHoldCollectWhenTheConsentPermitsDiscloseOnly", scenario().action(ConsentAction.COLLECT)
                        .consents(consentToA("c1").categories("contact", "outcomes").build()),
                        "hold jc-a COLLECTION_NOT_PERMITTED"),
                decision("shouldHoldCollectWhenThePurposeIsNotIpsEmploymentSupport", scenario()
                        .action(ConsentAction.COLLECT).consents(change(consentToA("c1").categories("outcomes")
                                .actions("collect").build(), c -> c.getProvision().getPurpose().get(0)
                                .setCode("research"))),
                        "hold jc-a COLLECTION_NOT_PERMITTED"),
                decision("shouldHoldCollectWhenTheNewestConsentPermitsDiscloseOnly", scenario()
                        .action(ConsentAction.COLLECT).consents(
                                consentToA("old").givenAt(JANUARY).categories("outcomes").actions("collect").build(),
                                consentToA("new").givenAt(MARCH).categories("contact").build()),
                        "hold jc-a COLLECTION_NOT_PERMITTED"),
                decision("shouldHoldCollectWhenOnlyANestedPermitForDiscloseNamesTheJobcenter", scenario()
                        .action(ConsentAction.COLLECT).consents(change(consentToA("c1").categories("outcomes")
                                .actions("disclose", "collect").build(), c -> actions(recipient(
                                        nested(c, PERMIT, "outcomes"), ORG_B), "disclose"))),
                        "share jc-a outcomes Practitioner/p1", "hold jc-b COLLECTION_NOT_PERMITTED"),
                decision("shouldApplyANestedDenyForCollectToCollect", scenario().action(ConsentAction.COLLECT)
                        .consents(change(consentToA("c1").categories("contact", "outcomes")
                                .actions("disclose", "collect").build(),
                                c -> actions(nested(c, DENY, "outcomes"), "collect"))),
                        "share jc-a contact Practitioner/p1"),
                decision("shouldNotApplyANestedDenyForCollectToDisclose", scenario().consents(
                        change(consentToA("c1").categories("contact", "outcomes").actions("disclose", "collect")
                                .build(), c -> actions(nested(c, DENY, "outcomes"), "collect"))),
                        "share jc-a contact,outcomes Practitioner/p1"),
                decision("shouldNotAddTheCategoriesOfANestedPermitForCollectToDisclose", scenario().consents(
                        change(consentToA("c1").categories("contact").actions("disclose", "collect").build(),
                                c -> actions(nested(c, PERMIT, "outcomes"), "collect"))),
                        "share jc-a contact Practitioner/p1"),
                decision("shouldNotAddTheCategoriesOfANestedPermitForAnotherPurpose", scenario().consents(
                        change(consentToA("c1").categories("contact").build(), c -> nested(c, PERMIT, "outcomes")
                                .addPurpose(new Coding(IPS_SYSTEM, "research", null)))),
                        "share jc-a contact Practitioner/p1"),

                // class: which resource types a provision covers
                decision("shouldNarrowARootPermitToTheCategoriesOfItsClass", scenario().consents(
                        consentToA("c1").categories("contact", "referral", "diagnosis")
                                .resourceClasses("Patient", "Condition").build()),
                        "share jc-a contact,diagnosis Practitioner/p1"),
                decision("shouldNeverWidenAPermitByItsClass", scenario().consents(
                        consentToA("c1").categories("contact").resourceClasses("Patient", "Goal", "Condition")
                                .build()),
                        "share jc-a contact Practitioner/p1"),
                decision("shouldShareIdentityOnlyWhenAPermitsClassIsOfAnotherSystem", scenario().consents(
                        change(consentToA("c1").categories("contact", "referral").build(), c -> c.getProvision()
                                .addClass_(new Coding("urn:ietf:bcp:13", "application/hl7-cda+xml", null)))),
                        "share jc-a - Practitioner/p1"),
                decision("shouldNarrowANestedPermitByItsClass", scenario().consents(
                        change(consentToA("c1").categories("contact").build(),
                                c -> classes(nested(c, PERMIT, "outcomes", "employment-goal"), "Goal"))),
                        "share jc-a contact,employment-goal Practitioner/p1"),
                decision("shouldRemoveTheCategoryOfANestedDenyByClass", scenario().consents(
                        change(consentToA("c1").categories("contact", "referral", "diagnosis").build(),
                                c -> classes(nested(c, DENY), "Condition"))),
                        "share jc-a contact,referral Practitioner/p1"),
                decision("shouldRemoveReferralWhenANestedDenyNamesEpisodeOfCare", scenario().consents(
                        change(consentToA("c1").categories("contact", "referral").build(),
                                c -> classes(nested(c, DENY), "EpisodeOfCare"))),
                        "share jc-a contact Practitioner/p1"),
                decision("shouldRemoveOnlyWhatCodeAndClassOfANestedDenyBothSelect", scenario().consents(
                        change(consentToA("c1").categories("contact", "referral").build(),
                                c -> classes(nested(c, DENY, "contact"), "Patient", "ServiceRequest"))),
                        "share jc-a referral Practitioner/p1"),
                decision("shouldHoldWhenANestedDenyOfClassPatientWithoutCodeCoversTheIdentity", scenario().consents(
                        change(consentToA("c1").categories("contact", "referral").build(),
                                c -> classes(nested(c, DENY), "Patient"))),
                        "hold jc-a CONSENT_DENIED"),
                decision("shouldIgnoreANestedDenyOfATypeNoCategoryUses", scenario().consents(
                        change(consentToA("c1").categories("contact", "referral").build(),
                                c -> classes(nested(c, DENY), "MedicationRequest"))),
                        "share jc-a contact,referral Practitioner/p1"),
                decision("shouldHoldAsUnreadableWhenANestedDenyHasAClassOfAnotherSystem", scenario().consents(
                        change(consentToA("c1").categories("contact").build(), c -> nested(c, DENY)
                                .addClass_(new Coding("urn:ietf:bcp:13", "application/hl7-cda+xml", null)))),
                        "hold jc-a CONSENT_UNREADABLE"),
                decision("shouldHoldAsUnreadableWhenANestedDenysCodeAndClassSelectNoData", scenario().consents(
                        change(consentToA("c1").categories("contact", "diagnosis").build(),
                                c -> classes(nested(c, DENY, "diagnosis"), "Goal"))),
                        "hold jc-a CONSENT_UNREADABLE"),

                // securityLabel: PSY content needs a permit that carries PSY
                decision("shouldKeepTheCategoryWhenANestedDenyCoversPsyContentOnly", scenario().consents(
                        change(consentToA("c1").categories("contact", "diagnosis").build(),
                                c -> labels(nested(c, DENY, "diagnosis"), PSY))),
                        "share jc-a contact,diagnosis Practitioner/p1"),
                // C9: a label matters only in a deny
                decision("shouldShareAPsyLabelledPatientUnderAPermitWithoutLabels", scenario()
                        .patient(labelled(patient(PATIENT, CPR, GIVEN_NAME, FAMILY_NAME), PSY))
                        .consents(consentToA("c1").categories("contact").build()),
                        "share jc-a contact Practitioner/p1"),
                decision("shouldHoldAPsyLabelledPatientWhenADenyRemovesPsy", scenario()
                        .patient(labelled(patient(PATIENT, CPR, GIVEN_NAME, FAMILY_NAME), PSY))
                        .consents(change(consentToA("c1").categories("contact").build(),
                                c -> labels(nested(c, DENY), PSY))),
                        "hold jc-a CONSENT_DENIED"),
                decision("shouldHoldAnEthLabelledPatientWhenADenyRemovesEth", scenario()
                        .patient(labelled(patient(PATIENT, CPR, GIVEN_NAME, FAMILY_NAME), ETH))
                        .consents(change(consentToA("c1").categories("contact").build(),
                                c -> labels(nested(c, DENY), ETH))),
                        "hold jc-a CONSENT_DENIED"),
                decision("shouldShareAPsyLabelledPatientWhenAPermitCarriesPsy", scenario()
                        .patient(labelled(patient(PATIENT, CPR, GIVEN_NAME, FAMILY_NAME), PSY))
                        .consents(consentToA("c1").categories("contact").labelledPermit(PSY, "contact").build()),
                        "share jc-a contact Practitioner/p1"),
                decision("shouldHoldWhenADenyOfPsyContentCoversAPsyLabelledPatient", scenario()
                        .patient(labelled(patient(PATIENT, CPR, GIVEN_NAME, FAMILY_NAME), PSY))
                        .consents(change(consentToA("c1").categories("contact").labelledPermit(PSY, "contact")
                                .build(), c -> labels(nested(c, DENY), PSY))),
                        "hold jc-a CONSENT_DENIED"),
                decision("shouldHoldAsUnreadableWhenANestedDenyHasAConfidentialityLabel", scenario().consents(
                        change(consentToA("c1").categories("contact").build(), c -> nested(c, DENY).addSecurityLabel(
                                new Coding("http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "R", null)))),
                        "hold jc-a CONSENT_UNREADABLE"),

                // dataPeriod: about which data, not when
                decision("shouldKeepTheCategoryWhenANestedDenyHasADataPeriod", scenario().consents(
                        change(consentToA("c1").categories("contact", "employment-goal").build(),
                                c -> dataPeriod(nested(c, DENY, "employment-goal"), JANUARY, null))),
                        "share jc-a contact,employment-goal Practitioner/p1"),
                decision("shouldStillShareIdentityWhenANestedDenyByDataPeriodAloneCoversAllData", scenario().consents(
                        change(consentToA("c1").categories("contact").build(),
                                c -> dataPeriod(nested(c, DENY), JANUARY, MARCH))),
                        "share jc-a contact Practitioner/p1"),

                // named resources (data): not evaluated, so never widening
                decision("shouldHoldAsUnreadableWhenANestedDenyNamesResources", scenario().consents(
                        change(consentToA("c1").categories("contact").build(), c -> nested(c, DENY).addData()
                                .setMeaning(Consent.ConsentDataMeaning.INSTANCE)
                                .setReference(new Reference("Condition/x")))),
                        "hold jc-a CONSENT_UNREADABLE"),
                decision("shouldIgnoreANestedPermitOfNamedResources", scenario().consents(
                        change(consentToA("c1").categories("contact").build(), c -> nested(c, PERMIT, "diagnosis")
                                .addData().setMeaning(Consent.ConsentDataMeaning.INSTANCE)
                                .setReference(new Reference("Condition/x")))),
                        "share jc-a contact Practitioner/p1"),
                decision("shouldHoldAsUnreadableWhenTheRootNamesResources", scenario().consents(
                        change(consentToA("c1").categories("contact").build(), c -> c.getProvision().addData()
                                .setMeaning(Consent.ConsentDataMeaning.INSTANCE)
                                .setReference(new Reference("Condition/x")))),
                        "hold jc-a CONSENT_UNREADABLE"),

                // referral
                decision("shouldHoldWhenThereIsNoReferral", scenario().referrals().consents(
                        consentToA("c1").categories("contact").build()),
                        "hold jc-a NO_ACTIVE_REFERRAL"),
                decision("shouldHoldWhenTheReferralIsCompleted", scenario().referrals(referral("ref-1", PATIENT,
                        "psych-org", "jc-a-org", LocalDate.of(2025, 1, 1), ServiceRequestStatus.COMPLETED))
                        .consents(consentToA("c1").categories("contact").build()),
                        "share jc-a contact Practitioner/p1 ended"),
                decision("shouldHoldWhenTheReferralIsRevoked", scenario().referrals(referral("ref-1", PATIENT,
                        "psych-org", "jc-a-org", LocalDate.of(2025, 1, 1), ServiceRequestStatus.REVOKED))
                        .consents(consentToA("c1").categories("contact").build()),
                        "hold jc-a REFERRAL_ENDED"),
                decision("shouldHoldWhenTheReferralWasEnteredInError", scenario().referrals(referral("ref-1", PATIENT,
                        "psych-org", "jc-a-org", LocalDate.of(2025, 1, 1), ServiceRequestStatus.ENTEREDINERROR))
                        .consents(consentToA("c1").categories("contact").build()),
                        "hold jc-a REFERRAL_ENTERED_IN_ERROR"),
                decision("shouldPreferAnOngoingReferralOverAnEndedOne", scenario().referrals(
                        referral("ref-1", PATIENT, "psych-org", "jc-a-org", LocalDate.of(2025, 1, 1),
                                ServiceRequestStatus.REVOKED),
                        referral("ref-2", PATIENT, "psych-org", "jc-a-org", LocalDate.of(2025, 2, 1),
                                ServiceRequestStatus.ACTIVE))
                        .consents(consentToA("c1").categories("contact").build()),
                        "share jc-a contact Practitioner/p1"),
                decision("shouldHoldWhenTheReferralIsOnlyADraft", scenario().referrals(referral("ref-1", PATIENT,
                        "psych-org", "jc-a-org", LocalDate.of(2025, 1, 1), ServiceRequestStatus.DRAFT))
                        .consents(consentToA("c1").categories("contact").build()),
                        "hold jc-a NO_ACTIVE_REFERRAL"),
                decision("shouldShareWithAReferralHeldAsEpisodeOfCareOnly", scenario().referrals().episodes(
                        episode("eoc-1", PATIENT, "psych-org", LocalDate.of(2025, 1, 1), EpisodeOfCareStatus.ACTIVE))
                        .consents(consentToA("c1").categories("contact").build()),
                        "share jc-a contact Practitioner/p1"),
                // C13 names EpisodeOfCare active and onhold as ongoing, not waitlist: the completed request ends it
                decision("shouldEndTheCourseWhenTheRequestIsCompletedAndTheEpisodeIsOnlyWaitlisted", scenario()
                        .referrals(referral("ref-1", PATIENT, "psych-org", "jc-a-org", LocalDate.of(2025, 1, 1),
                                ServiceRequestStatus.COMPLETED))
                        .episodes(episode("eoc-1", PATIENT, "psych-org", LocalDate.of(2025, 1, 1),
                                EpisodeOfCareStatus.WAITLIST))
                        .consents(consentToA("c1").categories("contact").build()),
                        "share jc-a contact Practitioner/p1 ended"),
                decision("shouldHoldWhenTheEpisodeOfCareIsFinished", scenario().referrals().episodes(
                        episode("eoc-1", PATIENT, "psych-org", LocalDate.of(2025, 1, 1), EpisodeOfCareStatus.FINISHED))
                        .consents(consentToA("c1").categories("contact").build()),
                        "share jc-a contact Practitioner/p1 ended"),
                decision("shouldHoldWhenTheEpisodeOfCareIsCancelled", scenario().referrals().episodes(
                        episode("eoc-1", PATIENT, "psych-org", LocalDate.of(2025, 1, 1), EpisodeOfCareStatus.CANCELLED))
                        .consents(consentToA("c1").categories("contact").build()),
                        "hold jc-a REFERRAL_ENDED"),
                decision("shouldShareWithAnEpisodeOfCareOnHold", scenario().referrals().episodes(
                        episode("eoc-1", PATIENT, "psych-org", LocalDate.of(2025, 1, 1), EpisodeOfCareStatus.ONHOLD))
                        .consents(consentToA("c1").categories("contact").build()),
                        "share jc-a contact Practitioner/p1"),

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

    // expiresOn is the last day in force, sharing stops at 00:00 after it: a period ending at noon on 31 December
    // leaves 30 December as the last whole day, so that sharing never outlives the period
    @Test
    void shouldDescribeTheBasisOfAShare() {
        Consent consent = consentToA("c1").categories("contact")
                .period(GIVEN, Instant.parse("2025-12-31T12:00:00Z")).build();
        consent.getMeta().setVersionId("3");

        List<GateDecision> decisions = scenario().consents(consent).decide();

        assertThat(decisions).singleElement().isInstanceOfSatisfying(Share.class, share -> {
            assertThat(share.jobcenterId()).isEqualTo("jc-a");
            assertThat(share.consent()).isEqualTo(
                    new ConsentBasis("c1", "3", LocalDate.of(2025, 3, 1), LocalDate.of(2025, 12, 30)));
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
                LocalDate.of(2026, 2, 28)));
    }

    @Test
    void shouldReadDatesInDanishTime() {
        // 23:30 UTC on 28 February is 00:30 on 1 March in Copenhagen
        Consent consent = consentToA("c1").givenAt(Instant.parse("2025-02-28T23:30:00Z")).build();

        GateDecision decision = scenario().consents(consent).decide().get(0);

        assertThat(decision.consent().givenOn()).isEqualTo(LocalDate.of(2025, 3, 1));
        assertThat(decision.consent().expiresOn()).isEqualTo(LocalDate.of(2026, 2, 28));
    }

    @Test
    void shouldFillTheBasisOfAHoldFromTheDecidingConsent() {
        Consent withdrawn = consentToA("c9").status(ConsentState.INACTIVE).build();
        withdrawn.getMeta().setVersionId("7");

        assertThat(scenario().consents(withdrawn).decide()).containsExactly(new Hold("jc-a",
                new ConsentBasis("c9", "7", LocalDate.of(2025, 3, 1), LocalDate.of(2026, 2, 28)),
                HoldReason.CONSENT_WITHDRAWN, "Consent status is inactive"));
    }

    @Test
    void shouldNameTheUnresolvedReferenceInTheDetail() {
        GateDecision decision = scenario().consents(Consents.consentTo("c1", ORG_UNKNOWN)).decide().get(0);

        assertThat(decision).isEqualTo(new Hold(null,
                new ConsentBasis("c1", null, LocalDate.of(2025, 3, 1), LocalDate.of(2026, 2, 28)),
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
                new ConsentBasis("c1", null, LocalDate.of(2025, 3, 1), LocalDate.of(2026, 2, 28)),
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
    void shouldHoldAJobcenterOutsideTheSourcesAgreementAndLapseConsentsByTheSourcesMaxAge() {
        GateScenario toB = scenario().consents(Consents.consentTo("c1", GateScenario.ORG_B));
        assertThat(toB.decide()).map(GateScenario::summary).containsExactly("share jc-b contact");

        assertThat(toB.agreement(new SourceAgreement(Set.of("jc-a"), Period.ofMonths(12))).decide())
                .map(GateScenario::summary).containsExactly("hold jc-b RECIPIENT_NOT_AGREED");
        assertThat(toB.agreement(new SourceAgreement(Set.of("jc-a", "jc-b"), Period.ofMonths(3))).decide())
                .as("given 2025-03-01, lapsed by 2025-06-15 under a 3-month basis")
                .map(GateScenario::summary).containsExactly("hold jc-b CONSENT_LAPSED");
        assertThat(toB.agreement(new SourceAgreement(Set.of("jc-b"), Period.ofMonths(4))).decide())
                .map(GateScenario::summary).containsExactly("share jc-b contact");
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

    // ---- per resource: what the Share's DataPolicy lets go of a shared category ----

    private static final Instant START_2025 = Instant.parse("2024-12-31T23:00:00Z"); // 2025-01-01 in Copenhagen
    private static final Instant END_2025 = Instant.parse("2025-12-31T22:59:59Z");

    static Stream<Arguments> resources() {
        return Stream.of(
                // securityLabel (C9): ticking diagnosis permits diagnoses whatever their label; a label matters in a deny
                resource("shouldSendAPsyConditionWhenDiagnosisIsTicked", scenario().consents(
                        consentToA("c1").categories("diagnosis").build()),
                        DataCategory.DIAGNOSIS, condition(true), true),
                resource("shouldSendAnEthConditionWhenDiagnosisIsTicked", scenario().consents(
                        consentToA("c1").categories("diagnosis").build()),
                        DataCategory.DIAGNOSIS, labelled(condition(false), ETH), true),
                resource("shouldNotSendAnEthConditionThatANestedDenyOfEthCovers", scenario().consents(
                        change(consentToA("c1").categories("diagnosis").build(),
                                c -> labels(nested(c, DENY, "diagnosis"), ETH))),
                        DataCategory.DIAGNOSIS, labelled(condition(false), ETH), false),
                resource("shouldNotSendAPsyConditionThatADenyOfPsyWithoutCategoryCovers", scenario().consents(
                        change(consentToA("c1").categories("diagnosis").build(),
                                c -> labels(nested(c, DENY), PSY))),
                        DataCategory.DIAGNOSIS, condition(true), false),
                resource("shouldNotSendADiagnosisWhenDiagnosisIsNotTicked", scenario().consents(
                        consentToA("c1").categories("contact").build()),
                        DataCategory.DIAGNOSIS, condition(false), false),
                resource("shouldSendAnUnlabelledConditionWithoutAPsyPermit", scenario().consents(
                        consentToA("c1").categories("diagnosis").build()),
                        DataCategory.DIAGNOSIS, condition(false), true),
                resource("shouldSendAPsyConditionUnderAPermitCarryingPsy", scenario().consents(
                        consentToA("c1").categories("diagnosis").labelledPermit(PSY, "diagnosis").build()),
                        DataCategory.DIAGNOSIS, condition(true), true),
                resource("shouldIgnoreAPsyLabelOnAPermitForAnotherCategory", scenario().consents(
                        consentToA("c1").categories("diagnosis", "employment-goal")
                                .labelledPermit(PSY, "employment-goal").build()),
                        DataCategory.DIAGNOSIS, condition(true), true),
                resource("shouldNotSendAPsyConditionThatANestedDenyOfPsyCovers", scenario().consents(
                        change(consentToA("c1").categories("diagnosis").labelledPermit(PSY, "diagnosis").build(),
                                c -> labels(nested(c, DENY, "diagnosis"), PSY))),
                        DataCategory.DIAGNOSIS, condition(true), false),
                resource("shouldStillSendAnUnlabelledConditionWhenANestedDenyOfPsyCoversTheCategory", scenario()
                        .consents(change(consentToA("c1").categories("diagnosis").build(),
                                c -> labels(nested(c, DENY, "diagnosis"), PSY))),
                        DataCategory.DIAGNOSIS, condition(false), true),
                resource("shouldIgnoreALabelOnTheRootPermit", scenario().consents(
                        consentToA("c1").categories("diagnosis").securityLabels(PSY).build()),
                        DataCategory.DIAGNOSIS, condition(false), true),
                resource("shouldSendPsyDataUnderARootThatCoversPsyContentOnly", scenario().consents(
                        consentToA("c1").categories("diagnosis").securityLabels(PSY).build()),
                        DataCategory.DIAGNOSIS, condition(true), true),
                resource("shouldIgnoreTwoLabelsOnTheRootPermit", scenario().consents(
                        consentToA("c1").categories("diagnosis").securityLabels(PSY, ETH).build()),
                        DataCategory.DIAGNOSIS, condition(true), true),

                // dataPeriod
                resource("shouldSendAGoalStartedInsideTheDataPeriod", scenario().consents(
                        in2025(consentToA("c1").categories("employment-goal").build())),
                        DataCategory.EMPLOYMENT_GOAL, goal("2025-03-01", null), true),
                resource("shouldNotSendAGoalStartedBeforeTheDataPeriod", scenario().consents(
                        in2025(consentToA("c1").categories("employment-goal").build())),
                        DataCategory.EMPLOYMENT_GOAL, goal("2024-06-01", null), false),
                resource("shouldDateAGoalWithoutStartByItsStatusDate", scenario().consents(
                        in2025(consentToA("c1").categories("employment-goal").build())),
                        DataCategory.EMPLOYMENT_GOAL, goal(null, "2025-04-01"), true),
                resource("shouldNotSendAnUndatedGoalWhenADataPeriodApplies", scenario().consents(
                        in2025(consentToA("c1").categories("employment-goal").build())),
                        DataCategory.EMPLOYMENT_GOAL, goal(null, null), false),
                resource("shouldSendAnUndatedGoalWithoutDataPeriod", scenario().consents(
                        consentToA("c1").categories("employment-goal").build()),
                        DataCategory.EMPLOYMENT_GOAL, goal(null, null), true),
                resource("shouldDateAConditionByItsRecordedDateBeforeItsOnset", scenario().consents(
                        in2025(consentToA("c1").categories("diagnosis").build())),
                        DataCategory.DIAGNOSIS, change(condition(false), c -> c.setRecordedDateElement(
                                new DateTimeType("2024-11-02")).setOnset(new DateTimeType("2025-02-01"))), false),
                resource("shouldDateAConditionWithoutRecordedDateByItsOnset", scenario().consents(
                        in2025(consentToA("c1").categories("diagnosis").build())),
                        DataCategory.DIAGNOSIS, change(condition(false),
                                c -> c.setOnset(new DateTimeType("2025-02-01"))), true),
                resource("shouldReadAPartialYearAsTheWholeYearInsideTheDataPeriod", scenario().consents(
                        in2025(consentToA("c1").categories("diagnosis").build())),
                        DataCategory.DIAGNOSIS, change(condition(false),
                                c -> c.setRecordedDateElement(new DateTimeType("2025"))), true),
                resource("shouldNotSendAPartialYearThatOnlyPartlyLiesInTheDataPeriod", scenario().consents(
                        consentToA("c1").categories("diagnosis").dataPeriod(MARCH, null).build()),
                        DataCategory.DIAGNOSIS, change(condition(false),
                                c -> c.setRecordedDateElement(new DateTimeType("2025"))), false),
                resource("shouldNotSendAConferenceANestedDenyByDataPeriodCovers", scenario().consents(
                        change(consentToA("c1").categories("conferences").build(),
                                c -> dataPeriod(nested(c, DENY, "conferences"), START_2025, END_2025))),
                        DataCategory.CONFERENCES, conference("2025-05-01T08:00:00Z"), false),
                resource("shouldSendAConferenceOutsideANestedDenysDataPeriod", scenario().consents(
                        change(consentToA("c1").categories("conferences").build(),
                                c -> dataPeriod(nested(c, DENY, "conferences"), START_2025, END_2025))),
                        DataCategory.CONFERENCES, conference("2024-05-01T08:00:00Z"), true),
                resource("shouldNotSendAnUndatedResourceANestedDenyByDataPeriodMightCover", scenario().consents(
                        change(consentToA("c1").categories("care-team").build(),
                                c -> dataPeriod(nested(c, DENY, "care-team"), START_2025, END_2025))),
                        DataCategory.CARE_TEAM, IpsFixtures.careTeam("ct-9", PATIENT, null, null, null), false),
                // C10: dataPeriod does not apply to contact details
                resource("shouldSendContactDetailsUnderADataPeriod", scenario().consents(
                        in2025(consentToA("c1").categories("contact").build())),
                        DataCategory.CONTACT, patient(PATIENT, CPR, GIVEN_NAME, FAMILY_NAME), true),
                resource("shouldDateAReferralByAuthoredOn", scenario().consents(
                        in2025(consentToA("c1").categories("referral").build())),
                        DataCategory.REFERRAL, referral("ref-9", PATIENT, "psych-org", "jc-a-org",
                                LocalDate.of(2025, 2, 1), ServiceRequestStatus.ACTIVE), true),
                resource("shouldDateAnEpisodeByItsStart", scenario().consents(
                        in2025(consentToA("c1").categories("referral").build())),
                        DataCategory.REFERRAL, episode("eoc-9", PATIENT, "psych-org", LocalDate.of(2024, 2, 1),
                                EpisodeOfCareStatus.ACTIVE), false),
                resource("shouldCollectAnOutcomeInsideTheDataPeriod", scenario().action(ConsentAction.COLLECT)
                        .consents(in2025(consentToA("c1").categories("outcomes").actions("collect")
                                .build())),
                        DataCategory.OUTCOMES, outcome(LocalDate.of(2025, 4, 2)), true),
                resource("shouldNotCollectAnOutcomeOutsideTheDataPeriod", scenario().action(ConsentAction.COLLECT)
                        .consents(in2025(consentToA("c1").categories("outcomes").actions("collect")
                                .build())),
                        DataCategory.OUTCOMES, outcome(LocalDate.of(2023, 4, 2)), false),

                // class
                resource("shouldSendTheServiceRequestOfAPermitOfClassServiceRequest", scenario().consents(
                        consentToA("c1").categories("referral").resourceClasses("ServiceRequest").build()),
                        DataCategory.REFERRAL, referral("ref-9", PATIENT, "psych-org", "jc-a-org",
                                LocalDate.of(2025, 2, 1), ServiceRequestStatus.ACTIVE), true),
                resource("shouldNotSendTheEpisodeOfAPermitOfClassServiceRequest", scenario().consents(
                        consentToA("c1").categories("referral").resourceClasses("ServiceRequest").build()),
                        DataCategory.REFERRAL, episode("eoc-9", PATIENT, "psych-org", LocalDate.of(2025, 2, 1),
                                EpisodeOfCareStatus.ACTIVE), false),
                resource("shouldNotSendAResourceAsDataOfAnotherCategory", scenario().consents(
                        consentToA("c1").categories("diagnosis", "employment-goal").build()),
                        DataCategory.DIAGNOSIS, goal(null, null), false),
                resource("shouldNotSendDataOfACategoryThatIsNotShared", scenario().consents(
                        consentToA("c1").categories("contact").build()),
                        DataCategory.DIAGNOSIS, condition(false), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("resources")
    void allows(GateScenario scenario, DataCategory category, Resource resource, boolean expected) {
        assertThat(scenario.share().policy().allows(category, resource)).isEqualTo(expected);
    }

    @Test
    void shouldKeepPsyContentOutUnderTheDefaultPolicyOfAFourArgumentShare() {
        Share share = new Share("jc-a", null, Set.of(DataCategory.DIAGNOSIS), null);

        assertThat(share.policy().allows(DataCategory.DIAGNOSIS, condition(true))).isFalse();
        assertThat(share.policy().allows(DataCategory.DIAGNOSIS, condition(false))).isTrue();
        assertThat(share.policy().allows(DataCategory.EMPLOYMENT_GOAL, goal(null, null))).isFalse();
        assertThat(share.withheld()).containsOnlyKeys(EnumSet.complementOf(EnumSet.of(DataCategory.DIAGNOSIS)))
                .allSatisfy((category, withheld) -> assertThat(withheld.reason())
                        .isEqualTo(HoldReason.CATEGORY_NOT_CONSENTED));
    }

    @Test
    void shouldRefuseAShareThatBothSharesAndWithholdsACategory() {
        Map<DataCategory, GateDecision.Withheld> withheld = Map.of(DataCategory.CONTACT,
                new GateDecision.Withheld(HoldReason.CATEGORY_DENIED, "denied"));

        assertThatThrownBy(() -> new Share("jc-a", null, Set.of(DataCategory.CONTACT), null, withheld, null, null, false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Hold("jc-a", null, HoldReason.CATEGORY_DENIED, "x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GateDecision.Withheld(HoldReason.CONSENT_DENIED, "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---- per category: why a category of a shared case is withheld ----

    static Stream<Arguments> withheld() {
        return Stream.of(
                withheld("shouldWithholdAnUntickedCategoryAsNotConsented", scenario().consents(
                        consentToA("c1").categories("contact").build()),
                        DataCategory.DIAGNOSIS, "category-not-consented: No provision that applies"),
                withheld("shouldWithholdACategoryANestedDenyCarvesOut", scenario().consents(
                        consentToA("c1").categories("contact", "diagnosis").deny("diagnosis").build()),
                        DataCategory.DIAGNOSIS, "category-denied: Carved out by a nested deny provision"),
                withheld("shouldPreferDeniedOverNotTicked", scenario().consents(
                        consentToA("c1").categories("contact").deny("diagnosis").build()),
                        DataCategory.DIAGNOSIS, "category-denied: Carved out by a nested deny provision"),
                withheld("shouldWithholdACategoryANestedDenyExcludesByClass", scenario().consents(
                        change(consentToA("c1").categories("contact", "referral").build(),
                                c -> classes(nested(c, DENY), "EpisodeOfCare"))),
                        DataCategory.REFERRAL,
                        "category-denied: Carved out by a nested deny provision of class EpisodeOfCare"),
                withheld("shouldWithholdATickedCategoryThePermitsClassLeavesOut", scenario().consents(
                        consentToA("c1").categories("contact", "diagnosis").resourceClasses("Patient").build()),
                        DataCategory.DIAGNOSIS, "category-not-consented: Named by a permit whose class leaves out"),
                withheld("shouldWithholdACategoryWhosePermitIsForAnotherAction", scenario().consents(
                        change(consentToA("c1").categories("contact").actions("disclose", "collect").build(),
                                c -> actions(nested(c, PERMIT, "outcomes"), "collect"))),
                        DataCategory.OUTCOMES, "category-not-consented: No provision that applies"),
                withheld("shouldWithholdACategoryWhosePermitHasEnded", scenario().consents(
                        change(consentToA("c1").categories("contact").build(),
                                c -> nested(c, PERMIT, "outcomes").setPeriod(ENDED_MAY.copy()))),
                        DataCategory.OUTCOMES, "category-not-consented: No provision that applies"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("withheld")
    void withheld(GateScenario scenario, DataCategory category, String expected) {
        GateDecision.Withheld withheld = scenario.share().withheld().get(category);

        assertThat(withheld.reason().code() + ": " + withheld.detail()).startsWith(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decisions")
    void shouldAccountForEveryCategoryOfAShareOnce(GateScenario scenario, List<String> ignored) {
        assertThat(scenario.decide()).filteredOn(Share.class::isInstance).map(Share.class::cast).allSatisfy(share -> {
            assertThat(java.util.Collections.disjoint(share.withheld().keySet(), share.categories())).isTrue();
            assertThat(share.withheld().size() + share.categories().size()).isEqualTo(DataCategory.values().length);
            assertThat(share.withheld().values()).allSatisfy(w -> assertThat(w.detail()).isNotBlank()
                    .doesNotContain(CPR, GIVEN_NAME, FAMILY_NAME));
        });
    }

    // ---- one question: may this be done with this category for this jobcenter now? ----

    static Stream<Arguments> verdicts() {
        return Stream.of(
                verdict("shouldPermitATickedCategory", scenario().consents(
                        change(consentToA("c1").categories("contact").build(), c -> c.getMeta().setVersionId("4"))),
                        "jc-a", DataCategory.CONTACT, "permit c1/4"),
                verdict("shouldDenyADeniedCategory", scenario().consents(
                        consentToA("c1").categories("contact", "diagnosis").deny("diagnosis").build()),
                        "jc-a", DataCategory.DIAGNOSIS, "deny CATEGORY_DENIED c1"),
                verdict("shouldDenyAnUntickedCategory", scenario().consents(
                        consentToA("c1").categories("contact").build()),
                        "jc-a", DataCategory.REFERRAL, "deny CATEGORY_NOT_CONSENTED c1"),
                verdict("shouldDenyWithTheHoldOfTheDecidingConsent", scenario().consents(
                        consentToA("c1").categories("contact").status(ConsentState.INACTIVE).build()),
                        "jc-a", DataCategory.CONTACT, "deny CONSENT_WITHDRAWN c1"),
                verdict("shouldDenyALapsedConsent", scenario().consents(
                        consentToA("c1").givenAt(Instant.parse("2024-05-01T10:00:00Z")).categories("contact").build()),
                        "jc-a", DataCategory.CONTACT, "deny CONSENT_LAPSED c1"),
                verdict("shouldDenyAJobcenterNoConsentNames", scenario().consents(
                        consentToA("c1").categories("contact").build()),
                        "jc-b", DataCategory.CONTACT, "deny DISCLOSURE_NOT_PERMITTED -"),
                verdict("shouldDenyAJobcenterThatIsNotConfigured", scenario().consents(
                        consentToA("c1").categories("contact").build()),
                        "jc-nowhere", DataCategory.CONTACT, "deny DISCLOSURE_NOT_PERMITTED -"),
                verdict("shouldDenyWithoutJobcenter", scenario().consents(
                        consentToA("c1").categories("contact").build()),
                        null, DataCategory.CONTACT, "deny DISCLOSURE_NOT_PERMITTED -"),
                verdict("shouldDenyWithNoConsentWhenThePatientHasNone", scenario(),
                        "jc-a", DataCategory.CONTACT, "deny NO_CONSENT -"),
                verdict("shouldDenyAsUnreadableWhenAConsentOfUnknownRecipientCannotBeRead", scenario().consents(
                        change(consentToA("c1").categories("contact").build(), c -> c.setProvision(null))),
                        "jc-a", DataCategory.CONTACT, "deny CONSENT_UNREADABLE c1"),
                verdict("shouldDenyWithUnknownRecipientWhenAConsentNamesAnUnresolvedRecipient", scenario().consents(
                        Consents.consentTo("c1", ORG_UNKNOWN)),
                        "jc-a", DataCategory.CONTACT, "deny UNKNOWN_RECIPIENT c1"),
                verdict("shouldPermitCollectOfOutcomes", scenario().action(ConsentAction.COLLECT).consents(
                        consentToA("c1").categories("outcomes").actions("disclose", "collect").build()),
                        "jc-a", DataCategory.OUTCOMES, "permit c1"),
                verdict("shouldDenyCollectOnADiscloseOnlyConsent", scenario().action(ConsentAction.COLLECT).consents(
                        consentToA("c1").categories("outcomes").build()),
                        "jc-a", DataCategory.OUTCOMES, "deny COLLECTION_NOT_PERMITTED c1"),
                verdict("shouldDenyCollectFromAJobcenterNoConsentNames", scenario().action(ConsentAction.COLLECT)
                        .consents(consentToA("c1").categories("outcomes").actions("collect").build()),
                        "jc-b", DataCategory.OUTCOMES, "deny COLLECTION_NOT_PERMITTED -"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("verdicts")
    void verdict(GateScenario scenario, String jobcenterId, DataCategory category, String expected) {
        CategoryVerdict verdict = scenario.verdict(jobcenterId, category);

        assertThat(GateScenario.summary(verdict)).isEqualTo(expected);
        assertThat(verdict.jobcenterId()).isEqualTo(jobcenterId);
        assertThat(verdict.category()).isEqualTo(category);
        if (!verdict.permitted()) {
            assertThat(verdict.detail()).isNotBlank().doesNotContain(CPR, GIVEN_NAME, FAMILY_NAME);
        }
    }

    @Test
    void shouldDenyAsUnreadableInsteadOfThrowingOnAMissingSnapshotOrCategory() {
        ConsentGate gate = new ConsentGate(GateScenario::configuredJobcenter, Period.ofMonths(12));

        assertThat(gate.verdict(null, "jc-a", ConsentAction.DISCLOSE, DataCategory.CONTACT, NOW))
                .extracting(CategoryVerdict::permitted, CategoryVerdict::reason)
                .containsExactly(false, HoldReason.CONSENT_UNREADABLE);
        assertThat(gate.verdict(scenario().snapshot(), "jc-a", ConsentAction.DISCLOSE, null, NOW).reason())
                .isEqualTo(HoldReason.CONSENT_UNREADABLE);
        assertThat(gate.decide(scenario().snapshot(), NOW, null)).map(GateScenario::summary)
                .containsExactly("hold null CONSENT_UNREADABLE");
    }

    private static Arguments resource(String behaviour, GateScenario scenario, DataCategory category,
            Resource resource, boolean expected) {
        return Arguments.of(Named.of(behaviour, scenario), category, resource, expected);
    }

    private static Arguments withheld(String behaviour, GateScenario scenario, DataCategory category,
            String expected) {
        return Arguments.of(Named.of(behaviour, scenario), category, expected);
    }

    private static Arguments verdict(String behaviour, GateScenario scenario, String jobcenterId,
            DataCategory category, String expected) {
        return Arguments.of(Named.of(behaviour, scenario), jobcenterId, category, expected);
    }

    /** {@code consent} with root dataPeriod 2025-01-01 to 2025-12-31, whole days as a consent form gives them. */
    private static Consent in2025(Consent consent) {
        consent.getProvision().setDataPeriod(new org.hl7.fhir.r4.model.Period()
                .setStartElement(new DateTimeType("2025-01-01")).setEndElement(new DateTimeType("2025-12-31")));
        return consent;
    }

    private static Condition condition(boolean psy) {
        return IpsFixtures.diagnosis("cond-1", PATIENT, "F20.0", "Paranoid skizofreni", psy);
    }

    private static Goal goal(String start, String statusDate) {
        Goal goal = IpsFixtures.employmentGoal("goal-1", PATIENT, "Job i detailhandlen");
        if (start != null) {
            goal.setStart(new DateType(start));
        }
        if (statusDate != null) {
            goal.setStatusDateElement(new DateType(statusDate));
        }
        return goal;
    }

    private static Appointment conference(String start) {
        Instant at = Instant.parse(start);
        return IpsFixtures.conference("appt-1", PATIENT, at, at.plusSeconds(3600));
    }

    private static Observation outcome(LocalDate effective) {
        return IpsFixtures.employmentOutcome("obs-1", PATIENT, "event-1", effective);
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
