package dk.ipsbridge.ehr;

import static dk.ipsbridge.config.Times.utc;

import java.time.Instant;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Where incremental polling resumes: the newest {@code meta.lastUpdated} seen per source and resource type. */
@Repository
public class CursorStore {

    private final JdbcClient jdbc;

    public CursorStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<String> lastUpdated(String sourceId, String resourceType) {
        return jdbc.sql("select last_updated from ingest_cursor where source_id = ? and resource_type = ?")
                .params(sourceId, resourceType).query(String.class).optional();
    }

    public void save(String sourceId, String resourceType, String lastUpdated, Instant now) {
        jdbc.sql("""
                merge into ingest_cursor t
                using (values (?, ?, ?, ?)) as s(source_id, resource_type, last_updated, polled_at)
                on t.source_id = s.source_id and t.resource_type = s.resource_type
                when matched then update set last_updated = s.last_updated, polled_at = s.polled_at
                when not matched then insert (source_id, resource_type, last_updated, polled_at)
                  values (s.source_id, s.resource_type, s.last_updated, s.polled_at)
                """).params(sourceId, resourceType, lastUpdated, utc(now)).update();
    }
}
