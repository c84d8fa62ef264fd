package dk.ipsbridge.consent;

import static dk.ipsbridge.consent.GateScenario.CPR;
import static dk.ipsbridge.consent.GateScenario.FAMILY_NAME;
import static dk.ipsbridge.consent.GateScenario.GIVEN;
import static dk.ipsbridge.consent.GateScenario.GIVEN_NAME;
import static dk.ipsbridge.consent.GateScenario.NOW;
import static dk.ipsbridge.consent.GateScenario.ORG_A;
import static dk.ipsbridge.consent.GateScenario.ORG_B;
import static dk.ipsbridge.consent.GateScenario.PATIENT;
import static dk.ipsbridge.consent.GateScenario.change;
import static dk.ipsbridge.consent.GateScenario.consentToA;
import static dk.ipsbridge.consent.GateScenario.date;
import static dk.ipsbridge.consent.GateScenario.nested;
import static dk.ipsbridge.consent.GateScenario.scenario;
import static dk.ipsbridge.testkit.fhir.IpsFixtures.careTeam;
import static dk.ipsbridge.testkit.fhir.IpsFixtures.patient;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import dk.ipsbridge.consent.ConsentGateTest.Consents;
import dk.ipsbridge.patient.IpsCodes;
import dk.ipsbridge.testkit.fhir.IpsFixtures;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.Consent.ConsentProvisionType;
import org.hl7.fhir.r4.model.Consent.ConsentState;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.EpisodeOfCare.EpisodeOfCareStatus;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Identifier.IdentifierUse;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestStatus;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One row (at least) per clarification of contract 1.1 (C1–C11, C13) that the gate decides, each named after the
 * clarification it guards, so that a row fails when its rule is taken out. The default scenario (see
 * {@link GateScenario}): a patient with one CPR, an active referral, Practitioner/p1 the IPS consultant for jobcenter
 * A without period, decided in June 2025 on consents given in March.
 */
class ContractClarificationsTest {

    private static final Instant JANUARY = Instant.parse("2025-01-10T09:00:00Z");
    private static final Instant MAY = Instant.parse("2025-05-01T00:00:00Z");
    private static final String OTHER_CPR = "0202902345";

    @ParameterizedTest(name = "{0}")
    @MethodSource("clarifications")
    void decide(GateScenario scenario, List<String> expected) {
        assertThat(scenario.decide()).map(GateScenario::summary).containsExactlyElementsOf(expected);
    }

