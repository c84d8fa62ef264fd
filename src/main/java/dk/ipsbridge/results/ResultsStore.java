package dk.ipsbridge.results;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Reads the courses and their collected outcome events ({@code ips_course}, {@code outcome_event}): no personal data. */
@Repository
class ResultsStore {

    private final JdbcClient jdbc;

    ResultsStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Every course referred from {@code from} to {@code to} (null: unbounded), with its collected events. */
    List<IpsResults.Course> courses(LocalDate from, LocalDate to) {
        record Line(String caseId, String source, String programme, String jobcenter, LocalDate referredOn,
                String type, LocalDate on, String terms) {
        }
        List<Line> lines = jdbc.sql("""
                select c.case_id, c.source_id, c.programme, c.recipient, c.referred_on, e.event_type, e.occurred_on,
                       e.employment_terms
                from ips_course c
                left join outcome_event e on e.case_id = c.case_id and e.jobcenter_id = c.recipient
                  and e.outcome = 'collected' and e.event_type is not null
                where c.referred_on is not null and c.referred_on >= ? and c.referred_on <= ?
                order by c.case_id
                """).params(from == null ? LocalDate.of(1900, 1, 1) : from, to == null ? LocalDate.of(9999, 12, 31) : to)
                .query((rs, n) -> new Line(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getObject(5, LocalDate.class), rs.getString(6), rs.getObject(7, LocalDate.class),
                        rs.getString(8))).list();
        Map<String, List<Line>> byCase = new LinkedHashMap<>();
        lines.forEach(l -> byCase.computeIfAbsent(l.caseId(), k -> new ArrayList<>()).add(l));
        List<IpsResults.Course> courses = new ArrayList<>();
        for (List<Line> course : byCase.values()) {
            Line first = course.get(0);
            List<IpsResults.Event> events = course.stream().filter(l -> l.type() != null)
                    .map(l -> new IpsResults.Event(l.type(), l.on(), l.terms())).toList();
            courses.add(new IpsResults.Course(first.source(), first.programme(), first.jobcenter(), first.referredOn(),
                    events));
        }
        return courses;
    }
}
