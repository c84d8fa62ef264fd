package dk.example.ips;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import dk.example.ips.ContactSharing.Outcome;
import dk.ipsbridge.testkit.ehr.MockEhr;
import dk.ipsbridge.testkit.fault.InjectedFault;
import dk.ipsbridge.testkit.fhir.IpsFixtures;
import dk.ipsbridge.testkit.jobcenter.MockJobcenter;
import dk.ipsbridge.testkit.junit.MockEhrExtension;
import dk.ipsbridge.testkit.junit.MockJobcenterExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The team's tests of {@link ContactSharing} against the IPS Bridge test kit: a mock EHR for the class (emptied before
 * each test) and a fresh mock jobcenter per test.
 */
class ContactSharingTest {

    private static final FhirContext FHIR = FhirContext.forR4();
    private static final String CPR = "0101901234"; // fictitious
    private static final Instant GIVEN = Instant.now().minus(Duration.ofDays(60));
    private static final Instant EXPIRES = GIVEN.plus(Duration.ofDays(365));

    @RegisterExtension
    static final MockEhrExtension EHR = new MockEhrExtension();

    @RegisterExtension
    final MockJobcenterExtension aarhus = new MockJobcenterExtension("jobcenter-aarhus", "Jobcenter Aarhus");

    private MockEhr ehr;
    private MockJobcenter jobcenter;
    private ContactSharing sharing;

    @BeforeEach
    void wire() {
        ehr = EHR.ehr();
        jobcenter = aarhus.jobcenter();
        sharing = new ContactSharing(FHIR, ehr.baseUrl(), jobcenter.baseUrl(), "Organization/jobcenter-aarhus");
        ehr.store(IpsFixtures.patient("anna", CPR, "Anna", "Jensen"));
    }

    @Test
    void shouldShareThePhoneNumberWhenTheConsentPermitsContact() throws Exception {
        ehr.store(consent(Consent.ConsentState.ACTIVE).categories("contact", "referral").build());

        assertEquals(new Outcome.Shared("case-1"), sharing.share(CPR, "case-1"));

        assertEquals(Set.of(MockJobcenter.IDENTITY, "contact"), jobcenter.categoriesReceived("case-1"));
        String phone = ehr.resources(Patient.class).get(0).getTelecomFirstRep().getValue();
        assertEquals(phone, jobcenter.caseFor(CPR).orElseThrow().path("citizen").path("phone").asText());
    }

    @Test
    void shouldSendNothingWithoutAConsent() throws Exception {
        assertEquals(new Outcome.Held("no-consent-for-contact"), sharing.share(CPR, "case-1"));

        jobcenter.assertNoRecordFor(CPR);
        assertTrue(jobcenter.requests().isEmpty());
    }

    @Test
    void shouldSendNothingOnceTheConsentIsWithdrawn() throws Exception {
        ehr.store(consent(Consent.ConsentState.INACTIVE).categories("contact").build());

        assertEquals(new Outcome.Held("no-consent-for-contact"), sharing.share(CPR, "case-1"));
        jobcenter.assertNoRecordFor(CPR);
    }

    @Test
    void shouldSendNothingWhenTheCitizenDeniedContact() throws Exception {
        ehr.store(consent(Consent.ConsentState.ACTIVE).categories("contact", "referral").deny("contact").build());

        assertEquals(new Outcome.Held("no-consent-for-contact"), sharing.share(CPR, "case-1"));
        jobcenter.assertNoRecordFor(CPR);
    }

    @Test
    void shouldSendNothingWhenTheConsentNamesAnotherJobcenter() throws Exception {
        ehr.store(IpsFixtures.consent("consent-1", "anna").givenAt(GIVEN).period(GIVEN, EXPIRES)
                .recipient("Organization/jobcenter-randers").categories("contact").build());

        assertEquals(new Outcome.Held("no-consent-for-contact"), sharing.share(CPR, "case-1"));
        jobcenter.assertNoRecordFor(CPR);
    }

    @Test
    void shouldSendNothingOnceTheConsentHasLapsed() throws Exception {
        Instant lapsed = Instant.now().minus(Duration.ofDays(1));
        ehr.store(consent(Consent.ConsentState.ACTIVE).period(GIVEN, lapsed).categories("contact").build());

        assertEquals(new Outcome.Held("no-consent-for-contact"), sharing.share(CPR, "case-1"));
        jobcenter.assertNoRecordFor(CPR);
    }

    @Test
    void shouldFailClosedWhenTheEhrCannotAnswer() {
        ehr.store(consent(Consent.ConsentState.ACTIVE).categories("contact").build());
        ehr.failNext("Consent", 503, 1);

        BaseServerResponseException refused = assertThrows(BaseServerResponseException.class,
                () -> sharing.share(CPR, "case-1"));
        assertEquals(503, refused.getStatusCode());
        assertTrue(jobcenter.requests().isEmpty(), "nothing may reach the jobcenter when consent cannot be read");
    }

    @Test
    void shouldWaitAsLongAsTheJobcenterAsks() throws Exception {
        ehr.store(consent(Consent.ConsentState.ACTIVE).categories("contact").build());
        jobcenter.failNext(InjectedFault.status(429, 120), 1);

        assertEquals(new Outcome.RetryLater(Duration.ofSeconds(120)), sharing.share(CPR, "case-1"));
        jobcenter.assertNoRecordFor(CPR);

        assertEquals(new Outcome.Shared("case-1"), sharing.share(CPR, "case-1"));
        assertEquals(Set.of(MockJobcenter.IDENTITY, "contact"), jobcenter.categoriesReceived("case-1"));
    }

    private static IpsFixtures.ConsentBuilder consent(Consent.ConsentState state) {
        return IpsFixtures.consent("consent-1", "anna").status(state).givenAt(GIVEN).period(GIVEN, EXPIRES)
                .recipient("Organization/jobcenter-aarhus");
    }
}
