package dk.ipsbridge.preview;

import static dk.ipsbridge.patient.IpsCodes.SOR_SYSTEM;
import static dk.ipsbridge.testkit.fhir.IpsFixtures.careTeam;
import static dk.ipsbridge.testkit.fhir.IpsFixtures.organization;
import static dk.ipsbridge.testkit.fhir.IpsFixtures.practitioner;
import static dk.ipsbridge.testkit.fhir.IpsFixtures.referral;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dk.ipsbridge.caserecord.CaseRecordTranslator;
import dk.ipsbridge.config.IpsProperties;
import dk.ipsbridge.config.JobcenterDirectory;
import dk.ipsbridge.consent.ConsentGate;
import dk.ipsbridge.ehr.EhrClient;
import dk.ipsbridge.ehr.SnapshotLoader;
import dk.ipsbridge.patient.PatientSnapshot;
import dk.ipsbridge.testkit.fhir.IpsFixtures;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;

/**
 * Two EHR sources and two configured jobcenters (A and B, by SOR code) for preview tests; the EHR is a mocked
 * {@link SnapshotLoader} that knows the patients a test gives it. The gate and the translator are the real ones.
 */
final class PreviewWorld {

    static final String CPR = "0101901234";
    static final String PATIENT = "pat-1";
    static final String ORG_A = "Organization/jc-a-org";
    static final Instant GIVEN = Instant.parse("2025-03-01T09:00:00Z");
    static final Instant NOW = Instant.parse("2025-06-15T10:00:00Z");

    final IpsProperties properties = new IpsProperties("DK-82",
            List.of(source("ehr-a"), source("ehr-b")),
            List.of(jobcenter("jc-a", "100000001"), jobcenter("jc-b", "100000002")),
            new IpsProperties.Consent(Period.ofMonths(12), 30));
    final JobcenterDirectory jobcenters = new JobcenterDirectory(properties);
    final SnapshotLoader loader = mock(SnapshotLoader.class);

    ConsentPreview preview() {
        return preview(NOW);
    }

    ConsentPreview preview(Instant now) {
        return new ConsentPreview(properties, loader, new ConsentGate(jobcenters::jobcenterFor,
                properties.consent().maxAge()), new CaseRecordTranslator(properties.region()),
                Clock.fixed(now, ZoneOffset.UTC));
    }

    /** An IPS consent given at {@link #GIVEN} to jobcenter A. */
    static IpsFixtures.ConsentBuilder consentToA(String id) {
        return IpsFixtures.consent(id, PATIENT).givenAt(GIVEN).recipient(ORG_A);
    }

    /** The EHR source {@code sourceId} holds {@link #PATIENT} with {@link #CPR} and these consents. */
    PatientSnapshot patientIn(String sourceId, Consent... consents) {
        PatientSnapshot snapshot = snapshot(sourceId, consents);
        when(loader.patientsWithCpr(sourceId, CPR)).thenReturn(List.of(PATIENT));
        when(loader.load(sourceId, PATIENT)).thenReturn(Optional.of(new SnapshotLoader.Loaded(snapshot, List.of())));
        return snapshot;
    }

    /** As {@link #patientIn}, but one of the patient's Consents could not be read. */
    void patientWithUnreadableConsentIn(String sourceId, Consent... consents) {
        when(loader.patientsWithCpr(sourceId, CPR)).thenReturn(List.of(PATIENT));
        when(loader.load(sourceId, PATIENT)).thenReturn(Optional.of(new SnapshotLoader.Loaded(
                snapshot(sourceId, consents), List.of(new EhrClient.BadEntry("Consent", "k9", "not FHIR JSON",
                        null)))));
    }

    void conditionsOf(String sourceId, Condition... conditions) {
        when(loader.conditions(sourceId, PATIENT)).thenReturn(List.of(conditions));
    }

    /**
     * A patient with a valid CPR, an active IPS referral from psychiatry to jobcenter A, Practitioner/p1 as IPS
     * consultant on behalf of jobcenter A, and an employment goal.
     */
    static PatientSnapshot snapshot(String sourceId, Consent... consents) {
        List<Resource> references = new ArrayList<>(List.of(
                organization("jc-a-org", SOR_SYSTEM, "100000001", "Jobcenter A"),
                organization("jc-b-org", SOR_SYSTEM, "100000002", "Jobcenter B"),
                organization("psych-org", SOR_SYSTEM, "555555555", "Psykiatrien"),
                practitioner("p1", "Pia", "Konsulent"), practitioner("doc-1", "Dorte", "Laege")));
        Map<String, Resource> byKey = new java.util.HashMap<>();
        references.forEach(r -> byKey.put(r.fhirType() + "/" + r.getIdElement().getIdPart(), r));
        Goal goal = IpsFixtures.employmentGoal("goal-1", PATIENT, "Job i detailhandlen");
        return new PatientSnapshot(sourceId, IpsFixtures.patient(PATIENT, CPR, "Ingrid", "Fiktivsen"),
                List.of(consents),
                List.of(referral("ref-1", PATIENT, "psych-org", "jc-a-org", LocalDate.of(2025, 2, 1),
                        ServiceRequest.ServiceRequestStatus.ACTIVE)),
                List.of(), List.of(careTeam("ct-1", PATIENT, "Practitioner/p1", "jc-a-org", null, "doc-1")),
                List.of(), List.of(goal), List.of(), byKey);
    }

    private static IpsProperties.Source source(String id) {
        return new IpsProperties.Source(id, URI.create("http://" + id + ".invalid/fhir"), Duration.ofSeconds(30), 100);
    }

    private static IpsProperties.Jobcenter jobcenter(String id, String sor) {
        return new IpsProperties.Jobcenter(id, "Jobcenter " + id, URI.create("http://" + id + ".invalid/api"),
                List.of(SOR_SYSTEM + "|" + sor));
    }
}
