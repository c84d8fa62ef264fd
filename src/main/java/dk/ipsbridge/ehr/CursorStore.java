package dk.ipsbridge.ehr;

import static dk.ipsbridge.config.Times.utc;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Where incremental polling resumes: the newest {@code meta.lastUpdated} seen per source and resource type. */
@Repository
public class CursorStore {

    private final JdbcClient jdbc;

    public CursorStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Where a poll resumes.
     *
     * @param lastUpdated the newest {@code meta.lastUpdated}, exactly as the EHR wrote it
     * @param seenAt      the resource versions already read at exactly that instant (the next poll, asking
     *                    {@code ge}, gets them again and skips them)
     */
    public record Cursor(String lastUpdated, Set<String> seenAt) {

        public Cursor {
            seenAt = Set.copyOf(seenAt);
        }
    }

    public Optional<Cursor> cursor(String sourceId, String resourceType) {
        return jdbc.sql("select last_updated, seen_at_cursor from ingest_cursor where source_id = ? "
                + "and resource_type = ?").params(sourceId, resourceType)
                .query((rs, n) -> new Cursor(rs.getString(1), rs.getString(2) == null || rs.getString(2).isEmpty()
                        ? Set.of() : Set.of(rs.getString(2).split(" "))))
                .optional();
    }

    /** Forgets where the polls of a source stand: its next poll reads everything again, as its first did. */
    public void reset(String sourceId) {
        jdbc.sql("delete from ingest_cursor where source_id = ?").param(sourceId).update();
    }

    public void save(String sourceId, String resourceType, Cursor cursor, Instant now) {
        String seen = String.join(" ", new TreeSet<>(cursor.seenAt()));
        jdbc.sql("""
                merge into ingest_cursor t
                using (values (?, ?, ?, ?, ?)) as s(source_id, resource_type, last_updated, seen_at_cursor, polled_at)
                on t.source_id = s.source_id and t.resource_type = s.resource_type
                when matched then update set last_updated = s.last_updated, seen_at_cursor = s.seen_at_cursor,
                  polled_at = s.polled_at
                when not matched then insert (source_id, resource_type, last_updated, seen_at_cursor, polled_at)
                  values (s.source_id, s.resource_type, s.last_updated, s.seen_at_cursor, s.polled_at)
                """).params(sourceId, resourceType, cursor.lastUpdated(), seen.length() > 4000 ? "" : seen, utc(now))
                .update();
    }
}
