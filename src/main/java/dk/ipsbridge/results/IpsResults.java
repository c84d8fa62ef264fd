package dk.ipsbridge.results;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The results an IPS programme reports, computed from what the adapter stores of each case it shared (its source,
 * jobcenter, programme and referral day: {@code ips_course}) and of each outcome event it collected with consent (type,
 * day, terms: {@code outcome_event}). No CPR number, name or case id is in it: a result is a count, a share or a median
 * over at least {@link #MIN_CELL} citizens, and anything over fewer is suppressed.
 *
 * <p>How each figure is counted (README, "Programme results"):
 * <ul>
 * <li><b>referred</b>: the cases whose referral day lies in the period; one case is one citizen at one jobcenter from
 * one source;</li>
 * <li><b>work or education</b>: a {@code job-started} on ordinary terms (or terms not given) or an
 * {@code education-started}, at any time; a subsidised job (a flexjob) is not ordinary work. <b>Internship</b>: an
 * {@code internship-started}, counted apart;</li>
 * <li><b>days to first employer contact / first job</b>: from the referral day to the first {@code
 * first-employer-contact} / ordinary {@code job-started}, the median over those who had one;</li>
 * <li><b>completed</b>: a {@code support-ended}; <b>support days</b> the median from referral to it; <b>in work or
 * education after</b>: of those completed, the ones in an ordinary job or education on the day support ended (started
 * and not ended by then) or who started one after.</li>
 * </ul>
 * A retracted event counts for nothing.
 */
public final class IpsResults {

    /** A count under this is suppressed, and so is every share or median over fewer citizens. */
    public static final int MIN_CELL = 5;
    /** The jobcenter of a programme's total over all its jobcenters. */
    public static final String ALL_JOBCENTERS = "all";

    private IpsResults() {
    }

    /** One collected outcome event of a case. */
    public record Event(String type, LocalDate on, String terms) {

        boolean ordinaryJob() {
            return "job-started".equals(type) && (terms == null || "ordinary".equals(terms));
        }

        boolean startsWorkOrEducation() {
            return ordinaryJob() || "education-started".equals(type);
        }
    }

    /** One case the adapter shared: where it belongs and what it became. */
    public record Course(String sourceId, String programme, String jobcenterId, LocalDate referredOn,
            List<Event> events) {

        public Course {
            events = events.stream().sorted(Comparator.comparing(Event::on)).toList();
        }

        LocalDate first(Predicate<Event> which) {
            return events.stream().filter(which).map(Event::on).findFirst().orElse(null);
        }

        boolean workOrEducation() {
            return events.stream().anyMatch(Event::startsWorkOrEducation);
        }

        boolean internship() {
            return events.stream().anyMatch(e -> "internship-started".equals(e.type()));
        }

        LocalDate supportEnded() {
            return first(e -> "support-ended".equals(e.type()));
        }

        /** In an ordinary job or education on the day support ended, or started one after it. */
        boolean workOrEducationAfter() {
            LocalDate end = supportEnded();
            if (end == null) {
                return false;
            }
            int jobs = 0;
            int studies = 0;
            for (Event e : events) {
                if (e.on().isAfter(end)) {
                    if (e.startsWorkOrEducation()) {
                        return true;
                    }
                    continue;
                }
                jobs += e.ordinaryJob() ? 1 : "job-ended".equals(e.type()) && jobs > 0 ? -1 : 0;
                studies += "education-started".equals(e.type()) ? 1
                        : "education-ended".equals(e.type()) && studies > 0 ? -1 : 0;
            }
            return jobs > 0 || studies > 0;
        }
    }

    /**
     * A count, or suppressed ({@code value} null) when it is under {@link #MIN_CELL} and not zero.
     *
     * @param value the count, or null when suppressed
     */
    public record Count(Integer value) {
        static Count of(long n) {
            return new Count(n > 0 && n < MIN_CELL ? null : (int) n);
        }

        public boolean suppressed() {
            return value == null;
        }
    }

    /**
     * One row: a source, programme and jobcenter ({@link #ALL_JOBCENTERS} for the programme's total) and the cases
     * referred in the period. A share is in per cent with one decimal; a median in days; null where suppressed or
     * where there is nothing to measure.
     */
    public record Row(String sourceId, String programme, String jobcenterId, Count referred, Count workOrEducation,
            Double workOrEducationPercent, Count internship, Double internshipPercent, Integer medianDaysToEmployerContact,
            Integer medianDaysToFirstJob, Count completed, Integer medianSupportDays, Count workOrEducationAfter,
            Double workOrEducationAfterPercent) {
    }

    /**
     * The rows for the cases referred from {@code from} to {@code to} (both included; null: unbounded): one per source,
     * programme and jobcenter, and one per source and programme over all its jobcenters, in that order.
     */
    public static List<Row> compute(List<Course> courses, LocalDate from, LocalDate to) {
        Map<List<String>, List<Course>> groups = new TreeMap<>(Comparator.comparing((List<String> k) -> k.get(0))
                .thenComparing(k -> k.get(1)).thenComparing(k -> ALL_JOBCENTERS.equals(k.get(2)) ? "" : k.get(2)));
        for (Course c : courses) {
            if (c.referredOn() == null || from != null && c.referredOn().isBefore(from)
                    || to != null && c.referredOn().isAfter(to)) {
                continue;
            }
            groups.computeIfAbsent(List.of(c.sourceId(), c.programme(), c.jobcenterId()), k -> new ArrayList<>()).add(c);
            groups.computeIfAbsent(List.of(c.sourceId(), c.programme(), ALL_JOBCENTERS), k -> new ArrayList<>()).add(c);
        }
        List<Row> rows = new ArrayList<>();
        groups.forEach((key, group) -> rows.add(row(key.get(0), key.get(1), key.get(2), group)));
        return rows;
    }

    private static Row row(String source, String programme, String jobcenter, List<Course> group) {
        int referred = group.size();
        long work = group.stream().filter(Course::workOrEducation).count();
        long internship = group.stream().filter(Course::internship).count();
        List<Course> completed = group.stream().filter(c -> c.supportEnded() != null).toList();
        long after = completed.stream().filter(Course::workOrEducationAfter).count();
        return new Row(source, programme, jobcenter, Count.of(referred), Count.of(work), percent(work, referred),
                Count.of(internship), percent(internship, referred),
                median(group, c -> c.first(e -> "first-employer-contact".equals(e.type()))),
                median(group, c -> c.first(Event::ordinaryJob)),
                Count.of(completed.size()), median(completed, Course::supportEnded), Count.of(after),
                percent(after, completed.size()));
    }

    /** The share in per cent, one decimal; null when either count is suppressed or there is no denominator. */
    private static Double percent(long part, long whole) {
        if (whole == 0 || Count.of(part).suppressed() || Count.of(whole).suppressed()) {
            return null;
        }
        return Math.round(1000.0 * part / whole) / 10.0;
    }

    /** The median of the days from referral to {@code until} over those who have it; null over fewer than five. */
    private static Integer median(List<Course> group, Function<Course, LocalDate> until) {
        List<Long> days = group.stream().map(c -> {
            LocalDate day = until.apply(c);
            return day == null ? null : ChronoUnit.DAYS.between(c.referredOn(), day);
        }).filter(Objects::nonNull).sorted().toList();
        if (days.size() < MIN_CELL) {
            return null;
        }
        int n = days.size();
        return (int) Math.round(n % 2 == 1 ? days.get(n / 2) : (days.get(n / 2 - 1) + days.get(n / 2)) / 2.0);
    }

    /** The rows as CSV (RFC 4180, a header line; a suppressed cell is empty, {@code suppressed} says which). */
    public static String csv(List<Row> rows) {
        StringBuilder out = new StringBuilder("source,programme,jobcenter,referred,work_or_education,"
                + "work_or_education_percent,internship,internship_percent,median_days_to_employer_contact,"
                + "median_days_to_first_job,completed,median_support_days,work_or_education_after,"
                + "work_or_education_after_percent\r\n");
        for (Row r : rows) {
            List<Object> cells = List.of(r.sourceId(), r.programme(), r.jobcenterId(), cell(r.referred()),
                    cell(r.workOrEducation()), cell(r.workOrEducationPercent()), cell(r.internship()),
                    cell(r.internshipPercent()), cell(r.medianDaysToEmployerContact()),
                    cell(r.medianDaysToFirstJob()), cell(r.completed()), cell(r.medianSupportDays()),
                    cell(r.workOrEducationAfter()), cell(r.workOrEducationAfterPercent()));
            out.append(String.join(",", cells.stream().map(String::valueOf).toList())).append("\r\n");
        }
        return out.toString();
    }

    private static String cell(Object value) {
        if (value instanceof Count c) {
            return c.suppressed() ? "" : String.valueOf(c.value());
        }
        return value == null ? "" : String.valueOf(value);
    }

    /** Group keys in the order the page shows them. */
    static Map<String, List<Row>> byProgramme(List<Row> rows) {
        Map<String, List<Row>> out = new LinkedHashMap<>();
        rows.forEach(r -> out.computeIfAbsent(r.sourceId() + " · " + r.programme(), k -> new ArrayList<>()).add(r));
        return out;
    }
}
