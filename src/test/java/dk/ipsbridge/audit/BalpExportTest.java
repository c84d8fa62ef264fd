package dk.ipsbridge.audit;

import static dk.ipsbridge.audit.AuditFacts.CPR;
import static dk.ipsbridge.audit.AuditFacts.HASH;
import static dk.ipsbridge.audit.AuditFacts.SETTINGS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventEntityComponent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class BalpExportTest {

    private final BalpExport export = new BalpExport(FhirContext.forR4Cached());

    private List<AuditEvent> events(AuditFact... facts) {
        return export.toBundle(List.of(facts), SETTINGS).getEntry().stream()
                .map(e -> (AuditEvent) e.getResource()).toList();
    }

    private static AuditEventAgentComponent agent(AuditEvent event, String typeCode) {
        return event.getAgent().stream().filter(a -> typeCode.equals(a.getType().getCodingFirstRep().getCode()))
                .findFirst().orElseThrow();
    }

    private static AuditEventEntityComponent entity(AuditEvent event, String typeCode) {
        return event.getEntity().stream().filter(e -> typeCode.equals(e.getType().getCode())).findFirst().orElseThrow();
    }

    private static String profile(AuditEvent event) {
        return event.getMeta().getProfile().get(0).getValue().replace(AuditParts.BALP_PROFILE, "");
    }

    @Test
    void shouldMapEveryDecisionToItsBalpProfiles() {
        Map<String, List<String>> profiles = events(AuditFacts.varied().toArray(AuditFact[]::new)).stream()
                .collect(Collectors.groupingBy(e -> e.getIdElement().getIdPart().replaceAll("-[a-z]+$", ""),
                        java.util.TreeMap::new, Collectors.mapping(BalpExportTest::profile, Collectors.toList())));

        assertThat(profiles).containsEntry("ips-1", List.of("AuthZconsent", "PrivacyDisclosure.Source"))
                .containsEntry("ips-4", List.of("AuthZconsent"))
                .containsEntry("ips-8", List.of("AuthZconsent"))
                .containsEntry("ips-9", List.of("AuthZconsent"))
                .containsEntry("ips-10", List.of("PatientQuery"))
                .containsEntry("ips-11", List.of("Query"));
    }

    @Test
    void shouldDeriveIdsAndFullUrlsFromTheSequenceAlone() {
        Bundle first = export.toBundle(List.of(AuditFacts.shared(42)), SETTINGS);
        Bundle again = export.toBundle(List.of(AuditFacts.shared(42)), SETTINGS);

        assertThat(first.getType()).isEqualTo(Bundle.BundleType.COLLECTION);
        assertThat(first.getEntry()).extracting(e -> e.getResource().getIdElement().getIdPart())
                .containsExactly("ips-42-authz", "ips-42-disclosure");
        assertThat(first.getEntry().get(0).getFullUrl()).startsWith("urn:uuid:");
        assertThat(export.encode(first)).isEqualTo(export.encode(again));
    }

    @Test
    void shouldRecordTheTimeOfTheDecisionAndThePurpose() {
        AuditEvent authz = events(AuditFacts.shared(1)).get(0);

        assertThat(authz.getRecorded().toInstant()).isEqualTo(AuditFacts.T0.plusSeconds(1));
        assertThat(authz.getPurposeOfEventFirstRep().getCodingFirstRep().getCode()).isEqualTo("ips-employment-support");
    }

    @Nested
    class ConsentDecisions {

        @Test
        void shouldPermitSharedAndCollectedWithOutcomeZero() {
            AuditEvent shared = events(AuditFacts.shared(1)).get(0);

            assertThat(shared.getOutcome().toCode()).isEqualTo("0");
            assertThat(shared.hasOutcomeDesc()).isFalse();
        }

        @Test
        void shouldDenyHeldWithAMinorFailureAndTheReason() {
            AuditEvent held = events(AuditFacts.held(4, "consent-withdrawn")).get(0);

            assertThat(held.getOutcome().toCode()).isEqualTo("4");
            assertThat(held.getOutcomeDesc()).isEqualTo("consent-withdrawn");
            assertThat(entity(held, "Consent").getDetail()).anySatisfy(d -> {
                assertThat(d.getType()).isEqualTo("decision");
                assertThat(d.getValue().primitiveValue()).isEqualTo("held");
            });
        }

        @Test
        void shouldReferenceTheVersionOfTheConsentInTheEhr() {
            AuditEvent authz = events(AuditFacts.shared(1)).get(0);

            assertThat(entity(authz, "Consent").getWhat().getReference())
                    .isEqualTo("https://ehr.rm.example/fhir/Consent/c1/_history/3");
            assertThat(export.encode(authz)).contains("https://ehr.rm.example/fhir/Consent/c1/_history/3");
        }

        @Test
        void shouldNameTheConsultantAsRecipientAndTheJobcenterAsItsOrganisation() {
            AuditEvent authz = events(AuditFacts.shared(1)).get(0);

            assertThat(agent(authz, "IRCP").getWho().getReference())
                    .isEqualTo("https://ehr.rm.example/fhir/Practitioner/consultant-1");
            assertThat(agent(authz, "IRCP").getRequestor()).isTrue();
            assertThat(agent(authz, "PROV").getWho().getIdentifier().getSystem()).isEqualTo("urn:oid:1.2.208.176.1.1");
            assertThat(agent(authz, "PROV").getWho().getIdentifier().getValue()).isEqualTo("123456789012345");
        }

        @Test
        void shouldMakeTheAdapterTheAuthorizerAndTheObserver() {
            AuditEvent authz = events(AuditFacts.shared(1)).get(0);

            assertThat(agent(authz, "authserver").getWho().equalsDeep(authz.getSource().getObserver())).isTrue();
            assertThat(agent(authz, "110150").getNetwork().getAddress()).isEqualTo("ips-bridge.rm.example");
        }

        @Test
        void shouldNameNoConsentWhenTheDecisionHasNone() {
            AuditFact noConsent = AuditFacts.varied().get(4);

            AuditEvent authz = events(noConsent).get(0);

            assertThat(entity(authz, "Consent").getWhat().getDisplay()).isEqualTo("no consent");
            assertThat(agent(authz, "IRCP").getWho().getDisplay()).isEqualTo("unknown recipient");
        }

        @Test
        void shouldCarryTheCorrelationIdAsADetailOfTheConsent() {
            AuditEvent authz = events(AuditFacts.shared(1)).get(0);

            assertThat(entity(authz, "Consent").getDetail()).anySatisfy(d -> {
                assertThat(d.getType()).isEqualTo("XrequestId");
                assertThat(d.getValue().primitiveValue()).isEqualTo("corr-1");
            });
        }
    }

    @Nested
    class Patient {

        @Test
        void shouldIdentifyThePatientByCprAndLinkTheEhrRecord() {
            Reference what = entity(events(AuditFacts.shared(1)).get(0), "1").getWhat();

            assertThat(what.getReference()).isEqualTo("https://ehr.rm.example/fhir/Patient/p1");
            assertThat(what.getIdentifier().getSystem()).isEqualTo("urn:oid:1.2.208.176.1.2");
            assertThat(what.getIdentifier().getValue()).isEqualTo(CPR);
        }

        @Test
        void shouldUseLogicalReferencesIntoASourceWithoutKnownBaseUrl() {
            AuditFact otherSource = AuditFacts.varied().get(6);

            AuditEvent authz = events(otherSource).get(0);

            assertThat(entity(authz, "1").getWhat().hasReference()).isFalse();
            assertThat(entity(authz, "1").getWhat().getIdentifier().getSystem())
                    .isEqualTo("http://ipsbridge.dk/fhir/sid/ehr-reference/ehr-other");
            assertThat(entity(authz, "1").getWhat().getIdentifier().getValue()).isEqualTo("Patient/q8");
            assertThat(entity(authz, "Consent").getWhat().getIdentifier().getValue())
                    .isEqualTo("Consent/c7/_history/1");
        }

        @Test
        void shouldLeaveTheCprOutWhenItIsRedacted() {
            AuditFact redacted = AuditFacts.varied().get(5);

            String json = export.encode(events(redacted).get(0));

            assertThat(json).doesNotContain("urn:oid:1.2.208.176.1.2").doesNotContain(CPR);
        }
    }

    @Nested
    class Disclosure {

        private final AuditEvent disclosure = events(AuditFacts.shared(1)).get(1);

        @Test
        void shouldDiscloseFromTheAdapterToTheJobcenterAtItsCaseApi() {
            assertThat(agent(disclosure, "110153").getWho().equalsDeep(disclosure.getSource().getObserver())).isTrue();
            assertThat(agent(disclosure, "110152").getWho().getIdentifier().getValue()).isEqualTo("123456789012345");
            assertThat(agent(disclosure, "110152").getNetwork().getAddress())
                    .isEqualTo("https://jobcenter-aarhus.example/api/ips/v1");
            assertThat(agent(disclosure, "159541003").getWho().getIdentifier().getValue())
                    .isEqualTo(SETTINGS.regionSor());
        }

        @Test
        void shouldNameThePayloadByItsHashAndLabelItWithTheCategories() {
            AuditEventEntityComponent data = entity(disclosure, "2");

            assertThat(data.getWhat().getIdentifier().getSystem()).isEqualTo(AuditParts.PAYLOAD_SHA256_SYSTEM);
            assertThat(data.getWhat().getIdentifier().getValue()).isEqualTo(HASH);
            assertThat(data.getSecurityLabel()).extracting(Coding::getCode).containsExactly("contact", "referral",
                    "care-team", "conferences", "employment-goal", "diagnosis", "outcomes");
        }

        @Test
        void shouldCarryTheCorrelationIdAsTransactionEntity() {
            assertThat(entity(disclosure, "XrequestId").getWhat().getIdentifier().getValue()).isEqualTo("corr-1");
        }

        @Test
        void shouldMarkTheAddressOfAnUnconfiguredJobcenterAsUnknown() {
            AuditFact unconfigured = AuditFacts.varied().get(2);

            AuditEvent event = events(unconfigured).get(1);

            assertThat(agent(event, "110152").getNetwork().getAddressElement()
                    .getExtensionByUrl("http://hl7.org/fhir/StructureDefinition/data-absent-reason")).isNotNull();
        }
    }

    @Nested
    class OfficerSearch {

        @Test
        void shouldRecordTheSearchAsPatientQueryByTheOfficer() {
            AuditEvent query = events(AuditFacts.officerSearch(10)).get(0);

            assertThat(profile(query)).isEqualTo("PatientQuery");
            assertThat(agent(query, "IRCP").getWho().getIdentifier().getValue()).isEqualTo("officer.hansen");
            assertThat(agent(query, "110152").getNetwork().getAddress()).isEqualTo("https://ehr.rm.example/fhir/");
            assertThat(new String(entity(query, "2").getQuery(), StandardCharsets.UTF_8))
                    .isEqualTo("Patient?identifier=urn:oid:1.2.208.176.1.2|" + CPR);
        }

        @Test
        void shouldRecordASearchWithoutPatientAsQuery() {
            AuditFact nobody = AuditFacts.varied().get(10);

            AuditEvent query = events(nobody).get(0);

            assertThat(profile(query)).isEqualTo("Query");
            assertThat(query.getEntity()).noneMatch(e -> "1".equals(e.getType().getCode()));
        }
    }

    @Nested
    class OperatorAction {

        @Test
        void shouldRecordAPauseAsApplicationActivityRequestedByTheOperatorOnTheJobcenter() {
            AuditFact pause = new AuditFact(20, AuditFacts.T0, "delivery-paused", null, null, null, null,
                    "jobcenter-aarhus", null, null, null, null, null, null, null, "corr-20", "ops.jensen");

            AuditEvent event = events(pause).get(0);

            assertThat(event.getMeta().getProfile()).isEmpty();
            assertThat(event.getType().getCode()).isEqualTo("110100");
            assertThat(event.getSubtypeFirstRep().getCode()).isEqualTo("delivery-paused");
            assertThat(event.getAgent()).filteredOn(a -> a.getRequestor()).singleElement()
                    .satisfies(a -> assertThat(a.getWho().getIdentifier().getValue()).isEqualTo("ops.jensen"));
            assertThat(entity(event, "2").getWhat().getIdentifier().getValue()).isEqualTo("jobcenter-aarhus");
        }

        @Test
        void shouldNameTheCitizenOfAResyncByCpr() {
            AuditFact resync = new AuditFact(21, AuditFacts.T0, "resync-requested", "patient", "ehr-main",
                    "Patient/p1", CPR, null, null, null, null, null, null, null, null, "corr-21", "ops.jensen");

            assertThat(entity(events(resync).get(0), "1").getWhat().getIdentifier().getValue()).isEqualTo(CPR);
        }
    }

    @Test
    void shouldRefuseAnUnknownDecisionNamingOnlyTheSequence() {
        AuditFact odd = new AuditFact(77, AuditFacts.T0, "forgotten", null, "ehr-main", "Patient/p1", CPR, null, null,
                null, null, null, null, null, null, null, null);

        assertThatThrownBy(() -> export.toBundle(List.of(odd), SETTINGS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("77")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(CPR));
    }
}
