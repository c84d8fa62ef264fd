package dk.ipsbridge.caserecord;

import static dk.ipsbridge.testkit.fhir.IpsFixtures.ref;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;

import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.Test;

import dk.ipsbridge.testkit.fhir.IpsFixtures;

class ReferralTranslatorTest {

    private final ReferralTranslator translator = new ReferralTranslator(source -> "ips-general");

    @Test
    void shouldTakeDateUnitAndContactFromServiceRequestWithPractitionerRoleRequester() {
        assertThat(translator.translate(CaseFixtures.rich())).isEqualTo(new IpsCaseRecord.Referral("2026-01-05", "ips-general",
                new IpsCaseRecord.ReferringUnit("6001234", "Psykiatrisk Center Aarhus"),
                new IpsCaseRecord.Contact("Lene Læge", "+45 30 00 00 02", "pr-doc@rm.example.invalid")));
    }

    @Test
    void shouldHaveNoContactWhenRequesterIsAnOrganization() {
        ServiceRequest sr = IpsFixtures.referral("sr1", "p1", "org-psyk", "jc-aarhus", LocalDate.of(2026, 1, 5),
                ServiceRequest.ServiceRequestStatus.ACTIVE);

        assertThat(translator.translate(CaseFixtures.snapshot().referral(sr).build())).isEqualTo(
                new IpsCaseRecord.Referral("2026-01-05", "ips-general",
                        new IpsCaseRecord.ReferringUnit("6001234", "Psykiatrisk Center Aarhus"), null));
    }

    @Test
    void shouldUseEpisodeStartWhenNoServiceRequest() {
        EpisodeOfCare episode = CaseFixtures.episode();
        episode.setCareManager(ref("Practitioner", "pr-nurse"));

        assertThat(translator.translate(CaseFixtures.snapshot().episode(episode).build())).isEqualTo(
                new IpsCaseRecord.Referral("2026-01-03", "ips-general",
                        new IpsCaseRecord.ReferringUnit("6001234", "Psykiatrisk Center Aarhus"),
                        new IpsCaseRecord.Contact("Ole Olsen", "+45 30 00 00 03", "pr-nurse@rm.example.invalid")));
    }

    @Test
    void shouldPreferServiceRequestOverEpisode() {
        assertThat(translator.translate(CaseFixtures.snapshot().referral(CaseFixtures.referral())
                .episode(CaseFixtures.episode()).build()).referredOn()).isEqualTo("2026-01-05");
    }

    @Test
    void shouldPreferActiveReferralOverLaterCompletedOne() {
        ServiceRequest completed = IpsFixtures.referral("sr0", "p1", "org-psyk", "jc-aarhus",
                LocalDate.of(2026, 4, 1), ServiceRequest.ServiceRequestStatus.COMPLETED);

        assertThat(translator.translate(CaseFixtures.snapshot().referral(completed).referral(CaseFixtures.referral())
                .build()).referredOn()).isEqualTo("2026-01-05");
    }

    @Test
    void shouldIgnoreEnteredInErrorAndNonIpsServiceRequests() {
        ServiceRequest error = CaseFixtures.referral().setStatus(ServiceRequest.ServiceRequestStatus.ENTEREDINERROR);
        ServiceRequest other = IpsFixtures.referral("sr9", "p1", "org-psyk", "jc-aarhus", LocalDate.of(2026, 2, 1),
                ServiceRequest.ServiceRequestStatus.ACTIVE);
        other.getCode().getCodingFirstRep().setCode("something-else");

        assertThat(translator.translate(CaseFixtures.snapshot().referral(error).referral(other).build())).isNull();
    }

    @Test
    void shouldReadDateTimeAsTheDanishDay() {
        ServiceRequest sr = CaseFixtures.referral();
        sr.setAuthoredOnElement(new DateTimeType("2026-01-04T23:30:00Z"));

        assertThat(translator.translate(CaseFixtures.snapshot().referral(sr).build()).referredOn())
                .isEqualTo("2026-01-05");
    }

    @Test
    void shouldReadPlainDateAsWritten() {
        ServiceRequest sr = CaseFixtures.referral();
        sr.setAuthoredOnElement(new DateTimeType("2026-01-04"));

        assertThat(translator.translate(CaseFixtures.snapshot().referral(sr).build()).referredOn())
                .isEqualTo("2026-01-04");
    }

    @Test
    void shouldFallBackToEpisodeStartWhenServiceRequestHasNoDayAndOmitReferralWithoutAny() {
        ServiceRequest monthOnly = CaseFixtures.referral();
        monthOnly.setAuthoredOnElement(new DateTimeType("2026-01"));

        assertThat(translator.translate(CaseFixtures.snapshot().referral(monthOnly).episode(CaseFixtures.episode())
                .build()).referredOn()).isEqualTo("2026-01-03");
        assertThat(translator.translate(CaseFixtures.snapshot().referral(monthOnly).build())).isNull();
    }

    @Test
    void shouldOmitUnitThatCannotBeResolved() {
        ServiceRequest sr = CaseFixtures.referral().setRequester(new Reference("Organization/unknown"));

        assertThat(translator.translate(CaseFixtures.snapshot().referral(sr).build()))
                .isEqualTo(new IpsCaseRecord.Referral("2026-01-05", "ips-general", null, null));
    }

    @Test
    void shouldTakeTheProgrammeFromTheReferralOrElseTheSourcesDefault() {
        ReferralTranslator att = new ReferralTranslator(source -> "ehr-rm".equals(source) ? "ips-ptsd" : "x");
        ServiceRequest general = CaseFixtures.referral();
        general.addCategory().addCoding(new org.hl7.fhir.r4.model.Coding("http://ipsbridge.dk/fhir/CodeSystem/ips", "ips-substance-use", null));
        assertThat(att.translate(CaseFixtures.snapshot().referral(general).build()).programme())
                .as("the ServiceRequest's category").isEqualTo("ips-substance-use");

        EpisodeOfCare episode = CaseFixtures.episode();
        episode.addType().addCoding(new org.hl7.fhir.r4.model.Coding("http://ipsbridge.dk/fhir/CodeSystem/ips", "ips-general", null));
        assertThat(att.translate(CaseFixtures.snapshot().episode(episode).build()).programme())
                .as("an extra EpisodeOfCare.type coding").isEqualTo("ips-general");

        ServiceRequest other = CaseFixtures.referral();
        other.addCategory().addCoding(new org.hl7.fhir.r4.model.Coding("http://ipsbridge.dk/fhir/CodeSystem/ips", "ips-other", null));
        other.addCategory().addCoding(new org.hl7.fhir.r4.model.Coding("http://example.org/other", "ips-general", null));
        assertThat(att.translate(CaseFixtures.snapshot().referral(other).build()).programme())
                .as("no programme of ours: the source's").isEqualTo("ips-ptsd");
    }
}
