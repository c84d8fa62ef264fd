package dk.ipsbridge.results;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import dk.ipsbridge.results.IpsResults.Count;
import dk.ipsbridge.results.IpsResults.Course;
import dk.ipsbridge.results.IpsResults.Event;
import dk.ipsbridge.results.IpsResults.Row;
import dk.ipsbridge.testkit.cohort.ProgrammeCohort;
import org.junit.jupiter.api.Test;

/** The programme results from courses as the store gives them: the published figures, computed by hand. */
class IpsResultsTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final LocalDate DAY = LocalDate.of(2025, 1, 1);

    /** The courses a cohort becomes once every case is shared and every event collected. */
    static List<Course> courses(ProgrammeCohort cohort, String programme) {
        return cohort.citizens().stream().map(c -> new Course(cohort.sourceId(), programme, c.site().jobcenterId(),
                c.referredOn(), c.events().stream().map(e -> new Event(e.type(), e.on(), e.terms())).toList()))
                .toList();
    }

    static Row total(List<Row> rows, String source) {
        return rows.stream().filter(r -> r.sourceId().equals(source) && r.jobcenterId().equals(IpsResults.ALL_JOBCENTERS))
                .findFirst().orElseThrow();
    }

    @Test
    void shouldReproduceIpsVestsjaellandsFigures() {
        List<Row> rows = IpsResults.compute(courses(ProgrammeCohort.vestsjaelland(NOW), "ips-general"), null, null);

        Row all = total(rows, "psykiatrien-vest");
        // 97 of 168 = 57.738 %, 105 of 168 = 62.5 %, 32 of 62 = 51.613 %
        assertThat(all.referred()).isEqualTo(new Count(168));
        assertThat(all.workOrEducation()).isEqualTo(new Count(97));
        assertThat(all.workOrEducationPercent()).isEqualTo(57.7);
        assertThat(all.internship()).isEqualTo(new Count(105));
        assertThat(all.internshipPercent()).isEqualTo(62.5);
        assertThat(all.completed()).isEqualTo(new Count(62));
        assertThat(all.workOrEducationAfter()).isEqualTo(new Count(32));
        assertThat(all.workOrEducationAfterPercent()).isEqualTo(51.6);
        // citizen n of the work group (n = 0..96) met an employer 14 + n % 40 days after referral: residues 0..16
        // three times each (51 values), 17..39 twice; the 49th smallest of 97 is residue 16
        assertThat(all.medianDaysToEmployerContact()).isEqualTo(14 + 16);
        assertThat(rows).extracting(Row::jobcenterId).containsExactly("all", "jc-holbaek", "jc-kalundborg",
                "jc-slagelse");
        assertThat(rows.stream().filter(r -> !r.jobcenterId().equals("all")).mapToInt(r -> r.referred().value()).sum())
                .isEqualTo(168);
    }

    @Test
    void shouldReproduceCopenhagensFigures() {
        assertThat(total(IpsResults.compute(courses(ProgrammeCohort.hovedstaden(NOW), "ips-general"), null, null),
                "psykiatrien-hovedstaden").workOrEducationPercent()).isEqualTo(62.2); // 216 of 347
        Row misbrug = total(IpsResults.compute(courses(ProgrammeCohort.koebenhavnMisbrug(NOW), "ips-substance-use"),
                null, null), "kk-misbrug");
        assertThat(misbrug.programme()).isEqualTo("ips-substance-use");
        assertThat(misbrug.workOrEducationPercent()).isEqualTo(25.2); // 32 of 127
    }

    @Test
    void shouldCountNeitherASubsidisedJobNorAnInternshipAsOrdinaryWork() {
        List<Course> five = List.of(
                course(new Event("job-started", DAY.plusDays(10), "subsidised")),
                course(new Event("internship-started", DAY.plusDays(10), null)),
                course(new Event("job-started", DAY.plusDays(10), "ordinary")),
                course(new Event("job-started", DAY.plusDays(20), null)),
                course(new Event("education-started", DAY.plusDays(30), null)));
        Row all = IpsResults.compute(five, null, null).get(0);
        assertThat(all.referred()).isEqualTo(new Count(5));
        assertThat(all.workOrEducation()).as("ordinary, terms not given, education").isEqualTo(new Count(null));
        assertThat(all.workOrEducationPercent()).as("3 is under five: suppressed, and its share").isNull();
    }

    @Test
    void shouldSuppressEveryCellUnderFiveCitizensButShowZero() {
        List<Course> four = List.of(course(), course(), course(), course(new Event("job-started", DAY, null)));
        Row row = IpsResults.compute(four, null, null).get(0);
        assertThat(row.referred().suppressed()).isTrue();
        assertThat(row.workOrEducation().suppressed()).isTrue();
        assertThat(row.workOrEducationPercent()).isNull();
        assertThat(row.completed()).isEqualTo(new Count(0));
        assertThat(IpsResults.csv(List.of(row))).contains("\r\ns,ips-general,all,,,,0,,,,0,,0,\r\n");
    }

    @Test
    void shouldCountInWorkAfterOnlyWhenAJobOrEducationRunsOnTheDaySupportEndsOrStartsLater() {
        LocalDate end = DAY.plusDays(300);
        List<Course> courses = List.of(
                course(new Event("job-started", DAY.plusDays(50), null), new Event("support-ended", end, null)),
                course(new Event("job-started", DAY.plusDays(50), null), new Event("job-ended", DAY.plusDays(200),
                        null), new Event("support-ended", end, null)),
                course(new Event("support-ended", end, null), new Event("education-started", end.plusDays(30), null)),
                course(new Event("education-started", DAY.plusDays(50), null), new Event("education-ended",
                        DAY.plusDays(100), null), new Event("job-started", DAY.plusDays(120), "subsidised"),
                        new Event("support-ended", end, null)),
                course(new Event("support-ended", end, null)));
        Row row = IpsResults.compute(courses, null, null).get(0);
        assertThat(row.completed()).isEqualTo(new Count(5));
        assertThat(row.medianSupportDays()).isEqualTo(300);
        assertThat(List.of(0, 1, 2, 3, 4).stream().filter(i -> courses.get(i).workOrEducationAfter()).toList())
                .containsExactly(0, 2);
    }

    @Test
    void shouldTakeOnlyTheCasesReferredInThePeriod() {
        List<Course> courses = List.of(course(), course(), course(), course(), course(),
                new Course("s", "ips-general", "jc-a", DAY.minusDays(1), List.of()));
        assertThat(IpsResults.compute(courses, DAY, DAY.plusDays(1)).get(0).referred()).isEqualTo(new Count(5));
        assertThat(IpsResults.compute(courses, null, DAY.minusDays(1))).hasSize(2)
                .allMatch(r -> r.referred().suppressed());
    }

    private static Course course(Event... events) {
        return new Course("s", "ips-general", "jc-a", DAY, List.of(events));
    }
}
