package dk.ipsbridge.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import dk.ipsbridge.failure.FailedRecords;
import dk.ipsbridge.failure.FailedRecords.FailedRecord;
import dk.ipsbridge.keys.TestKeys;
import dk.ipsbridge.queue.Outbox;
import dk.ipsbridge.store.TestDatabases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Personal data outside the ledger: sealed while kept, dropped when its record closes or its payload is delivered,
 * and swept when left alone past {@code ips.retention.failed-work}; on both stores.
 */
class PersonalDataRetentionTest {

    private static final Instant T0 = Instant.parse("2026-12-03T08:00:00Z");
    private static final String PATIENT = "{\"resourceType\":\"Patient\",\"identifier\":[{\"value\":\"0707071236\"}],"
            + "\"name\":[{\"family\":\"Fjendtligsen\"}]}";

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void shouldKeepOriginalsAndPayloadsOnlySealedAndDropThemWhenClosedOrDelivered(TestDatabases.Kind kind) {
        Store store = Store.fresh(kind);
        JdbcClient jdbc = store.jdbc();
        FailedRecords failed = store.failed();
        Outbox outbox = store.outbox();

        failed.record("ingest", "ehr", null, "Patient/p1", "invalid-cpr", "no valid CPR", PATIENT, T0);
        failed.record("ingest", "ehr", null, "Patient/p1", "invalid-cpr", "no valid CPR", PATIENT, T0);
        outbox.enqueue("caseone", "jc-a", Outbox.CASE, 1, PATIENT, "corr", T0);

        assertThat(dump(jdbc)).doesNotContain("0707071236").doesNotContain("Fjendtligsen");
        FailedRecord record = failed.open().get(0);
        assertThat(record.original()).isEqualTo(PATIENT);
        assertThat(record.occurrences()).isEqualTo(2);
        assertThat(outbox.claim("jc-a", T0, 10, "me", T0.plusSeconds(60))).extracting(Outbox.Delivery::payload)
                .containsExactly(PATIENT);

        failed.close(record.id(), "discarded");
        assertThat(failed.find(record.id()).orElseThrow().original()).isNull();
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void shouldSweepWhatAnOperatorLeftAlonePastTheRetentionAndNothingYounger(TestDatabases.Kind kind) {
        Store store = Store.fresh(kind);
        JdbcClient jdbc = store.jdbc();
        FailedRecords failed = store.failed();
        Outbox outbox = store.outbox();
        Instant old = T0.minus(Duration.ofDays(31));
        failed.record("ingest", "ehr", null, "Patient/old-open", "invalid-cpr", "m", PATIENT, old);
        failed.record("ingest", "ehr", null, "Patient/old-closed", "invalid-cpr", "m", PATIENT, old);
        failed.close("ingest", "Patient/old-closed", "resolved");
        failed.record("ingest", "ehr", null, "Patient/young", "invalid-cpr", "m", PATIENT, T0.minusSeconds(60));
        outbox.enqueue("oldcase", "jc-a", Outbox.CASE, 1, PATIENT, "c1", old);
        long oldDelivery = outbox.claim("jc-a", old, 10, "me", old.plusSeconds(60)).get(0).id();
        outbox.failed(oldDelivery, 422, "rejected", old);
        outbox.enqueue("youngcase", "jc-a", Outbox.CASE, 1, PATIENT, "c2", T0.minusSeconds(60));
        long youngDelivery = outbox.claim("jc-a", T0, 10, "me", T0.plusSeconds(60)).get(0).id();
        outbox.failed(youngDelivery, 422, "rejected", T0.minusSeconds(60));

        PersonalDataRetention retention = new PersonalDataRetention(failed, outbox,
                new RetentionSettings(Duration.ofDays(30), Duration.ofHours(1)), Clock.fixed(T0, ZoneOffset.UTC));
        assertThat(retention.sweep()).isEqualTo(3);

        assertThat(failed.open()).extracting(FailedRecord::subject, r -> r.original() != null)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("Patient/old-open", false),
                        org.assertj.core.groups.Tuple.tuple("Patient/young", true));
        assertThat(jdbc.sql("select count(*) from failed_record").query(Integer.class).single()).isEqualTo(2);
        assertThat(jdbc.sql("select status from outbox order by id").query(String.class).list())
                .containsExactly("expired", "failed");
        assertThat(jdbc.sql("select count(*) from outbox where payload is not null").query(Integer.class).single())
                .isEqualTo(1);
        assertThat(outbox.requeue(oldDelivery, T0)).as("an expired delivery cannot be replayed").isFalse();
        assertThat(retention.sweep()).as("a second sweep finds nothing").isZero();
    }

    /** A fresh database with the two tables that keep personal data outside the ledger. */
    private record Store(JdbcClient jdbc, FailedRecords failed, Outbox outbox) {

        static Store fresh(TestDatabases.Kind kind) {
            JdbcClient jdbc = JdbcClient.create(TestDatabases.fresh(kind));
            return new Store(jdbc, new FailedRecords(jdbc, TestKeys.atRest()), new Outbox(jdbc, TestKeys.atRest()));
        }
    }

    private static String dump(JdbcClient jdbc) {
        List<String> rows = jdbc.sql("select original from failed_record").query(String.class).list();
        rows.addAll(jdbc.sql("select payload from outbox").query(String.class).list());
        return String.join("\n", rows);
    }
}
