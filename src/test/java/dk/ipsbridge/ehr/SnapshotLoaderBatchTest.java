package dk.ipsbridge.ehr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;

import ca.uhn.fhir.context.FhirContext;
import dk.ipsbridge.config.IpsProperties;
import dk.ipsbridge.config.Operations;
import dk.ipsbridge.config.RoundSettings;
import dk.ipsbridge.failure.BadInputException;
import dk.ipsbridge.failure.FailedRecords;
import dk.ipsbridge.http.Http;
import dk.ipsbridge.keys.TestKeys;
import dk.ipsbridge.patient.PatientSnapshot;
import dk.ipsbridge.store.TestDatabases;
import dk.ipsbridge.testkit.cohort.CohortPatient;
import dk.ipsbridge.testkit.cohort.SyntheticCohort;
import dk.ipsbridge.testkit.ehr.MockEhr;
import dk.ipsbridge.testkit.fhir.IpsFixtures;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The batched read of a review round ({@link SnapshotLoader#loadAll}) against the kit's EHR: it must give each
 * patient exactly what reading that patient alone gives, and where it cannot tell patients apart it must give nobody
 * anything (every patient in doubt, to be read alone), never one patient's data to another.
 */
class SnapshotLoaderBatchTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private final MockEhr ehr = new MockEhr();
    private final SyntheticCohort cohort = SyntheticCohort.create(Instant.now());
    private final FailedRecords failed = new FailedRecords(JdbcClient.create(TestDatabases.fresh(
            TestDatabases.Kind.H2)), TestKeys.atRest());
    private final SnapshotLoader loader = loader(ehr, 7); // small pages, so that batched searches page

    SnapshotLoaderBatchTest() {
        cohort.loadInto(ehr);
    }

    @AfterEach
    void stop() {
        ehr.close();
    }

    private SnapshotLoader loader(MockEhr server, int pageSize) {
        IpsProperties properties = new IpsProperties("DK-82", List.of(new IpsProperties.Source("ehr",
                URI.create(server.baseUrl()), Duration.ofSeconds(30), pageSize)), List.of(), new IpsProperties.Consent(
                Period.ofMonths(12), 30));
        return new SnapshotLoader(new EhrSources(properties), new EhrClient(FHIR, Http.client()),
                Operations.defaults(RoundSettings.class), failed, Clock.systemUTC());
    }

    private List<String> patientIds() {
        return new ArrayList<>(cohort.patients().stream().map(CohortPatient::patientId).toList());
    }

    @Test
    void shouldGiveEachPatientOfARandomBatchWhatReadingItAloneGives() {
        List<String> ids = patientIds();
        ids.add("no-such-patient");
        Random random = new Random(16);
        for (int round = 0; round < 5; round++) {
            Collections.shuffle(ids, random);
            List<String> batch = ids.subList(0, 2 + random.nextInt(ids.size() - 2));

            SnapshotLoader.Batch read = loader.loadAll("ehr", batch);

            assertThat(read.inDoubt()).isEmpty();
            assertThat(read.loaded().keySet()).containsExactlyInAnyOrderElementsOf(batch);
            for (String id : batch) {
                assertThat(describe(read.loaded().get(id))).as("patient %s in a batch of %d", id, batch.size())
                        .isEqualTo(describe(loader.load("ehr", id)));
            }
        }
        assertThat(failed.open()).isEmpty();
    }

    @Test
    void shouldReadARoundWithAFixedNumberOfRequestsWhateverItsSize() {
        SnapshotLoader pages100 = loader(ehr, 100);
        List<String> ids = patientIds();
        int few = requests(() -> pages100.loadAll("ehr", ids.subList(0, 3)));
        int all = requests(() -> pages100.loadAll("ehr", ids));
        int alone = requests(() -> ids.forEach(id -> pages100.load("ehr", id)));

        // a search per resource type and per referenced type, and a page more where a search has more than a page
        assertThat(all).as("requests for %d patients together, %d alone, %d for three", ids.size(), alone, few)
                .isLessThanOrEqualTo(few + 2).isLessThan(alone / 20);
    }

    private int requests(Runnable read) {
        ehr.wireMock().resetRequests();
        read.run();
        return ehr.wireMock().getAllServeEvents().size();
    }

    @Test
    void shouldLeaveEveryPatientInDoubtWhenTheEhrIgnoresThePatientParameter() {
        ehr.ignoreSearchParameter("patient");
        List<String> some = patientIds().subList(3, 8); // the answers hold the other patients' resources too

        SnapshotLoader.Batch read = loader.loadAll("ehr", some);

        assertThat(read.loaded()).isEmpty();
        assertThat(read.inDoubt()).containsExactlyElementsOf(some);
        assertThat(failed.open()).as("recorded when each is read alone, against its own patient").isEmpty();
    }

    @Test
    void shouldLeaveABatchInDoubtWhenAnAppointmentIsAboutTwoOfItsPatients() {
        List<String> ids = patientIds().subList(0, 2);
        Instant start = Instant.now().plusSeconds(86_400);
        Appointment group = IpsFixtures.conference("group-1", ids.get(0), start, start.plusSeconds(3_600));
        group.addParticipant().setActor(new Reference("Patient/" + ids.get(1)));
        ehr.store(group);

        assertThat(loader.loadAll("ehr", ids).inDoubt()).containsExactlyElementsOf(ids);
        assertThat(ids).allSatisfy(id -> assertThat(loader.load("ehr", id).orElseThrow().snapshot().appointments())
                .extracting(a -> a.getIdElement().getIdPart()).contains("group-1"));
    }

    @Test
    void shouldLeaveABatchInDoubtWhenAnAnswerCannotBeRead() {
        ehr.malformedBody("Goal");

        assertThat(loader.loadAll("ehr", patientIds()).inDoubt()).containsExactlyElementsOf(patientIds());
        assertThatThrownBy(() -> loader.load("ehr", patientIds().get(0))).isInstanceOf(BadInputException.class);
    }

    /** What a decision and a case record can see of a snapshot: every resource, and what each reference points at. */
    private static String describe(Optional<SnapshotLoader.Loaded> loaded) {
        if (loaded.isEmpty()) {
            return "absent";
        }
        PatientSnapshot s = loaded.get().snapshot();
        StringBuilder text = new StringBuilder(loaded.get().unreadable().toString());
        Stream.of(List.of(s.patient()), s.consents(), s.referrals(), s.episodes(), s.careTeams(), s.appointments(),
                s.goals(), s.conditions()).flatMap(List::stream).forEach(r -> text.append('\n').append(json(r)));
        Stream.of(s.consents(), s.referrals(), s.episodes(), s.careTeams(), s.appointments(), s.goals())
                .flatMap(List::stream).flatMap(r -> FHIR.newTerser().getAllPopulatedChildElementsOfType(r,
                        Reference.class).stream())
                .filter(Reference::hasReference).forEach(ref -> text.append('\n').append(ref.getReference())
                        .append(" -> ").append(s.resolve(ref, null).map(SnapshotLoaderBatchTest::json).orElse("?")));
        return text.toString();
    }

    private static String json(Resource resource) {
        return FHIR.newJsonParser().encodeResourceToString(resource);
    }
}
