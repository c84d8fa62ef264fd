package dk.ipsbridge.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.mockito.Mockito.mock;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import dk.ipsbridge.keys.TestKeys;
import dk.ipsbridge.caserecord.CaseRecordTranslator;
import dk.ipsbridge.config.Operations;
import dk.ipsbridge.config.ReviewSettings;
import dk.ipsbridge.consent.DataCategory;
import dk.ipsbridge.consent.GateDecision;
import dk.ipsbridge.consent.HoldReason;
import dk.ipsbridge.decision.DecisionLog;
import dk.ipsbridge.ehr.SnapshotLoader;
import dk.ipsbridge.failure.FailedRecords;
import dk.ipsbridge.failure.FailedRecords.FailedRecord;
import dk.ipsbridge.patient.PatientKey;
import dk.ipsbridge.patient.PatientSnapshot;
import dk.ipsbridge.queue.Outbox;
import dk.ipsbridge.queue.ReviewQueue;
import dk.ipsbridge.store.TestDatabases;
import dk.ipsbridge.testkit.fhir.IpsFixtures;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Which decisions become failed records for an operator, and when such a record closes. */
class CaseDecisionsTest {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final PatientKey P1 = new PatientKey("ehr", "p1");
    private static final String INVALID_CPR = "3201901234";

    private final JdbcClient jdbc = JdbcClient.create(TestDatabases.fresh(TestDatabases.Kind.H2));
    private final FailedRecords failed = new FailedRecords(jdbc, TestKeys.atRest());
    private final CaseStore cases = new CaseStore(jdbc);
    private final CaseDecisions decisions = new CaseDecisions(cases, mock(DecisionLog.class), new Outbox(jdbc, TestKeys.atRest()),
            failed, new ReviewQueue(jdbc), new CaseRecordTranslator("DK-82"), new ObjectMapper(),
            Operations.defaults(ReviewSettings.class));

    /** A review that read the patient from the EHR and came to {@code decisions}, whenever it read. */
    private static Review read(GateDecision... decisions) {
        return read(Review.ANY_GENERATION, decisions);
    }

