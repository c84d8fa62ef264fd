package dk.ipsbridge.testkit.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;

import ca.uhn.fhir.context.FhirContext;
import dk.ipsbridge.testkit.ehr.MockEhr;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The fixtures of the 1.1 clarifications build what the conventions describe, and survive a round trip as JSON. */
class IpsFixturesTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

    @Nested
    class Identity {

        @Test
        void shouldGiveEachCprItsUseAndLeaveUseOutWhenNull() {
            Patient p = roundTrip(IpsFixtures.patientWithIdentifiers("p1", "Anna", "Test",
                    IpsFixtures.cprIdentifier("0101901234", Identifier.IdentifierUse.OFFICIAL),
                    IpsFixtures.cprIdentifier("0101901235", Identifier.IdentifierUse.OLD),
                    IpsFixtures.cprIdentifier("0101901236", Identifier.IdentifierUse.TEMP),
                    IpsFixtures.cprIdentifier("0101901237", Identifier.IdentifierUse.SECONDARY),
                    IpsFixtures.cprIdentifier("0101901238", null)));

            assertThat(p.getIdentifier()).allSatisfy(i -> assertThat(i.getSystem()).isEqualTo(IpsContract.CPR_SYSTEM));
            assertThat(p.getIdentifier()).extracting(i -> i.hasUse() ? i.getUse().toCode() : null)
                    .containsExactly("official", "old", "temp", "secondary", null);
            assertThat(p.getNameFirstRep().getGivenAsSingleString()).isEqualTo("Anna");
        }

        @Test
        void shouldBuildASingleNameAsFamilyOnlyAndATextOnlyName() {
            Patient single = roundTrip(IpsFixtures.patientWithSingleName("p1", "0101901234", "Madonna"));
            assertThat(single.getName()).singleElement().satisfies(n -> {
                assertThat(n.getFamily()).isEqualTo("Madonna");
                assertThat(n.hasGiven()).isFalse();
            });
            Patient text = roundTrip(IpsFixtures.patientWithNameText("p2", "0101901234", "Anna Marie Test"));
            assertThat(text.getName()).singleElement().satisfies(n -> {
                assertThat(n.getText()).isEqualTo("Anna Marie Test");
                assertThat(n.hasFamily()).isFalse();
                assertThat(n.hasGiven()).isFalse();
            });
            Patient givenOnly = IpsFixtures.patientWithName("p3", "0101901234", new HumanName().addGiven("Cher"));
            assertThat(givenOnly.getName()).singleElement().satisfies(n -> assertThat(n.hasFamily()).isFalse());
            assertThat(givenOnly.getIdentifierFirstRep().getValue()).isEqualTo("0101901234");
        }
    }

    @Nested
    class CareTeams {

        @Test
        void shouldMakeTheConsultantAPractitionerRoleAtTheJobcenter() {
            IpsFixtures.ConsultantTeam team = IpsFixtures.careTeamWithConsultantRole("ct-1", "p1", "pr-c", "role-c",
                    "jc-a-org", IpsFixtures.period(NOW.minus(30, ChronoUnit.DAYS), null), "pr-doc");

            assertThat(team.role().getPractitioner().getReference()).isEqualTo("Practitioner/pr-c");
            assertThat(team.role().getOrganization().getReference()).isEqualTo("Organization/jc-a-org");
            assertThat(team.practitioner().getIdPart()).isEqualTo("pr-c");
            CareTeam.CareTeamParticipantComponent consultant = team.careTeam().getParticipantFirstRep();
            assertThat(consultant.getRoleFirstRep().getCodingFirstRep().getCode())
                    .isEqualTo(IpsContract.IPS_CONSULTANT);
            assertThat(consultant.getMember().getReference()).isEqualTo("PractitionerRole/role-c");
            assertThat(consultant.hasOnBehalfOf()).isFalse();
            assertThat(consultant.getPeriod().hasStart()).isTrue();
            assertThat(team.careTeam().getParticipant().get(1).getMember().getReference())
                    .isEqualTo("Practitioner/pr-doc");
            assertThat(team.resources()).extracting(Resource::fhirType)
                    .containsExactly("Practitioner", "PractitionerRole", "CareTeam");
        }

        @Test
        void shouldBuildEveryStatusAndParticipantsWithPeriods() {
            CareTeam team = roundTrip(IpsFixtures.careTeam("ct-2", "p1")
                    .status(CareTeam.CareTeamStatus.SUSPENDED)
                    .consultant("Practitioner/pr-c", "jc-a-org", IpsFixtures.period(null, NOW.minusSeconds(60)))
                    .consultant("Practitioner/pr-d", "jc-b-org", IpsFixtures.period(NOW.minusSeconds(60), null))
                    .member("pr-doc", IpsFixtures.period(NOW.minus(1, ChronoUnit.DAYS), NOW.plus(1, ChronoUnit.DAYS)))
                    .participant(new Coding("http://snomed.info/sct", "224535009", "Registered nurse"),
                            "Practitioner/pr-nurse", null)
                    .build());

            assertThat(team.getStatus()).isEqualTo(CareTeam.CareTeamStatus.SUSPENDED);
            assertThat(team.getParticipant()).hasSize(4);
            assertThat(team.getParticipant().get(0).getOnBehalfOf().getReference()).isEqualTo("Organization/jc-a-org");
            assertThat(team.getParticipant().get(0).getPeriod().hasStart()).isFalse();
            assertThat(team.getParticipant().get(1).getPeriod().hasEnd()).isFalse();
            assertThat(team.getParticipant().get(3).hasPeriod()).isFalse();
            assertThat(IpsFixtures.careTeam("ct-3", "p1").status(null).build().hasStatus()).isFalse();
            for (CareTeam.CareTeamStatus status : List.of(CareTeam.CareTeamStatus.PROPOSED,
                    CareTeam.CareTeamStatus.INACTIVE, CareTeam.CareTeamStatus.ENTEREDINERROR)) {
                assertThat(roundTrip(IpsFixtures.careTeam("ct", "p1").status(status).build()).getStatus())
                        .isEqualTo(status);
            }
        }

        @Test
        void shouldLeaveTheOrganizationOutOfARoleAtNone() {
            assertThat(IpsFixtures.practitionerRole("r1", "pr-c", null).hasOrganization()).isFalse();
        }

        @Test
        void shouldBeFoundByPatientInTheMockEhr() {
            try (MockEhr ehr = new MockEhr()) {
                ehr.store(IpsFixtures.careTeamWithConsultantRole("ct-1", "p1", "pr-c", "role-c", "jc-a-org", null)
                        .resources());
                assertThat(ehr.resources("PractitionerRole")).hasSize(1);
                assertThat(ehr.resources(CareTeam.class)).singleElement()
                        .satisfies(ct -> assertThat(ct.getSubject().getReference()).isEqualTo("Patient/p1"));
            }
        }
    }

    @Nested
    class Course {

        @Test
        void shouldGiveAnEpisodeTheProgrammeAsASecondTypeAndItsEnd() {
            EpisodeOfCare e = roundTrip(IpsFixtures.episode("e1", "p1", "region-org", LocalDate.of(2026, 1, 5),
                    LocalDate.of(2026, 11, 30), EpisodeOfCare.EpisodeOfCareStatus.FINISHED, IpsContract.IPS_PTSD));
            assertThat(e.getStatus()).isEqualTo(EpisodeOfCare.EpisodeOfCareStatus.FINISHED);
            assertThat(e.getType()).extracting(t -> t.getCodingFirstRep().getCode())
                    .containsExactly(IpsContract.IPS_REFERRAL, IpsContract.IPS_PTSD);
            assertThat(e.getType()).allSatisfy(t -> assertThat(t.getCodingFirstRep().getSystem())
                    .isEqualTo(IpsContract.IPS_SYSTEM));
            assertThat(e.getPeriod().hasEnd()).isTrue();

            EpisodeOfCare open = IpsFixtures.episode("e2", "p1", "region-org", LocalDate.of(2026, 1, 5), null,
                    EpisodeOfCare.EpisodeOfCareStatus.ONHOLD, null);
            assertThat(open.getType()).hasSize(1);
            assertThat(open.getPeriod().hasEnd()).isFalse();
        }

        @Test
        void shouldGiveAReferralTheProgrammeAsCategory() {
            ServiceRequest sr = roundTrip(IpsFixtures.referral("sr1", "p1", "region-org", "jc-a-org",
                    LocalDate.of(2026, 1, 5), ServiceRequest.ServiceRequestStatus.COMPLETED,
                    IpsContract.IPS_SUBSTANCE_USE));
            assertThat(sr.getCategoryFirstRep().getCodingFirstRep().getCode()).isEqualTo(IpsContract.IPS_SUBSTANCE_USE);
            assertThat(sr.getCode().getCodingFirstRep().getCode()).isEqualTo(IpsContract.IPS_REFERRAL);
            assertThat(IpsFixtures.referral("sr2", "p1", "region-org", "jc-a-org", LocalDate.of(2026, 1, 5),
                    ServiceRequest.ServiceRequestStatus.ACTIVE, null).hasCategory()).isFalse();
        }
    }

    @Nested
    class Consents {

        @Test
        void shouldBuildADenyConsentThatNamesNoRecipient() {
            Consent deny = roundTrip(IpsFixtures.consent("k2", "p1").rootType(Consent.ConsentProvisionType.DENY)
                    .givenAt(NOW).build());
            assertThat(deny.getProvision().getType()).isEqualTo(Consent.ConsentProvisionType.DENY);
            assertThat(deny.getProvision().hasActor()).isFalse();
            assertThat(deny.getProvision().hasCode()).isFalse();
        }

        @Test
        void shouldLeaveTheRootTypeOutWhenAskedAndTakeAFutureDateTime() {
            Consent untyped = roundTrip(IpsFixtures.consent("k3", "p1").rootType(null).recipient("Organization/jc")
                    .givenAt(NOW.plus(10, ChronoUnit.MINUTES)).build());
            assertThat(untyped.getProvision().hasType()).isFalse();
            assertThat(untyped.getDateTime().toInstant()).isEqualTo(NOW.plus(10, ChronoUnit.MINUTES));
        }

        @Test
        void shouldNameNoRecipientWithAnActorOfAnotherRole() {
            Consent c = roundTrip(IpsFixtures.consent("k4", "p1").actor("CST", "Organization/region")
                    .categories("contact").build());
            assertThat(c.getProvision().getActor()).singleElement().satisfies(a -> {
                assertThat(a.getRole().getCodingFirstRep().getCode()).isEqualTo("CST");
                assertThat(a.getReference().getReference()).isEqualTo("Organization/region");
            });
        }

        @Test
        void shouldBuildNestedDeniesForOneRecipientAndForALabel() {
            Consent c = roundTrip(IpsFixtures.consent("k5", "p1").recipient("Organization/jc-a")
                    .recipient("Organization/jc-b").categories("contact", "diagnosis")
                    .denyFor("Organization/jc-b", "contact").denyLabelled(IpsContract.ETH).build());

            List<Consent.ProvisionComponent> nested = c.getProvision().getProvision();
            assertThat(nested).hasSize(2).allSatisfy(p -> assertThat(p.getType())
                    .isEqualTo(Consent.ConsentProvisionType.DENY));
            assertThat(nested.get(0).getActorFirstRep().getReference().getReference()).isEqualTo("Organization/jc-b");
            assertThat(nested.get(0).getActorFirstRep().getRole().getCodingFirstRep().getCode())
                    .isEqualTo(IpsContract.INFORMATION_RECIPIENT);
            assertThat(nested.get(0).getCode()).extracting(cc -> cc.getCodingFirstRep().getCode())
                    .containsExactly("contact");
            assertThat(nested.get(1).getSecurityLabelFirstRep().getCode()).isEqualTo("ETH");
            assertThat(nested.get(1).hasCode()).isFalse();
            assertThat(nested.get(1).hasActor()).isFalse();
        }

        @Test
        void shouldBuildConsentsAsBeforeByDefault() {
            Consent c = IpsFixtures.consent("k1", "p1").recipient("Organization/jc-a").categories("contact")
                    .deny("diagnosis").build();
            assertThat(c.getProvision().getType()).isEqualTo(Consent.ConsentProvisionType.PERMIT);
            assertThat(c.getProvision().getProvision()).singleElement()
                    .satisfies(p -> assertThat(p.getType()).isEqualTo(Consent.ConsentProvisionType.DENY));
        }
    }

    @Test
    void shouldLabelDiagnosesPsyAndEth() {
        Condition both = roundTrip(IpsFixtures.diagnosis("c1", "p1", "F10.2", "Alcohol dependence", IpsContract.PSY,
                IpsContract.ETH));
        assertThat(both.getMeta().getSecurity()).extracting(Coding::getSystem, Coding::getCode).containsExactly(
                tuple(IpsContract.ACT_CODE_SYSTEM, "PSY"), tuple(IpsContract.ACT_CODE_SYSTEM, "ETH"));
        assertThat(IpsFixtures.diagnosis("c2", "p1", "F32", "Depression").getMeta().hasSecurity()).isFalse();
        assertThat(IpsFixtures.diagnosis("c3", "p1", "F32", "Depression", true).getMeta().getSecurityFirstRep()
                .getCode()).isEqualTo("PSY");
        assertThat(both.getCode().getCodingFirstRep().getCode()).isEqualTo("F10.2");
    }

    /** Through JSON and back: what a test stores is what a client reads. */
    @SuppressWarnings("unchecked")
    private static <T extends Resource> T roundTrip(T resource) {
        String json = FHIR.newJsonParser().encodeResourceToString(resource);
        return (T) FHIR.newJsonParser().parseResource(resource.getClass(), json);
    }
}
