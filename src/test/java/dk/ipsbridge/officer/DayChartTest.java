package dk.ipsbridge.officer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DayChartTest {

    private static final LocalDate TODAY = LocalDate.parse("2025-03-30");

    @Test
    void shouldShowThirtyDaysEndingTodayOldestFirst() {
        DayChart chart = DayChart.of(TODAY, List.<Object[]>of());

        assertThat(chart.days()).hasSize(30);
        assertThat(chart.from()).isEqualTo(LocalDate.parse("2025-03-01"));
        assertThat(chart.to()).isEqualTo(TODAY);
        assertThat(chart.bars()).hasSize(90).allSatisfy(b -> assertThat(b.height()).isZero());
    }

    @Test
    void shouldCountSharedHeldAndWithdrawnPerDayAndLeaveOtherDecisionsOut() {
        DayChart chart = DayChart.of(TODAY, List.<Object[]>of(count("2025-03-29", "shared", 4), count("2025-03-29", "held", 1),
                count("2025-03-29", "officer-search", 7), count("2025-03-30", "withdrawn", 2),
                count("2025-02-27", "shared", 9)));

        assertThat(chart.days().get(28).counts()).containsExactly(4L, 1L, 0L);
        assertThat(chart.days().get(29).counts()).containsExactly(0L, 0L, 2L);
        assertThat(chart.description()).isEqualTo("From 2025-03-01 to 2025-03-30: 4 shared, 1 held, 2 withdrawn. "
                + "The count axis runs from 0 to 4 per day.");
    }

    @Test
    void shouldLabelEachBarWithItsDayDecisionAndCount() {
        DayChart chart = DayChart.of(TODAY, List.<Object[]>of(count("2025-03-30", "held", 3)));

        assertThat(chart.bars().subList(87, 90)).extracting(DayChart.Bar::label).containsExactly(
                "2025-03-30 shared: 0", "2025-03-30 held: 3", "2025-03-30 withdrawn: 0");
        assertThat(chart.bars().get(88).color()).isEqualTo("#c80");
    }

    @Nested
    class Axes {

        @Test
        void shouldLabelEveryFifthDayCountedBackFromToday() {
            DayChart chart = DayChart.of(TODAY, List.<Object[]>of());

            assertThat(chart.xTicks()).extracting(DayChart.Tick::label).containsExactly("2025-03-05", "2025-03-10",
                    "2025-03-15", "2025-03-20", "2025-03-25", "2025-03-30");
            assertThat(chart.xTicks().get(5).at()).as("today's tick sits in the middle of the last day's slot")
                    .isEqualTo(DayChart.LEFT + 29 * DayChart.SLOT + DayChart.SLOT / 2);
            assertThat(chart.xTicks()).allSatisfy(t -> assertThat(t.at()).isBetween(chart.left(), chart.right()));
        }

        @Test
        void shouldPutRoundCountsOnTheCountAxisFromZeroAtTheBaselineToTheTop() {
            DayChart chart = DayChart.of(TODAY, List.<Object[]>of(count("2025-03-30", "shared", 7)));

            assertThat(chart.topCount()).isEqualTo(8);
            assertThat(chart.yTicks()).extracting(DayChart.Tick::label).containsExactly("0", "2", "4", "6", "8");
            assertThat(chart.yTicks().get(0).at()).isEqualTo(chart.baseline());
            assertThat(chart.yTicks().get(4).at()).isEqualTo(chart.top());
        }

        @Test
        void shouldScaleBarsToTheCountAxis() {
            DayChart chart = DayChart.of(TODAY, List.<Object[]>of(count("2025-03-30", "shared", 8),
                    count("2025-03-30", "held", 4)));
            DayChart.Bar shared = chart.bars().get(87);
            DayChart.Bar held = chart.bars().get(88);

            assertThat(shared.y()).as("the top of the axis").isEqualTo(chart.top());
            assertThat(shared.y() + shared.height()).isEqualTo(chart.baseline());
            assertThat(held.height()).isEqualTo(shared.height() / 2);
            assertThat(held.x()).isGreaterThan(shared.x() + shared.width() - 1);
        }

        @Test
        void shouldShowAnAxisFromZeroToOneWhenNothingHappened() {
            DayChart chart = DayChart.of(TODAY, List.<Object[]>of());

            assertThat(chart.yTicks()).extracting(DayChart.Tick::label).containsExactly("0", "1");
        }

        @ParameterizedTest
        @CsvSource({"0,1", "5,1", "6,2", "10,2", "11,5", "25,5", "26,10", "50,10", "51,20", "1000,200", "1001,500"})
        void shouldStepInOnesTwosAndFivesWithAtMostFiveSteps(long max, long step) {
            assertThat(DayChart.step(max)).isEqualTo(step);
        }
    }

    private static Object[] count(String day, String decision, long n) {
        return new Object[] {LocalDate.parse(day), decision, n};
    }
}