    static Stream<Arguments> clarifications() {
        return Stream.of(
                // C1: the CPR is the identifier with use official or absent; two different ones are ambiguous
                row("C1 an old CPR listed before the official one does not count", scenario()
                        .patient(withCpr(patient(PATIENT, CPR, GIVEN_NAME, FAMILY_NAME), OTHER_CPR,
                                IdentifierUse.OLD, true))
                        .consents(consentToA("c1").categories("contact").build()),
                        "share jc-a contact Practitioner/p1"),
                row("C1 an official and a use-less CPR that differ are ambiguous", scenario()
                        .patient(withCpr(patient(PATIENT, CPR, GIVEN_NAME, FAMILY_NAME), OTHER_CPR,
                                IdentifierUse.OFFICIAL, false))
                        .consents(consentToA("c1").categories("contact").build()),
                        "hold jc-a AMBIGUOUS_CPR"),
                row("C1 the same CPR twice is one CPR", scenario()
                        .patient(withCpr(patient(PATIENT, CPR, GIVEN_NAME, FAMILY_NAME), CPR,
                                IdentifierUse.OFFICIAL, false))
                        .consents(consentToA("c1").categories("contact").build()),
                        "share jc-a contact Practitioner/p1"),
                row("C1 a patient whose only CPR is temp has no CPR", scenario()
                        .patient(change(patient(PATIENT, CPR, GIVEN_NAME, FAMILY_NAME),
                                p -> p.getIdentifierFirstRep().setUse(IdentifierUse.TEMP)))
                        .consents(consentToA("c1").categories("contact").build()),
                        "hold jc-a NO_CPR"),
                row("C1 a secondary CPR is never a second usable one", scenario()
                        .patient(withCpr(patient(PATIENT, CPR, GIVEN_NAME, FAMILY_NAME), OTHER_CPR,
                                IdentifierUse.SECONDARY, false))
                        .consents(consentToA("c1").categories("contact").build()),
                        "share jc-a contact Practitioner/p1"),

                // C2: a Practitioner and its PractitionerRoles are one person; the consultant's jobcenter
                row("C2 a consent naming the Practitioner matches its PractitionerRole in the CareTeam", scenario()
                        .careTeams(careTeam("ct-1", PATIENT, "PractitionerRole/r1", null, null))
                        .consents(Consents.consentTo("c1", "Practitioner/p3")),
                        "share jc-a contact PractitionerRole/r1"),
                row("C2 a consultant Practitioner without onBehalfOf is a consultant for no jobcenter", scenario()
                        .careTeams(careTeam("ct-1", PATIENT, "Practitioner/p1", null, null))
                        .consents(Consents.consentTo("c1", "Practitioner/p1")),
                        "hold null UNKNOWN_RECIPIENT"),
                row("C2 a consultant without jobcenter is not the consultant of a named jobcenter", scenario()
                        .careTeams(careTeam("ct-1", PATIENT, "Practitioner/p1", null, null))
                        .consents(Consents.consentTo("c1", ORG_A, "Practitioner/p1")),
                        "hold jc-a RECIPIENT_NOT_IN_CARE_TEAM", "hold null UNKNOWN_RECIPIENT"),
                row("C2 a PractitionerRole on behalf of another jobcenter than its own is for neither", scenario()
                        .careTeams(change(careTeam("ct-1", PATIENT, "PractitionerRole/r1", null, null),
                                ct -> ct.getParticipantFirstRep().setOnBehalfOf(new Reference(ORG_B))))
                        .consents(Consents.consentTo("c1", "PractitionerRole/r1")),
                        "hold null UNKNOWN_RECIPIENT"),

                // C3: active CareTeams, current participants
                row("C3 a consultant whose participation has not begun is not the consultant", scenario()
                        .careTeams(careTeam("ct-1", PATIENT, "Practitioner/p1", "jc-a-org",
                                new Period().setStart(date(NOW.plus(Duration.ofDays(1))))))
                        .consents(Consents.consentTo("c1", ORG_A, "Practitioner/p1")),
                        "hold jc-a RECIPIENT_NOT_IN_CARE_TEAM", "hold null UNKNOWN_RECIPIENT"),
                row("C3 a consultant in an entered-in-error CareTeam is not the consultant", scenario()
                        .careTeams(change(careTeam("ct-1", PATIENT, "Practitioner/p1", "jc-a-org", null),
                                ct -> ct.setStatus(CareTeam.CareTeamStatus.ENTEREDINERROR)))
                        .consents(consentToA("c1").categories("contact").build()),
                        "share jc-a contact"),

                // C5: no IRCP actor applies to every recipient; a permit naming nobody permits nobody
                row("C5 a newer deny naming no recipient stops an older permit", scenario().consents(
                        consentToA("old").givenAt(JANUARY).recipient(ORG_B).categories("contact").build(),
                        change(Consents.consentTo("new"), c -> c.getProvision().setType(ConsentProvisionType.DENY))),
                        "hold jc-a CONSENT_DENIED", "hold jc-b CONSENT_DENIED", "hold null CONSENT_DENIED"),
                row("C5 a newer withdrawal naming no recipient stops an older permit", scenario().consents(
                        consentToA("old").givenAt(JANUARY).categories("contact").build(),
                        change(Consents.consentTo("new"), c -> c.setStatus(ConsentState.INACTIVE))),
                        "hold jc-a CONSENT_WITHDRAWN", "hold null CONSENT_WITHDRAWN"),
                row("C5 a newer permit naming no recipient permits nobody", scenario().consents(
                        consentToA("old").givenAt(JANUARY).categories("contact").build(),
                        Consents.consentTo("new")),
                        "hold jc-a DISCLOSURE_NOT_PERMITTED", "hold null UNKNOWN_RECIPIENT"),
                row("C5 an older deny naming no recipient does not stop a newer permit", scenario().consents(
                        change(Consents.consentTo("old"), c -> c.setDateTime(date(JANUARY))
                                .getProvision().setType(ConsentProvisionType.DENY)),
                        consentToA("new").categories("contact").build()),
                        "share jc-a contact Practitioner/p1"),
                row("C5 a nested deny naming no recipient applies to every named recipient", scenario().consents(
                        change(consentToA("c1").recipient(ORG_B).categories("contact", "referral").build(),
                                c -> nested(c, ConsentProvisionType.DENY, "referral"))),
                        "share jc-a contact Practitioner/p1", "share jc-b contact"),

                // C6: a consent dated more than 5 minutes ahead is invalid and holds while it is the newest
                row("C6 a consent dated weeks ahead shares nothing", scenario().consents(
                        consentToA("c1").givenAt(NOW.plus(Duration.ofDays(21))).categories("contact").build()),
                        "hold jc-a CONSENT_INVALID"),
                row("C6 a future-dated consent holds an older permit", scenario().consents(
                        consentToA("old").categories("contact").build(),
                        consentToA("new").givenAt(NOW.plus(Duration.ofMinutes(6))).categories("contact").build()),
                        "hold jc-a CONSENT_INVALID"),
                row("C6 a future-dated consent naming nobody holds every jobcenter", scenario().consents(
                        consentToA("old").recipient(ORG_B).categories("contact").build(),
                        change(Consents.consentTo("new"), c -> c.setDateTime(date(NOW.plus(Duration.ofDays(1)))))),
                        "hold jc-a CONSENT_INVALID", "hold jc-b CONSENT_INVALID", "hold null CONSENT_INVALID"),
                row("C6 four minutes ahead is clock skew, not the future", scenario().consents(
                        consentToA("c1").givenAt(NOW.plus(Duration.ofMinutes(4))).categories("contact").build()),
                        "share jc-a contact Practitioner/p1"),

                // C7: sharing never follows a consultant to another jobcenter
                row("C7 a consultant who moved to another jobcenter takes nothing along", scenario()
                        .careTeams(careTeam("ct-1", PATIENT, "Practitioner/p1", "jc-a-org", until(MAY)),
                                careTeam("ct-2", PATIENT, "Practitioner/p1", "jc-b-org", from(MAY)))
                        .consents(Consents.consentTo("c1", "Practitioner/p1")),
                        "hold jc-a RECIPIENT_NOT_IN_CARE_TEAM"),
                row("C7 a consultant who became one after the consent was given is not named by it", scenario()
                        .careTeams(careTeam("ct-1", PATIENT, "Practitioner/p1", "jc-a-org", from(MAY)))
                        .consents(Consents.consentTo("c1", "Practitioner/p1")),
                        "hold null UNKNOWN_RECIPIENT"),
                row("C7 a consultant who was the consultant when the consent was given and still is", scenario()
                        .careTeams(careTeam("ct-1", PATIENT, "Practitioner/p1", "jc-a-org", from(JANUARY)))
                        .consents(Consents.consentTo("c1", "Practitioner/p1")),
                        "share jc-a contact Practitioner/p1"),

                // C8: another server's Organization/x is not the local Organization/x
                row("C8 a recipient on another server is unresolvable, whatever its id", scenario().consents(
                        consentToA("old").givenAt(JANUARY).categories("contact").build(),
                        Consents.consentTo("new", "https://other-ehr.example/fhir/Organization/jc-a-org")),
                        "hold jc-a CONSENT_UNREADABLE", "hold null UNKNOWN_RECIPIENT"),

                row("C8 a consultant on another server is not the local Practitioner of the same id", scenario()
                        .careTeams(change(careTeam("ct-1", PATIENT, "https://other-ehr.example/fhir/Practitioner/p1",
                                null, null), ct -> ct.getParticipantFirstRep().setOnBehalfOf(new Reference(ORG_A))))
                        .consents(Consents.consentTo("c1", "Practitioner/p1")),
                        "hold null UNKNOWN_RECIPIENT"),

                // rule 2: equally recent consents are not told apart by their ids
                row("rule 2 a withdrawal of the same day as a permit wins, whatever the ids", scenario().consents(
                        change(consentToA("b").categories("contact").build(),
                                c -> c.setDateTimeElement(new DateTimeType("2025-03-01"))),
                        change(consentToA("a").categories("contact").build(),
                                c -> c.setDateTimeElement(new DateTimeType("2025-03-01"))
                                        .setStatus(ConsentState.INACTIVE))),
                        "hold jc-a CONSENT_WITHDRAWN"),
                row("rule 2 two permits of the same day hold: which decides cannot be told", scenario().consents(
                        change(consentToA("b").categories("contact").build(),
                                c -> c.setDateTimeElement(new DateTimeType("2025-03-01"))),
                        change(consentToA("a").categories("contact", "diagnosis").build(),
                                c -> c.setDateTimeElement(new DateTimeType("2025-03-01")))),
                        "hold jc-a CONSENT_UNREADABLE"),
                row("rule 2 lastUpdated tells two consents of the same day apart", scenario().consents(
                        change(consentToA("b").categories("contact").build(),
                                c -> c.setDateTimeElement(new DateTimeType("2025-03-01"))
                                        .getMeta().setLastUpdated(date(MAY))),
                        change(consentToA("a").categories("contact").build(),
                                c -> c.setDateTimeElement(new DateTimeType("2025-03-01"))
                                        .setStatus(ConsentState.INACTIVE).getMeta().setLastUpdated(date(JANUARY)))),
                        "share jc-a contact Practitioner/p1"),

                // C9: labels only in denies; ETH like PSY
                row("C9 a PSY label on the permit changes nothing", scenario().consents(
                        consentToA("c1").categories("contact").securityLabels(IpsCodes.PSY).build()),
                        "share jc-a contact Practitioner/p1"),

                // C10: a root provision without type is unreadable; a permit without code shares identity only
                row("C10 a root provision without type shares nothing", scenario().consents(
                        change(consentToA("c1").categories("contact").build(), c -> c.getProvision().setType(null))),
                        "hold jc-a CONSENT_UNREADABLE"),
                row("C10 a permit without code shares identity only", scenario().consents(
                        consentToA("c1").build()),
                        "share jc-a - Practitioner/p1"),

                // C11: IRCP names the counterparty for collect too
                row("C11 collect from a jobcenter the consent names as IRCP", scenario()
                        .action(ConsentAction.COLLECT)
                        .consents(consentToA("c1").recipient(ORG_B).categories("outcomes").actions("collect").build()),
                        "share jc-a outcomes Practitioner/p1", "share jc-b outcomes"),
                row("C11 no collect from a jobcenter named in another role than IRCP", scenario()
                        .action(ConsentAction.COLLECT)
                        .consents(change(consentToA("c1").categories("outcomes").actions("collect").build(),
                                c -> c.getProvision().getActorFirstRep().getRole().getCodingFirstRep()
                                        .setCode("PRCP"))),
                        "hold null UNKNOWN_RECIPIENT"),

                // C13: the course's end
                row("C13 a later active referral reopens a course a completed one ended", scenario().referrals(
                        IpsFixtures.referral("ref-1", PATIENT, "psych-org", "jc-a-org",
                                java.time.LocalDate.of(2024, 1, 1), ServiceRequestStatus.COMPLETED),
                        IpsFixtures.referral("ref-2", PATIENT, "psych-org", "jc-a-org",
                                java.time.LocalDate.of(2025, 2, 1), ServiceRequestStatus.ACTIVE))
                        .consents(consentToA("c1").categories("contact").build()),
                        "share jc-a contact Practitioner/p1"),
                row("C13 an EpisodeOfCare entered in error withdraws", scenario().referrals().episodes(
                        IpsFixtures.episode("eoc-1", PATIENT, "psych-org", java.time.LocalDate.of(2025, 1, 1),
                                EpisodeOfCareStatus.ENTEREDINERROR))
                        .consents(consentToA("c1").categories("contact").build()),
                        "hold jc-a REFERRAL_ENTERED_IN_ERROR"));
    }

    private static Arguments row(String clarification, GateScenario scenario, String... expected) {
        return Arguments.of(Named.of(clarification, scenario), List.of(expected));
    }

    /** {@code patient} with one more CPR identifier of {@code use}, listed first or last. */
    private static Patient withCpr(Patient patient, String cpr, IdentifierUse use, boolean first) {
        Identifier identifier = new Identifier().setSystem(IpsCodes.CPR_SYSTEM).setValue(cpr).setUse(use);
        patient.getIdentifier().add(first ? 0 : patient.getIdentifier().size(), identifier);
        return patient;
    }

    private static Period until(Instant end) {
        return new Period().setStart(date(JANUARY.minus(Duration.ofDays(365)))).setEnd(date(end));
    }

    private static Period from(Instant start) {
        return new Period().setStart(date(start));
    }

    static {
        assertThat(GIVEN).isBetween(JANUARY, MAY);
    }
}