    /** A review that began to read the EHR when the patient's decisions stood at {@code generation}. */
    private static Review read(long generation, GateDecision... decisions) {
        PatientSnapshot snapshot = new PatientSnapshot("ehr", IpsFixtures.patient("p1", INVALID_CPR, "Anna", "Test"),
                List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), Map.of());
        return new Review(P1, T0, generation, "c1", new SnapshotLoader.Loaded(snapshot, List.of()),
                List.of(decisions));
    }

    @Test
    void shouldApplyNothingFromAReadThatBeganBeforeAnotherDecisionWasApplied() {
        ReviewQueue queue = new ReviewQueue(jdbc);
        long generation = cases.generation(P1);
        Review first = read(generation, hold("jc-a", HoldReason.NO_ACTIVE_REFERRAL));
        Review concurrent = read(generation, hold("jc-a", HoldReason.REFERRAL_ENDED));

        assertThat(decisions.apply(first, T0)).isTrue();
        assertThat(decisions.apply(concurrent, T0.plusSeconds(1))).isFalse();

        assertThat(jdbc.sql("select reason from ips_case").query(String.class).list())
                .containsExactly(HoldReason.NO_ACTIVE_REFERRAL.code());
        assertThat(queue.due(T0.plusSeconds(1), 10)).containsExactly(P1); // read again
        assertThat(decisions.apply(read(cases.generation(P1), hold("jc-a", HoldReason.REFERRAL_ENDED)),
                T0.plusSeconds(2))).isTrue();
        assertThat(jdbc.sql("select reason from ips_case").query(String.class).list())
                .containsExactly(HoldReason.REFERRAL_ENDED.code());
    }

    private static GateDecision.Hold hold(String jobcenterId, HoldReason reason) {
        return new GateDecision.Hold(jobcenterId, null, reason, "what is wrong, by id only");
    }

    @Test
    void shouldRecordDataToFixByPatientIdOnlyAndCloseItOnceAReviewNoLongerFindsIt() {
        decisions.apply(read(hold("jc-a", HoldReason.INVALID_CPR), hold(null, HoldReason.UNKNOWN_RECIPIENT)), T0);
        decisions.apply(read(hold("jc-a", HoldReason.INVALID_CPR), hold(null, HoldReason.UNKNOWN_RECIPIENT)), T0);

        assertThat(failed.open()).extracting(FailedRecord::reason, FailedRecord::occurrences)
                .containsExactly(tuple("invalid-cpr", 2),
                        tuple("unknown-recipient", 2));
        assertThat(failed.open()).allSatisfy(r -> {
            assertThat(r.stage()).isEqualTo(FailedRecords.REVIEW);
            assertThat(r.subject()).isEqualTo("Patient/p1");
            assertThat(r.message() + r.original()).doesNotContain(INVALID_CPR).doesNotContain("Anna");
        });

        decisions.apply(read(hold(null, HoldReason.UNKNOWN_RECIPIENT)), T0.plusSeconds(60));

        assertThat(failed.open()).extracting(FailedRecord::reason).containsExactly("unknown-recipient");
    }

    @Test
    void shouldNeitherAddNorCloseARecordWhenTheReviewFailedClosed() {
        decisions.apply(read(hold("jc-a", HoldReason.INVALID_CPR)), T0);
        failed.record(FailedRecords.REVIEW, "ehr", null, "Patient/p1", "malformed-response", "EHR Consent search is "
                + "not FHIR JSON", null, T0);

        // what PatientReview.failClosed applies when the error policy could not read the patient
        decisions.apply(new Review(P1, T0, Review.ANY_GENERATION, "c2", null, List.of(new GateDecision.Hold(null,
                null, HoldReason.CONSENT_UNREADABLE, "malformed-response"))), T0.plusSeconds(60));

        assertThat(failed.open()).extracting(FailedRecord::reason)
                .containsExactly("invalid-cpr", "malformed-response");
    }

    @Test
    void shouldNotAskAnOperatorAboutAJobcenterThatNoConsentNamesAnyMore() {
        cases.save(new CaseStore.CaseRow("ehr", "p1", "jc-a", "ips-case", "shared", null, "k1", "1", "contact", 1,
                "digest", LocalDate.parse("2027-01-01")), T0);

        decisions.apply(read(hold("jc-b", HoldReason.CONSENT_NOT_ACTIVE)), T0);

        assertThat(cases.forPatient(P1)).extracting(CaseStore.CaseRow::recipient, CaseStore.CaseRow::state)
                .contains(tuple("jc-a", "withdrawn"));
        assertThat(failed.open()).isEmpty();
    }

    // ---- C13: the course ended; suspension instead of withdrawal when the data cannot be read ----

    private static final String CPR = "0101901234";
    private static final GateDecision.ConsentBasis CONSENT = new GateDecision.ConsentBasis("k1", "1",
            LocalDate.parse("2026-11-01"), LocalDate.parse("2027-10-31"));

    private static Review shareRead(boolean ended, String... contact) {
        PatientSnapshot snapshot = new PatientSnapshot("ehr", IpsFixtures.patient("p1", CPR, "Anna", "Test"),
                List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), Map.of());
        if (contact.length > 0) {
            snapshot.patient().getTelecom().clear();
            snapshot.patient().addTelecom().setSystem(org.hl7.fhir.r4.model.ContactPoint.ContactPointSystem.PHONE)
                    .setValue(contact[0]);
        }
        GateDecision.Share share = new GateDecision.Share("jc-a", CONSENT, Set.of(DataCategory.CONTACT), null,
                Map.of(), null, T0, ended);
        return new Review(P1, T0, Review.ANY_GENERATION, "c1", new SnapshotLoader.Loaded(snapshot, List.of()),
                List.of(share));
    }

    /** What the outbox holds for the patient's case, oldest first: kind, revision, status, the record's status. */
    private List<String> outbox() {
        return jdbc.sql("select kind, revision, status, payload from outbox order by id").query((rs, n) -> rs
                .getString(1) + " " + rs.getLong(2) + " " + rs.getString(3) + (rs.getString(4) == null ? ""
                        : payload(rs.getString(4)).contains("\"status\":\"ended\"") ? " ended" : "")).list();
    }

    /** An outbox payload as stored: sealed, never in clear. */
    private static String payload(String stored) {
        assertThat(stored).startsWith("s1:").doesNotContain("revision");
        return TestKeys.atRest().open(stored, "outbox.payload");
    }

    @Test
    void shouldSendTheRecordOnceWithStatusEndedAndNothingAfterItWhenTheCourseEnds() {
        decisions.apply(shareRead(false), T0);
        decisions.apply(shareRead(true), T0.plusSeconds(60));
        // the course stays ended; what changes in the EHR afterwards no longer goes to the jobcenter
        decisions.apply(shareRead(true), T0.plusSeconds(120));
        decisions.apply(shareRead(true, "+45 11 22 33 44"), T0.plusSeconds(180));

        // revision 1 was still queued: the ended record replaces it
        assertThat(outbox()).containsExactly("case 1 superseded", "case 2 pending ended");
        assertThat(cases.forPatient(P1)).extracting(CaseStore.CaseRow::state, CaseStore.CaseRow::reason)
                .containsExactly(tuple("shared", "course-ended"));
    }

    @Test
    void shouldReopenAnEndedCourseAtAHigherRevisionWhenANewReferralIsActive() {
        decisions.apply(shareRead(false), T0);
        decisions.apply(shareRead(true), T0.plusSeconds(60));
        decisions.apply(shareRead(false), T0.plusSeconds(120));

        assertThat(outbox()).containsExactly("case 1 superseded", "case 2 superseded", "case 3 pending");
        assertThat(cases.forPatient(P1)).extracting(CaseStore.CaseRow::reason).containsOnlyNulls();
    }

    @Test
    void shouldStillWithdrawAnEndedCaseWhenTheConsentIsWithdrawnLater() {
        decisions.apply(shareRead(true), T0);
        decisions.apply(read(hold("jc-a", HoldReason.CONSENT_WITHDRAWN)), T0.plusSeconds(60));

        assertThat(outbox()).containsExactly("case 1 superseded", "withdrawal 1 pending");
        assertThat(payload(jdbc.sql("select payload from outbox where kind = 'withdrawal'").query(String.class)
                .single())).contains("consent-withdrawn");
    }

    @Test
    void shouldSuspendASharedCaseWithoutTellingTheJobcenterTheCitizenWithdrewWhenTheConsentCannotBeRead() {
        decisions.apply(shareRead(false), T0);
        decisions.apply(read(hold("jc-a", HoldReason.CONSENT_UNREADABLE)), T0.plusSeconds(60));
        decisions.apply(read(hold("jc-a", HoldReason.CONSENT_UNREADABLE)), T0.plusSeconds(120));

        // the queued record is purged, no withdrawal goes out, the operator is asked
        assertThat(outbox()).containsExactly("case 1 superseded");
        assertThat(cases.forPatient(P1)).extracting(CaseStore.CaseRow::state, CaseStore.CaseRow::reason)
                .containsExactly(tuple("suspended", "consent-unreadable"));
        assertThat(failed.open()).extracting(FailedRecord::reason).containsExactly("consent-unreadable");

        // fixed in the EHR: shared again, at a new revision; or withdrawn, if that is what the citizen did
        decisions.apply(shareRead(false), T0.plusSeconds(180));
        assertThat(outbox()).containsExactly("case 1 superseded", "case 2 pending");
        decisions.apply(read(hold("jc-a", HoldReason.CONSENT_INVALID)), T0.plusSeconds(240));
        decisions.apply(read(hold("jc-a", HoldReason.CONSENT_WITHDRAWN)), T0.plusSeconds(300));
        assertThat(outbox()).containsExactly("case 1 superseded", "case 2 superseded", "withdrawal 2 pending");
    }

    @Test
    void shouldWithdrawASuspendedCaseThatNoConsentNamesAnyMore() {
        decisions.apply(shareRead(false), T0);
        decisions.apply(read(hold("jc-a", HoldReason.AMBIGUOUS_CPR)), T0.plusSeconds(60));
        decisions.apply(read(hold("jc-b", HoldReason.CONSENT_NOT_ACTIVE)), T0.plusSeconds(120));

        assertThat(cases.forPatient(P1)).extracting(CaseStore.CaseRow::recipient, CaseStore.CaseRow::state)
                .contains(tuple("jc-a", "withdrawn"));
        assertThat(outbox()).last().asString().startsWith("withdrawal");
    }
}
