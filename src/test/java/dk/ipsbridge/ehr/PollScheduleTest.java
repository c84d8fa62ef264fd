package dk.ipsbridge.ehr;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import dk.ipsbridge.config.IpsProperties;
import dk.ipsbridge.store.TestDatabases;
import dk.ipsbridge.store.TestDatabases.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The poll schedule in the database: due by interval or by request, on H2 and PostgreSQL. */
class PollScheduleTest {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    private Instant now = T0;

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldPollFirstThenOnlyWhenTheIntervalHasPassed(Kind kind) {
        PollSchedule schedule = schedule(kind);

        assertThat(schedule.claim("ehr")).as("the first check: the initial load").isTrue();
        assertThat(schedule.claim("ehr")).as("just polled").isFalse();
        now = T0.plus(Duration.ofMinutes(59));
        assertThat(schedule.claim("ehr")).isFalse();
        now = T0.plus(Duration.ofHours(1));
        assertThat(schedule.claim("ehr")).isTrue();
        assertThat(schedule.claim("ehr")).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldPollEarlyOnRequestAndKeepARequestMadeDuringAPoll(Kind kind) {
        PollSchedule schedule = schedule(kind);
        schedule.claim("ehr");

        schedule.request("ehr", now);
        schedule.request("ehr", now);
        assertThat(schedule.states()).singleElement().satisfies(s -> {
            assertThat(s.earlyPollPending()).isTrue();
            assertThat(s.earlyPollsRequested()).isEqualTo(2);
        });
        assertThat(schedule.claim("ehr")).as("requested since the last poll").isTrue();
        schedule.request("ehr", now); // arrives while that poll runs
        assertThat(schedule.claim("ehr")).as("the request made during the poll is not lost").isTrue();
        assertThat(schedule.claim("ehr")).as("every request is satisfied").isFalse();
        assertThat(schedule.states()).singleElement().satisfies(s -> assertThat(s.earlyPollPending()).isFalse());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldKeepOneScheduleForAllInstancesAndEachSource(Kind kind) {
        JdbcClient jdbc = JdbcClient.create(TestDatabases.fresh(kind));
        PollSchedule one = schedule(jdbc);
        PollSchedule other = schedule(jdbc);

        assertThat(one.claim("ehr")).isTrue();
        assertThat(other.claim("ehr")).as("the other instance sees the poll").isFalse();
        assertThat(other.claim("ehr-2")).as("another source has its own schedule").isTrue();
        one.request("ehr", now);
        assertThat(other.claim("ehr")).as("a request made on one instance is seen by the other").isTrue();
        assertThat(one.claim("ehr")).isFalse();
    }

    private PollSchedule schedule(Kind kind) {
        return schedule(JdbcClient.create(TestDatabases.fresh(kind)));
    }

    private PollSchedule schedule(JdbcClient jdbc) {
        IpsProperties properties = new IpsProperties("DK-82", List.of(source("ehr"), source("ehr-2")), List.of(), null);
        Clock clock = new Clock() {
            @Override
            public Instant instant() {
                return now;
            }

            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }
        };
        return new PollSchedule(jdbc, new EhrSources(properties), clock);
    }

    private static IpsProperties.Source source(String id) {
        return new IpsProperties.Source(id, URI.create("http://localhost:9/fhir"), Duration.ofHours(1), 100);
    }
}
