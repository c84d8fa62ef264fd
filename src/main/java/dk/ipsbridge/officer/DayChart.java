package dk.ipsbridge.officer;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Shares, holds and withdrawals per day over the last 30 days, laid out for the SVG bar chart of the officers'
 * workspace ({@code templates/officer/parts.html :: chart}): bars, a date axis, a count axis with ticks, and the
 * numbers behind them for readers who cannot see the chart. Counts only; no entry's contents.
 *
 * @param days     the 30 days, oldest first, with their counts per series
 * @param bars     one bar per day and series, at its place in the drawing
 * @param xTicks   every fifth day, counted back from the newest, labelled with its ISO date
 * @param yTicks   0 up to the top of the count axis, at a round step
 * @param topCount the count the top of the axis stands for
 */
record DayChart(List<Day> days, List<Bar> bars, List<Tick> xTicks, List<Tick> yTicks, long topCount) {

    static final int DAYS = 30;
    static final List<Series> SERIES = List.of(new Series("shared", "#2a7"), new Series("held", "#c80"),
            new Series("withdrawn", "#c33"));

    /* The drawing, in SVG user units: the plot area sits between LEFT and RIGHT, TOP and BASELINE. */
    static final int SLOT = 30;
    static final int BAR = 8;
    static final int LEFT = 48;
    static final int RIGHT = LEFT + DAYS * SLOT;
    static final int TOP = 12;
    static final int BASELINE = TOP + 150;
    static final int WIDTH = RIGHT + 40; // room for the newest date label, centred on the last day
    static final int HEIGHT = BASELINE + 44;

    record Series(String decision, String color) {
    }

    /** @param counts per series, in the order of {@link #SERIES} */
    record Day(LocalDate date, List<Long> counts) {
    }

    /** @param label what a pointer or a screen reader announces, e.g. {@code 2025-03-01 shared: 4} */
    record Bar(int x, int y, int width, int height, String color, String label) {
    }

    /** @param at the x (date axis) or y (count axis) where the tick sits */
    record Tick(int at, String label) {
    }

    /**
     * @param today  the newest day shown
     * @param counts rows of day ({@link LocalDate}), decision, count ({@link Long}), as
     *               {@link dk.ipsbridge.ledger.Ledger#countsPerDay} returns them; other decisions are left out
     */
    static DayChart of(LocalDate today, List<Object[]> counts) {
        Map<LocalDate, Map<String, Long>> byDay = new TreeMap<>();
        for (Object[] row : counts) {
            byDay.computeIfAbsent((LocalDate) row[0], d -> new LinkedHashMap<>()).merge((String) row[1],
                    (Long) row[2], Long::sum);
        }
        List<Day> days = new ArrayList<>();
        long max = 0;
        for (int d = 0; d < DAYS; d++) {
            LocalDate date = today.minusDays(DAYS - 1 - d);
            Map<String, Long> onDay = byDay.getOrDefault(date, Map.of());
            List<Long> perSeries = SERIES.stream().map(s -> onDay.getOrDefault(s.decision(), 0L)).toList();
            max = Math.max(max, perSeries.stream().mapToLong(Long::longValue).max().orElse(0));
            days.add(new Day(date, perSeries));
        }
        long step = step(max);
        long topCount = Math.max(step, (max + step - 1) / step * step);

        List<Bar> bars = new ArrayList<>();
        List<Tick> xTicks = new ArrayList<>();
        for (int d = 0; d < DAYS; d++) {
            Day day = days.get(d);
            for (int s = 0; s < SERIES.size(); s++) {
                long n = day.counts().get(s);
                int h = (int) Math.round((double) n * (BASELINE - TOP) / topCount);
                bars.add(new Bar(LEFT + d * SLOT + 2 + s * (BAR + 1), BASELINE - h, BAR, h, SERIES.get(s).color(),
                        day.date() + " " + SERIES.get(s).decision() + ": " + n));
            }
            if ((DAYS - 1 - d) % 5 == 0) {
                xTicks.add(new Tick(LEFT + d * SLOT + SLOT / 2, day.date().toString()));
            }
        }
        List<Tick> yTicks = new ArrayList<>();
        for (long v = 0; v <= topCount; v += step) {
            yTicks.add(new Tick(BASELINE - (int) Math.round((double) v * (BASELINE - TOP) / topCount),
                    Long.toString(v)));
        }
        return new DayChart(List.copyOf(days), List.copyOf(bars), List.copyOf(xTicks), List.copyOf(yTicks), topCount);
    }

    /** A round step (1, 2 or 5 times a power of ten) that puts at most five steps above zero. */
    static long step(long max) {
        long step = 1;
        while (true) {
            for (long factor : new long[] {1, 2, 5}) {
                if (step * factor * 5 >= max) {
                    return step * factor;
                }
            }
            step *= 10;
        }
    }

    public LocalDate from() {
        return days.get(0).date();
    }

    public LocalDate to() {
        return days.get(days.size() - 1).date();
    }

    /** The chart in one sentence, for screen readers: the period and the totals per series. */
    public String description() {
        StringBuilder out = new StringBuilder("From ").append(from()).append(" to ").append(to()).append(": ");
        for (int s = 0; s < SERIES.size(); s++) {
            int series = s;
            long total = days.stream().mapToLong(d -> d.counts().get(series)).sum();
            out.append(s == 0 ? "" : ", ").append(total).append(' ').append(SERIES.get(s).decision());
        }
        return out.append(". The count axis runs from 0 to ").append(topCount).append(" per day.").toString();
    }

    // the drawing's frame and legend, for the template (public: SpEL reads only public methods)

    public int width() {
        return WIDTH;
    }

    public int height() {
        return HEIGHT;
    }

    public int left() {
        return LEFT;
    }

    public int right() {
        return RIGHT;
    }

    public int top() {
        return TOP;
    }

    public int baseline() {
        return BASELINE;
    }

    public List<Series> series() {
        return SERIES;
    }
}
